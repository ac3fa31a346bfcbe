package io.paasbroker.broker.backup;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Backups in a bucket of any S3-compatible store: AWS S3, or the broker's own S3 server in local mode. */
public final class S3BackupStore implements BackupStore, AutoCloseable {

    private final S3Client s3;
    private final String bucket;
    private final String where;

    /**
     * @param endpoint null for AWS itself
     * @param accessKeyId null for the AWS SDK's default credentials (environment, profile, instance role)
     */
    public S3BackupStore(
            URI endpoint,
            String region,
            String bucket,
            String accessKeyId,
            String secretAccessKey,
            boolean pathStyle,
            ServerTls tls) {
        AwsCredentialsProvider credentials = accessKeyId == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(pathStyle)
                .httpClient(UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(
                                () -> tls.trustManagerFactory().getTrustManagers())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.s3 = builder.build();
        this.bucket = bucket;
        this.where = "s3://" + bucket + (endpoint == null ? "" : " at " + endpoint);
    }

    @Override
    public void put(String key, Path file) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new BackupStoreException("cannot store backup object " + key + " in " + where, e);
        }
    }

    @Override
    public void get(String key, Path file) {
        try {
            Files.deleteIfExists(file);
            s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(file));
        } catch (SdkException | IOException e) {
            throw new BackupStoreException("cannot read backup object " + key + " from " + where, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new BackupStoreException("cannot delete backup object " + key + " from " + where, e);
        }
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        s3.close();
    }
}
