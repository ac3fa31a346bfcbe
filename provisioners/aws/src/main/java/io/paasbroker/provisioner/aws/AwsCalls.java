package io.paasbroker.provisioner.aws;

import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One AWS call of a step, its failure in the SPI's terms: what may pass (throttling, 5xx, no answer, after the SDK's
 * own retries) is worth the step again; what AWS refused as asked fails the step with AWS's reason, which names no
 * secret.
 */
public final class AwsCalls {

    private AwsCalls() {}

    /** Runs {@code call}; {@code doing} says what for, in the failure's message: {@code creating RDS instance pb-1}. */
    public static <T> T call(String doing, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            if (mayPass(e)) {
                throw new BackingServiceUnavailableException(doing + ": AWS answered " + reason(e), e);
            }
            throw new ProvisioningFailedException(doing + ": AWS refused: " + reason(e), e);
        } catch (SdkClientException e) {
            throw new BackingServiceUnavailableException(doing + ": AWS did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * The one resource a describe call answers, or none when AWS says there is no such resource
     * ({@code notFound}, the operation's own "not found" exception).
     */
    public static <R, T> Optional<T> find(
            String doing, Supplier<R> call, Function<R, List<T>> found, Class<? extends AwsServiceException> notFound) {
        try {
            return found.apply(call(doing, call)).stream().findFirst();
        } catch (ProvisioningFailedException e) {
            if (notFound.isInstance(e.getCause())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the same call may succeed later. */
    public static boolean mayPass(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() >= 500 || e.retryable();
    }

    /** The error's code and AWS's message: {@code InvalidParameterValue: Invalid DB Instance class}. */
    public static String reason(AwsServiceException e) {
        if (e.awsErrorDetails() == null) {
            return "HTTP " + e.statusCode();
        }
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    /** Whether AWS refused with this error code. */
    public static boolean is(AwsServiceException e, String code) {
        return e.awsErrorDetails() != null && code.equals(e.awsErrorDetails().errorCode());
    }

    /** Runs an AWS call whose refusal with {@code expected} means it needs no doing (already made) or not now. */
    public static void ignoring(Class<? extends AwsServiceException> expected, String doing, Runnable call) {
        try {
            call(doing, () -> {
                call.run();
                return null;
            });
        } catch (ProvisioningFailedException e) {
            if (!expected.isInstance(e.getCause())) {
                throw e;
            }
        }
    }
}
