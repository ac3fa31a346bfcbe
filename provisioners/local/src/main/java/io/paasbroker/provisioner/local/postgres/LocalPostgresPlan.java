package io.paasbroker.provisioner.local.postgres;

/**
 * The provisioner properties of a local PostgreSQL plan.
 *
 * @param server the configured server that holds this plan's databases
 * @param connectionLimit the most connections the instance's database accepts; none when null
 */
record LocalPostgresPlan(String server, Integer connectionLimit) {}
