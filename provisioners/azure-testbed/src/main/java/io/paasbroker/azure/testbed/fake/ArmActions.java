package io.paasbroker.azure.testbed.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Azure RBAC action a Resource Manager request needs, as Azure names it: the resource type path with each
 * resource's name left out, then {@code read} (GET), {@code write} (PUT, PATCH), {@code delete}, or
 * {@code <action>/action} (POST): {@code PUT .../flexibleServers/pb-1/firewallRules/broker} needs
 * {@code Microsoft.DBforPostgreSQL/flexibleServers/firewallRules/write}.
 */
public final class ArmActions {

    private ArmActions() {}

    /** The action of {@code method} on {@code path}; none for a path that is no resource's. */
    public static Optional<String> of(String method, String path) {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        List<String> types = new ArrayList<>();
        int providers = indexOf(parts, "providers");
        if (providers < 0) {
            // /subscriptions/{s}/resourceGroups/{rg}
            if (parts.length == 4 && parts[2].equalsIgnoreCase("resourceGroups")) {
                return Optional.of("Microsoft.Resources/subscriptions/resourceGroups/" + verb(method, null));
            }
            return Optional.empty();
        }
        if (providers + 2 > parts.length) {
            return Optional.empty();
        }
        types.add(parts[providers + 1]);
        String action = null;
        int i = providers + 2;
        while (i < parts.length) {
            if (i + 1 < parts.length) {
                types.add(parts[i]); // a type, then the resource's name
                i += 2;
            } else {
                if (method.equals("POST")) {
                    action = parts[i]; // the action itself
                } else {
                    types.add(parts[i]); // a collection
                }
                i++;
            }
        }
        return Optional.of(String.join("/", types) + "/" + verb(method, action));
    }

    private static String verb(String method, String action) {
        return switch (method) {
            case "GET", "HEAD" -> "read";
            case "PUT", "PATCH" -> "write";
            case "DELETE" -> "delete";
            case "POST" -> (action == null ? "action" : action + "/action");
            default -> throw new IllegalArgumentException("no RBAC verb for " + method);
        };
    }

    private static int indexOf(String[] parts, String wanted) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        return -1;
    }
}
