package io.paasbroker.provisioner.host;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;

/**
 * An S3-compatible bucket a provisioner module offers for the broker's backups when the operator configured none (the
 * local S3 server's, in the try-it default).
 *
 * @param endpoint the server's endpoint
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
