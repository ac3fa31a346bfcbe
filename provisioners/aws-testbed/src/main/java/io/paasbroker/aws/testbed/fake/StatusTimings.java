package io.paasbroker.aws.testbed.fake;

import java.time.Duration;

/**
 * How long a fake's resources stay in each passing status: {@code creating}, the first {@code backing-up} (and a
 * snapshot's {@code creating}), {@code modifying}, {@code deleting}. The suites make them short; the try-it process
 * about as long as a small resource's on AWS, scaled down.
 */
public record StatusTimings(Duration creating, Duration backingUp, Duration modifying, Duration deleting) {}
