package io.paasbroker.provisioner.local.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.paasbroker.broker.credentials.CredentialStore;
import io.paasbroker.broker.support.BrokerIT;
import io.paasbroker.provisioner.local.s3.LocalS3Server;
import io.paasbroker.provisioner.local.s3.S3AccessKey;
import io.paasbroker.provisioner.local.s3.S3Namespaces;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 server's keys are the broker's state: a key one replica issues works on another replica's server at once,
 * and a key one replica revokes is refused by the other's at the next request, whatever either has cached.
 */
class StateStoreS3KeysIT extends BrokerIT {

    @Autowired
    CredentialStore credentials;

    @Test
    void aKeyIssuedAndRevokedByOneReplicaIsHonouredAtOnceByAnother() throws Exception {
        Path storage = Files.createTempDirectory("s3-replica");
        StateStoreS3Keys replicaA = new StateStoreS3Keys(jdbc, credentials);
        StateStoreS3Keys replicaB = new StateStoreS3Keys(jdbc, credentials);
        try (S3Namespaces namespaces = new S3Namespaces(storage);
                LocalS3Server serverOfB =
                        LocalS3Server.start("127.0.0.1", 0, "127.0.0.1", namespaces, replicaB, Optional.empty())) {
            namespaces.store("i-replicas").createContainer("pb-replicas");
            S3AccessKey key = new S3AccessKey(
                    newId(),
                    "PBAKREPLICATEST" + (System.nanoTime() % 100000),
                    "secret-of-the-replica-test-0123456789ab",
                    "i-replicas",
                    "pb-replicas",
                    false);

            replicaA.register(key);
            try (S3Client app = client(serverOfB, key)) {
                app.putObject(b -> b.bucket("pb-replicas").key("k"), RequestBody.fromString("v"));
                assertThat(app.getObjectAsBytes(b -> b.bucket("pb-replicas").key("k"))
                                .asUtf8String())
                        .isEqualTo("v");

                replicaA.revoke(key.bindingId());

                S3Exception refused = catchThrowableOfType(
                        S3Exception.class,
                        () -> app.getObjectAsBytes(b -> b.bucket("pb-replicas").key("k")));
                assertThat(refused).isNotNull();
                assertThat(refused.statusCode()).isEqualTo(403);
            }
        }
        assertThat(jdbc.sql("SELECT count(*) FROM credentials WHERE ref LIKE 's3-keys/%'")
                        .query(Long.class)
                        .single())
                .as("the revoked key's secret is gone from the credential store")
                .isZero();
    }

    private static S3Client client(LocalS3Server server, S3AccessKey key) {
        return S3Client.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.of(LocalS3Server.REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
