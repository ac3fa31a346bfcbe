package io.paasbroker.provisioner;

import io.paasbroker.catalog.Plan;
import java.util.Map;

/** A change of plan, parameters or maintenance version of an existing instance. */
public record UpdateRequest(InstanceRequest instance, Plan previousPlan, Map<String, Object> previousParameters) {}
