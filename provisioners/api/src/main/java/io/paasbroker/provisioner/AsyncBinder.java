package io.paasbroker.provisioner;

/**
 * The role of a provisioner whose binds and unbinds may take longer than a request (ElastiCache RBAC users and IAM
 * keys are eventually consistent): either may answer {@link StepOutcome.InProgress}, and the broker polls it,
 * answering the platform 202 with an operation meanwhile. A provisioner without this role binds and unbinds within
 * the step.
 */
public interface AsyncBinder {

    /** Starts the bind; may finish it at once. Idempotent, like every step. */
    BindOutcome startBind(BindRequest request);

    /** Reads the bind {@link #startBind} left in progress under {@code reference}. */
    BindOutcome pollBind(BindRequest request, String reference);

    /** Starts revoking the binding: {@link StepOutcome.Completed} once it is revoked. Idempotent. */
    StepOutcome startUnbind(BindRequest request);

    /** Reads the unbind {@link #startUnbind} left in progress under {@code reference}. */
    StepOutcome pollUnbind(BindRequest request, String reference);
}
