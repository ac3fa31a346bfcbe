package io.paasbroker.provisioner.local.opensearch;

/**
 * The provisioner properties of a local OpenSearch plan.
 *
 * @param server the configured server that holds this plan's indices
 */
record LocalOpenSearchPlan(String server) {}
