package io.paasbroker.aws.testbed.fake;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** Unmodified SDK clients of a fake: a test's own look at what the broker made, signed with a key the fake knows. */
final class FakeClients {

    private FakeClients() {}

    /** The client {@code builder} makes, sending to {@code endpoint} in {@code region}, signing with {@code key}. */
    static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C of(
            B builder, URI endpoint, String region, AccessKeys.Key key) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(key.id(), key.secret())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
