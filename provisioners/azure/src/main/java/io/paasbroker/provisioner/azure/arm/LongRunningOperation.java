package io.paasbroker.provisioner.azure.arm;

import java.net.URI;
import java.util.Optional;

/**
 * A request Azure Resource Manager carries out in the background, as Azure defines its polling: the
 * {@code Azure-AsyncOperation} URL answers the operation's status ({@code InProgress}, {@code Succeeded},
 * {@code Failed}, {@code Canceled}, with Azure's error); where Azure gives only a {@code Location} URL, it answers 202
 * while the operation runs and 200 or 204 once it is done. The broker polls it at its own interval; the SDK's pipeline
 * waits as {@code Retry-After} says between the retries of one request.
 *
 * <p>It outlives the step that started it, in the operation's progress reference ({@link #reference}), so any
 * replica polls it.
 */
public record LongRunningOperation(Optional<URI> asyncOperation, Optional<URI> location) {

    private static final String SEPARATOR = " ";
    private static final String NONE = "-";

    /** The operation as text that {@link #ofReference} reads back: the two URLs, {@code -} for one not given. */
    public String reference() {
        return asyncOperation.map(URI::toString).orElse(NONE)
                + SEPARATOR
                + location.map(URI::toString).orElse(NONE);
    }

    public static LongRunningOperation ofReference(String reference) {
        String[] urls = reference.split(SEPARATOR, -1);
        if (urls.length != 2) {
            throw new IllegalArgumentException("not a long-running operation's reference: " + reference);
        }
        return new LongRunningOperation(url(urls[0]), url(urls[1]));
    }

    private static Optional<URI> url(String text) {
        return text.equals(NONE) ? Optional.empty() : Optional.of(URI.create(text));
    }

    /** Where an operation stands. */
    public enum Status {
        RUNNING,
        SUCCEEDED,
        FAILED;

        /** Azure's status, case as Azure pleases; anything not terminal is still running. */
        static Status of(String azureStatus) {
            return switch (azureStatus.toLowerCase()) {
                case "succeeded" -> SUCCEEDED;
                case "failed", "canceled", "cancelled" -> FAILED;
                default -> RUNNING;
            };
        }
    }

    /** One answer of the operation: its status and, when it failed, Azure's reason. */
    public record State(Status status, String reason) {}
}
