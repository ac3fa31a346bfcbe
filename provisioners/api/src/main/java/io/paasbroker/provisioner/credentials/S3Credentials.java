package io.paasbroker.provisioner.credentials;

import io.paasbroker.provisioner.Credentials;
import java.net.URI;

/**
 * An S3 binding's credentials, the same for every provisioner: an access key that reaches the instance's bucket only.
 * No Java reader maps them; an application builds its client from {@code endpoint}, {@code region},
 * {@code access_key_id}, {@code secret_access_key} and {@code path_style} (see the README).
 *
 * @param endpoint the S3 endpoint ({@code https://...})
 * @param region the signing region
 * @param bucket the instance's bucket
 * @param accessKeyId the binding's key id
 * @param secretAccessKey its secret
 * @param pathStyle whether clients must address the bucket in the path (an endpoint without per-bucket host names)
 * @param tls how to verify the endpoint
 * @param readOnly whether the key may only read
 */
public record S3Credentials(
        URI endpoint,
        String region,
        String bucket,
        String accessKeyId,
        String secretAccessKey,
        boolean pathStyle,
        ServerTls tls,
        boolean readOnly) {

    /** Key id and secret are letters and digits (each provisioner's): URI-safe. */
    public Credentials toCredentials() {
        return new CredentialValues("s3")
                .put("bucket_name", bucket)
                .put("endpoint", endpoint.toString())
                .put(
                        "uri",
                        "s3://" + accessKeyId + ":" + secretAccessKey + "@" + endpoint.getAuthority() + "/" + bucket)
                .put("region", region)
                .put("access_key_id", accessKeyId)
                .put("secret_access_key", secretAccessKey)
                .put("path_style", pathStyle)
                .put("read_only", readOnly)
                .ca(tls)
                .build();
    }

    @Override
    public String toString() {
        return "S3Credentials[" + accessKeyId + " " + endpoint + "/" + bucket + ", " + tls + "]";
    }
}
