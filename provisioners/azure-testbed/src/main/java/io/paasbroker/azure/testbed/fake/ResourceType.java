package io.paasbroker.azure.testbed.fake;

/** A resource type the fake Azure Resource Manager serves, with every request to its resources and their children. */
public interface ResourceType {

    /** {@code Microsoft.DBforPostgreSQL/flexibleServers}. */
    String type();

    /** Answers the request, or throws the {@link ArmError} Azure would answer. */
    ArmAnswer handle(ArmRequest request);
}
