package io.paasbroker.provisioner.local.redis;

/**
 * The provisioner properties of a local Redis plan.
 *
 * @param server the configured server that holds this plan's keys
 */
record LocalRedisPlan(String server) {}
