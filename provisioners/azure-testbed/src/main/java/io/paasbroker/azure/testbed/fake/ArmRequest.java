package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One request to a resource of a type the fake serves, as Azure Resource Manager routes it.
 *
 * @param method {@code GET}, {@code PUT}, {@code PATCH}, {@code DELETE}, {@code POST}
 * @param group the resource group it is in
 * @param name the resource's name: {@code pb-1a2b...}; empty for a request to the type's collection
 * @param children what follows the name: {@code ["configurations", "azure.extensions"]}, {@code ["start"]}
 * @param body the request's JSON body, {@code MissingNode} when it has none
 * @param resourceId the resource's id, up to its name
 */
public record ArmRequest(
        String method,
        ResourceGroup group,
        String name,
        List<String> children,
        JsonNode body,
        String apiVersion,
        String resourceId) {

    public ArmRequest {
        children = List.copyOf(children);
    }

    /** Whether it is to the resource itself, not one of its children. */
    public boolean toResource() {
        return children.isEmpty();
    }

    /** A resource group of a subscription, and the region it is in. */
    public record ResourceGroup(String subscriptionId, String name, String location) {

        public String id() {
            return "/subscriptions/" + subscriptionId + "/resourceGroups/" + name;
        }
    }
}
