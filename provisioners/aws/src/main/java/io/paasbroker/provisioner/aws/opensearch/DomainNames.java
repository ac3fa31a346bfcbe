package io.paasbroker.provisioner.aws.opensearch;

import io.paasbroker.provisioner.ResourceNames;

/**
 * The name of an instance's domain, from its OSB id, under the broker's prefix so one account can hold several
 * brokers' domains: OpenSearch Service takes a lowercase letter first, then lowercase letters, digits and hyphens, at
 * most 28 in all. The hash fills what the prefix leaves, at least {@link #MIN_HASH} hex digits.
 */
final class DomainNames {

    static final int MAX_LENGTH = 28;
    static final int MIN_HASH = 12;

    /** The master user of every domain: fine-grained access control's administrator, in the credential store. */
    static final String MASTER_USER = "paasbroker";

    private DomainNames() {}

    /** Whether a prefix leaves room for a hash long enough to keep instances apart. */
    static boolean fits(String prefix) {
        return prefix.length() + 1 + MIN_HASH <= MAX_LENGTH;
    }

    static String domain(String prefix, String instanceId) {
        return prefix + "-" + ResourceNames.hash(instanceId, MAX_LENGTH - prefix.length() - 1);
    }
}
