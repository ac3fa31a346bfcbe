package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
