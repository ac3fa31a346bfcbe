package io.paasbroker.provisioner.local.postgres;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The provisioner properties of a local PostgreSQL plan.
 *
 * @param server the configured server that holds this plan's databases
 * @param connectionLimit the most connections the instance's database accepts; none when null
 * @param allowedExtensions extensions an instance may ask for with the {@code extensions} parameter
 * @param defaultExtensions extensions every instance of the plan gets
 * @param allowSchemas whether the instance's logins may create schemas of their own besides {@code public}
 * @param limits settings every session in the instance's database starts with, among {@link #LIMITS}
 * @param requireTls whether the server refuses the instance's logins without TLS
 */
record LocalPostgresPlan(
        String server,
        Integer connectionLimit,
        List<String> allowedExtensions,
        List<String> defaultExtensions,
        boolean allowSchemas,
        Map<String, String> limits,
        boolean requireTls) {

    /**
     * The settings a plan may fix. {@code temp_file_limit} only a superuser can change, so it caps; the timeouts are
     * the defaults every session starts with, which PostgreSQL lets a session change for itself.
     */
    static final Set<String> LIMITS = Set.of(
            "statement_timeout", "idle_in_transaction_session_timeout", "idle_session_timeout", "temp_file_limit");

    LocalPostgresPlan {
        allowedExtensions = allowedExtensions == null ? List.of() : List.copyOf(allowedExtensions);
        defaultExtensions = defaultExtensions == null ? List.of() : List.copyOf(defaultExtensions);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
