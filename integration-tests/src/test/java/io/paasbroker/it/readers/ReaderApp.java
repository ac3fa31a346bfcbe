package io.paasbroker.it.readers;

import java.util.Arrays;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.StreamUtils;

/**
 * An application as a team writes one: no code that reads credentials, only the clients Spring Boot configures from
 * the properties java-cfenv ({@code VCAP_SERVICES}) or Spring Cloud Bindings ({@code SERVICE_BINDING_ROOT}) set. It
 * does one thing with its service and prints {@code RESULT <what it saw>}.
 *
 * <p>Arguments: the service kind, the instance's key or index prefix (or {@code -}), then Spring Boot arguments.
 */
@SpringBootApplication
public class ReaderApp {

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        String prefix = args[1];
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReaderApp.class)
                .web(WebApplicationType.NONE)
                .run(Arrays.copyOfRange(args, 2, args.length))) {
            String result = switch (kind) {
                case "postgresql" -> sql(context, null);
                case "mysql" ->
                    sql(
                            context,
                            "SELECT CONCAT('tls=', VARIABLE_VALUE <> '') FROM information_schema.SESSION_STATUS"
                                    + " WHERE VARIABLE_NAME = 'SSL_CIPHER'");
                case "redis" -> redis(context, prefix);
                case "elasticsearch" -> index(context, prefix);
                default -> throw new IllegalArgumentException(kind);
            };
            System.out.println("RESULT " + result);
        }
    }

    /**
     * A table written and read back through the configured DataSource, and how the session is protected: what the
     * server says of it, or, for PostgreSQL (whose statistics hide a tenant login's own TLS state from it), the mode
     * pgjdbc was configured with, which never falls back to plaintext.
     */
    private static String sql(ConfigurableApplicationContext context, String tlsQuery) {
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
        jdbc.execute("CREATE TABLE IF NOT EXISTS reader_notes (body VARCHAR(100))");
        jdbc.update("INSERT INTO reader_notes (body) VALUES (?)", "written by the reader");
        String read = jdbc.queryForObject("SELECT MAX(body) FROM reader_notes", String.class);
        String url = context.getEnvironment().getProperty("spring.datasource.url", "");
        String tls = tlsQuery != null
                ? jdbc.queryForObject(tlsQuery, String.class)
                : "sslmode=" + (url.contains("sslmode=verify-full") ? "verify-full" : "other");
        return read + " " + tls;
    }

    private static String redis(ConfigurableApplicationContext context, String prefix) {
        StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
        redis.opsForValue().set(prefix + "reader", "written by the reader");
        return redis.opsForValue().get(prefix + "reader");
    }

    private static String index(ConfigurableApplicationContext context, String prefix) throws Exception {
        RestClient client = context.getBean(RestClient.class);
        Request put = new Request("PUT", "/" + prefix + "notes/_doc/1");
        put.addParameter("refresh", "true");
        put.setJsonEntity("{\"body\": \"written by the reader\"}");
        client.performRequest(put);
        Response got = client.performRequest(new Request("GET", "/" + prefix + "notes/_doc/1"));
        String body = StreamUtils.copyToString(got.getEntity().getContent(), java.nio.charset.StandardCharsets.UTF_8);
        return body.contains("written by the reader") ? "written by the reader" : body;
    }
}
