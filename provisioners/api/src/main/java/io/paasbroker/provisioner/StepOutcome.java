package io.paasbroker.provisioner;

import java.util.Map;

/** What a provisioner step did: finished, or started something the broker polls later. */
public sealed interface StepOutcome {

    /**
     * The step is done. {@code outputs} are facts about the resource that are no secret (its name, its host) and
     * are kept in the broker's state; {@code secrets} go to the credential store only.
     */
    record Completed(Map<String, String> outputs, Map<String, String> secrets) implements StepOutcome {
        public Completed {
            outputs = Map.copyOf(outputs);
            secrets = Map.copyOf(secrets);
        }

        public static Completed with(Map<String, String> outputs) {
            return new Completed(outputs, Map.of());
        }
    }

    /** The resource is still being made; {@code reference} lets {@link ServiceProvisioner#poll} find it. */
    record InProgress(String reference, String description) implements StepOutcome, BindOutcome {}
}
