package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/** A fake's own mistakes count too: an error its model does not list for the operation is kept as a violation. */
class QueryServiceFakeTest {

    @Test
    void anErrorTheModelDoesNotListForTheOperationIsKept() {
        try (QueryServiceFake fake =
                        new QueryServiceFake(
                                ServiceModel.load("rds", "2014-10-31"),
                                FullModel.load("rds", "2014-10-31"),
                                "http://rds.amazonaws.com/doc/2014-10-31/") {
                            {
                                on("CreateDBInstance", parameters -> {
                                    throw new AwsFault("DBInstanceNotFound", 404, "not found");
                                });
                            }
                        };
                RdsClient rds = RdsClient.builder()
                        .endpointOverride(fake.endpoint())
                        .region(Region.EU_WEST_2)
                        .credentialsProvider(
                                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
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
}
