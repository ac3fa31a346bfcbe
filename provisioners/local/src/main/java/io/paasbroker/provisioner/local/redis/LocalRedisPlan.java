package io.paasbroker.provisioner.local.redis;

/**
 * The provisioner properties of a local Redis plan.
 *
 * @param server the configured server that holds this plan's keys
 * @param requireTls whether the server must refuse the users without TLS: Redis cannot refuse plaintext per user, so
 *     this takes a server with no plaintext port ({@code port 0}, TLS on {@code tls-port}), checked on every bind
 */
record LocalRedisPlan(String server, boolean requireTls) {}
