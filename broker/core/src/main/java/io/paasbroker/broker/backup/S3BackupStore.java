package io.paasbroker.broker.backup;

import io.paasbroker.provisioner.host.BackupBucket;
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

    public S3BackupStore(BackupBucket store) {
        URI endpoint = store.endpoint();
        AwsCredentialsProvider credentials = store.accessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(store.accessKeyId(), store.secretAccessKey()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(store.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(store.pathStyle())
                .httpClient(UrlConnectionHttpClient.builder()
                        .tlsTrustManagersProvider(
                                () -> store.tls().trustManagerFactory().getTrustManagers())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.s3 = builder.build();
        this.bucket = store.bucket();
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
