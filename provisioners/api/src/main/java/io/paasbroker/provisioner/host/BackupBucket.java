package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;

/**
 * An S3-compatible bucket for the broker's backups: the one the operator configured, or one a provisioner module
 * offers when there is none (the local S3 server's, in the try-it default).
 *
 * @param endpoint the server's endpoint; null for AWS S3 itself
 * @param accessKeyId null for the AWS SDK's default credentials (environment, profile, instance role)
 * @param pathStyle whether the bucket is addressed in the path rather than in the host name
 * @param tls how the broker verifies the endpoint
 */
public record BackupBucket(
        URI endpoint,
        String region,
        String bucket,
        String accessKeyId,
        String secretAccessKey,
        boolean pathStyle,
        ServerTls tls) {

    @Override
    public String toString() {
        return "BackupBucket[" + bucket + " at " + endpoint + "]";
    }
}
