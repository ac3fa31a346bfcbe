package io.paasbroker.provisioner.local.mysql;

import java.util.Locale;

/**
 * The provisioner properties of a local MySQL plan: each limit holds for each binding's user on its own.
 *
 * @param server the configured server that holds this plan's databases
 * @param maxUserConnections the most connections at once; none when null
 * @param maxQueriesPerHour the most statements an hour; none when null
 * @param maxStatementTime the most seconds one statement may run (MariaDB only); none when null
 * @param requireTls whether the server refuses the users without TLS
 */
record LocalMysqlPlan(
        String server,
        Integer maxUserConnections,
        Integer maxQueriesPerHour,
        Double maxStatementTime,
        boolean requireTls) {

    /** The value of MAX_USER_CONNECTIONS, where 0 means no limit of the account's own. */
    int userConnectionLimit() {
        return maxUserConnections == null ? 0 : maxUserConnections;
    }

    /**
     * The TLS and resource options of ALTER USER that put a user under this plan, 0 lifting a limit. A statement time
     * is named only where this plan or {@code previous} sets one: MySQL 8 does not know the option.
     */
    String userLimits(LocalMysqlPlan previous) {
        String limits = (requireTls ? "REQUIRE SSL" : "REQUIRE NONE") + " WITH MAX_USER_CONNECTIONS "
                + userConnectionLimit() + " MAX_QUERIES_PER_HOUR "
                + (maxQueriesPerHour == null ? 0 : maxQueriesPerHour);
        if (maxStatementTime != null || previous != null && previous.maxStatementTime() != null) {
            limits += String.format(
                    Locale.ROOT, " MAX_STATEMENT_TIME %.3f", maxStatementTime == null ? 0 : maxStatementTime);
        }
        return limits;
    }
}
