package io.paasbroker.provisioner.local.mysql;

/**
 * The provisioner properties of a local MySQL plan.
 *
 * @param server the configured server that holds this plan's databases
 * @param maxUserConnections the most connections each binding's user may hold at once; none when null
 */
record LocalMysqlPlan(String server, Integer maxUserConnections) {

    /** The value of MAX_USER_CONNECTIONS, where 0 means no limit of the account's own. */
    int userConnectionLimit() {
        return maxUserConnections == null ? 0 : maxUserConnections;
    }
}
