package io.paasbroker.provisioner.aws;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The real AWS account a live suite runs in, as its environment names it: the region
 * ({@code PAASBROKER_AWS_LIVE_REGION}), the AWS SDK's default credential chain, and a role to assume where
 * {@code PAASBROKER_AWS_LIVE_ROLE_ARN} names one.
 */
public final class LiveAccount {

    private LiveAccount() {}

    public static String region() {
        return System.getenv("PAASBROKER_AWS_LIVE_REGION");
    }

    /** The broker's clients of the account, named {@code default}; {@code rdsCaCertificate}: the region's RDS CA. */
    public static AwsClients clients(String rdsCaCertificate) {
        return new AwsClients(
                Map.of(
                        "default",
                        new AwsAccount(
                                "default",
                                region(),
                                System.getenv("PAASBROKER_AWS_LIVE_ROLE_ARN"),
                                null,
                                Map.of(),
                                rdsCaCertificate,
                                null,
                                null)),
                DefaultCredentialsProvider.builder().build());
    }
}
