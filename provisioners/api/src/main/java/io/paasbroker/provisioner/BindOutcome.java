package io.paasbroker.provisioner;

/** What a bind did: issued the binding's credentials, or started making them (a user the cloud makes in a while). */
public sealed interface BindOutcome permits BindOutcome.Bound, StepOutcome.InProgress {

    /** The binding's credentials, issued. */
    record Bound(Credentials credentials) implements BindOutcome {}
}
