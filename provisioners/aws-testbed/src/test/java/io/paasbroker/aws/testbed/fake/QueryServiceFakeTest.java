package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.RdsException;

/**
 * What every fake checks before its handlers run: a Signature Version 4 by a key the test bed knows, for its region and
 * service; and a fake's own mistakes count too: an error its model does not list for the operation is kept.
 */
class QueryServiceFakeTest {

    private final AccessKeys keys = AccessKeys.withFirstKey();
    private final QueryServiceFake fake =
            new QueryServiceFake(
                    ServiceModel.load("rds", "2014-10-31"),
                    FullModel.load("rds", "2014-10-31"),
                    "http://rds.amazonaws.com/doc/2014-10-31/",
                    keys,
                    "eu-west-2") {
                {
                    on(
                            "DescribeDBInstances",
                            parameters -> DescribeDbInstancesResponse.builder().build());
                    on("CreateDBInstance", parameters -> {
                        throw new AwsFault("DBInstanceNotFound", 404, "not found");
                    });
                }
            };

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aRequestSignedByAKnownKeyForTheRegionIsAnswered() {
        try (RdsClient rds = client(keys.first().id(), keys.first().secret(), Region.EU_WEST_2)) {
            assertThatCode(rds::describeDBInstances).doesNotThrowAnyException();
        }
    }

    @Test
    void signaturesOfUnknownKeysWrongSecretsOtherRegionsAndRevokedKeysAreRefused() {
        AccessKeys.Key revoked = keys.issue();
        keys.revoke(revoked.id());

        assertThat(errorOf("AKIAUNKNOWNKEY000000", keys.first().secret(), Region.EU_WEST_2))
                .isEqualTo("InvalidClientTokenId");
        assertThat(errorOf(keys.first().id(), "not-the-secret", Region.EU_WEST_2))
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(errorOf(keys.first().id(), keys.first().secret(), Region.US_EAST_1))
                .isEqualTo("SignatureDoesNotMatch");
        assertThat(errorOf(revoked.id(), revoked.secret(), Region.EU_WEST_2)).isEqualTo("InvalidClientTokenId");
        assertThat(fake.takeViolations()).isEmpty();
    }

    /** A request signed as the SDK signs it, then changed on the way: its body, or its date pushed back an hour. */
    @Test
    void aSignedRequestChangedAfterSigningOrTooOldIsRefused() throws Exception {
        SdkHttpRequest[] signed = new SdkHttpRequest[1];
        String[] sent = new String[1];
        try (RdsClient rds = RdsClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.EU_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        keys.first().id(), keys.first().secret())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        signed[0] = context.httpRequest();
                        try (InputStream body = ((SdkHttpFullRequest) context.httpRequest())
                                .contentStreamProvider()
                                .orElseThrow()
                                .newStream()) {
                            sent[0] = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }))
                .build()) {
            rds.describeDBInstances(b -> b.maxRecords(20));
        }
        String body = sent[0];

        assertThat(replay(signed[0], body, Map.of()))
                .as("the request as signed")
                .isEqualTo(200);
        assertThat(replay(signed[0], body.replace("20", "30"), Map.of()))
                .as("its body changed")
                .isEqualTo(403);
        String anHourAgo = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now().minus(Duration.ofHours(1)));
        assertThat(replay(signed[0], body, Map.of("X-Amz-Date", anHourAgo)))
                .as("signed an hour ago")
                .isEqualTo(400);
        assertThat(fake.takeViolations()).isEmpty();
    }

    @Test
    void anErrorTheModelDoesNotListForTheOperationIsKept() {
        try (RdsClient rds = client(keys.first().id(), keys.first().secret(), Region.EU_WEST_2)) {
            assertThatThrownBy(() -> rds.createDBInstance(b -> b.dbInstanceIdentifier("pb-1")
                            .dbInstanceClass("db.t3.micro")
                            .engine("postgres")))
                    .isInstanceOf(DbInstanceNotFoundException.class);

            assertThat(fake.takeViolations())
                    .containsExactly(
                            "CreateDBInstance: the fake answered DBInstanceNotFound, an error the model does not list"
                                    + " for it");
        }
    }

    /** Sends {@code body} with the signed request's headers, some replaced; answers the status. */
    private int replay(SdkHttpRequest signed, String body, Map<String, String> replaced) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(fake.endpoint()).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.headers().forEach((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase())) {
                request.header(name, replaced.getOrDefault(name, values.get(0)));
            }
        });
        return HttpClient.newHttpClient()
                .send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Headers the JDK's client sets itself (the fake's signature check sees the host it sends, the one signed). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    private String errorOf(String keyId, String secret, Region region) {
        try (RdsClient rds = client(keyId, secret, region)) {
            rds.describeDBInstances();
            return "none";
        } catch (RdsException e) {
            return e.awsErrorDetails().errorCode();
        }
    }

    private RdsClient client(String keyId, String secret, Region region) {
        return RdsClient.builder()
                .endpointOverride(fake.endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
