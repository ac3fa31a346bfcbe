package io.paasbroker.provisioner.aws;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The shared {@link io.paasbroker.provisioner.Sweeper} for AWS: any refusal of AWS's is asked again next round. */
public final class Sweeper {

    private Sweeper() {}

    public static void sweep(Supplier<List<String>> left, Consumer<String> delete) {
        io.paasbroker.provisioner.Sweeper.sweep(left, delete, AwsServiceException.class::isInstance);
    }
}
