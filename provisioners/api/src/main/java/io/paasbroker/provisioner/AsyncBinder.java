package io.paasbroker.provisioner;

/**
 * The role of a provisioner whose binds may take longer than a request (ElastiCache RBAC users and IAM keys are
 * eventually consistent): a bind may answer {@link StepOutcome.InProgress}, and the broker polls it, answering the
 * platform 202 with an operation meanwhile. A provisioner without this role binds within the step.
 */
public interface AsyncBinder {

    /** Starts the bind; may finish it at once. Idempotent, like every step. */
    BindOutcome startBind(BindRequest request);

    /** Reads the bind {@link #startBind} left in progress under {@code reference}. */
    BindOutcome pollBind(BindRequest request, String reference);
}
