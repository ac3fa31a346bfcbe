package io.paasbroker.provisioner.local.mysql;

import io.paasbroker.provisioner.Credentials;
import java.util.LinkedHashMap;
import java.util.Map;

/** A binding's credentials in Cloud Foundry's conventions for MySQL. */
final class MysqlCredentials {

    private MysqlCredentials() {}

    /**
     * {@code uri} is for applications' own parsers; {@code jdbcUrl} works with MySQL Connector/J and, through
     * {@code permitMysqlScheme}, with MariaDB Connector/J 3, which otherwise refuses {@code jdbc:mysql:}. Names and
     * generated passwords are letters, digits and underscores, so they need no URL encoding.
     */
    static Credentials of(MysqlServer server, String database, String user, String password, BindingAccess access) {
        String address = server.publicHost() + ":" + server.publicPort();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("uri", "mysql://" + user + ":" + password + "@" + address + "/" + database);
        values.put(
                "jdbcUrl",
                "jdbc:mysql://" + address + "/" + database + "?permitMysqlScheme&user=" + user + "&password="
                        + password);
        values.put("hostname", server.publicHost());
        values.put("port", server.publicPort());
        values.put("name", database);
        values.put("database", database);
        values.put("username", user);
        values.put("password", password);
        values.put("read_only", access == BindingAccess.READ_ONLY);
        return new Credentials(values);
    }
}
