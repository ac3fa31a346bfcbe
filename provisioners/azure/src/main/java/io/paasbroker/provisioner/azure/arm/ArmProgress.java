package io.paasbroker.provisioner.azure.arm;

import io.paasbroker.provisioner.StepOutcome;
import java.util.Optional;

/**
 * What a step left in progress: its stage and the Azure operation it waits for, if any. Its reference is
 * {@code <stage>} or {@code <stage> <operation's reference>}, so any replica polls it.
 *
 * @param <S> the stages of the provisioner's steps
 */
public record ArmProgress<S extends Enum<S>>(S stage, Optional<LongRunningOperation> operation) {

    public StepOutcome.InProgress outcome(String description) {
        return new StepOutcome.InProgress(reference(), description);
    }

    public String reference() {
        return stage.name().toLowerCase()
                + operation.map(running -> " " + running.reference()).orElse("");
    }

    public static <S extends Enum<S>> ArmProgress<S> of(Class<S> stages, String reference) {
        String[] parts = reference.split(" ", 2);
        return new ArmProgress<>(
                Enum.valueOf(stages, parts[0].toUpperCase()),
                parts.length == 2 ? Optional.of(LongRunningOperation.ofReference(parts[1])) : Optional.empty());
    }
}
