package io.paasbroker.broker.support;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The broker's own tables, searched for a secret that must never be stored in them. */
public final class StateStoreTables {

    private static final List<String> TABLES = List.of(
            "service_instances",
            "service_bindings",
            "operations",
            "audit_events",
            "credentials",
            "credential_key_canaries");

    private StateStoreTables() {}

    /** The tables with a row whose text holds {@code text} anywhere. */
    public static List<String> holding(JdbcClient jdbc, String text) {
        return TABLES.stream()
                .filter(table -> jdbc.sql("SELECT count(*) FROM " + table + " t WHERE t::text LIKE ?")
                                .param("%" + text + "%")
                                .query(Long.class)
                                .single()
                        > 0)
                .toList();
    }
}
