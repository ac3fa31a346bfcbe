package io.paasbroker.provisioner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The tags of every cloud resource an instance gets, for cost attribution and for finding what the broker made: the
 * broker, the instance, its plan, and the platform's organization, space or namespace where the platform gave them.
 * A value keeps the characters both AWS and Azure allow in one (letters, digits, spaces and {@code _.:/=+-@}; others
 * become {@code _}) and its first 256.
 */
public final class ResourceTags {

    public static final String BROKER = "paasbroker:broker";
    public static final String INSTANCE = "paasbroker:instance";
    public static final String PLAN = "paasbroker:plan";

    /** Labels of the platform's context worth a tag, and the tag each becomes. */
    private static final Map<String, String> LABELS = Map.of(
            "organization_guid", "paasbroker:organization",
            "organization_name", "paasbroker:organization-name",
            "space_guid", "paasbroker:space",
            "space_name", "paasbroker:space-name",
            "instance_name", "paasbroker:instance-name",
            "namespace", "paasbroker:namespace",
            "clusterid", "paasbroker:cluster",
            "platform", "paasbroker:platform");

    private static final int VALUE_LIMIT = 256;
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");

    private ResourceTags() {}

    /** {@code broker}: the name that tells this broker's resources from another's in one account. */
    public static Map<String, String> of(InstanceRequest instance, String broker) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(BROKER, broker);
        tags.put(INSTANCE, value(instance.instanceId()));
        tags.put(PLAN, value(instance.plan().name()));
        new TreeMap<>(instance.labels()).forEach((label, value) -> {
            String tag = LABELS.get(label);
            if (tag != null && value != null) {
                tags.put(tag, value(value));
            }
        });
        return tags;
    }

    /**
     * Refuses to adopt {@code resource}, which has the name the step would give the instance's, unless its
     * {@link #INSTANCE} tag (among {@code tags}, read by {@code key} and {@code value}) is the instance's: a resource
     * of another broker or instance is never taken over.
     */
    public static <T> void requireInstance(
            String resource, List<T> tags, Function<T, String> key, Function<T, String> value, String instanceId) {
        String owner = tags.stream()
                .filter(tag -> key.apply(tag).equals(INSTANCE))
                .map(value)
                .findFirst()
                .orElse("");
        if (!owner.equals(value(instanceId))) {
            throw new ProvisioningFailedException(resource + " exists and is not this instance's (its " + INSTANCE
                    + " tag says otherwise): the operator must remove it");
        }
    }

    /** {@code text} as a tag's value. */
    public static String value(String text) {
        String allowed = NOT_ALLOWED.matcher(text).replaceAll("_");
        return allowed.length() <= VALUE_LIMIT ? allowed : allowed.substring(0, VALUE_LIMIT);
    }
}
