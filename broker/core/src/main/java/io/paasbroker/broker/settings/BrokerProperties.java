package io.paasbroker.broker.settings;

import io.paasbroker.provisioner.credentials.ServerTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Everything an operator configures under {@code paasbroker.*}; see CONFIGURATION.md. */
@ConfigurationProperties("paasbroker")
public record BrokerProperties(
        @DefaultValue("paasbroker-data") Path dataDirectory,
        @DefaultValue("classpath:catalog.yml") String catalog,
        @DefaultValue Embedded embedded,
        @DefaultValue Operations operations,
        @DefaultValue Credentials credentials,
        @DefaultValue Backups backups,
        @DefaultValue Security security,
        @DefaultValue Requests requests) {

    /**
     * What an OSB request may carry.
     *
     * @param maxBodySize the largest request body; a larger one is answered 413 before it is read (and then dropped up
     *     to {@code server.tomcat.max-swallow-size}, so that its sender reads the answer)
     */
    public record Requests(@DefaultValue("1MB") DataSize maxBodySize) {}

    /**
     * Whether the broker runs on the embedded default: real servers it starts itself under the data directory. Only the
     * standalone artifact has them, and turns this on unless told otherwise; with it, the broker may generate its
     * platform password and its credential key where none is configured.
     */
    public record Embedded(@DefaultValue("false") boolean enabled) {}

    /**
     * @param workers operations run at once on this replica
     * @param pollInterval how often a replica looks for due operations that no replica holds
     * @param lease how long a claimed operation stays with its replica without a heartbeat
     * @param retryAfter the Retry-After a platform is told while an operation is in progress
     * @param retryBackoff the wait before another attempt when a backing server was unavailable
     * @param giveUpAfter how long an operation keeps retrying an unavailable backing server before it fails, from the
     *     first unanswered attempt in a row
     */
    public record Operations(
            @DefaultValue("4") int workers,
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("30s") Duration lease,
            @DefaultValue("2s") Duration retryAfter,
            @DefaultValue("5s") Duration retryBackoff,
            @DefaultValue("2m") Duration giveUpAfter) {}

    public record Credentials(
            @DefaultValue("encrypted-jdbc") String store,
            @DefaultValue EncryptedJdbc encryptedJdbc,
            @DefaultValue Vault vault) {}

    /** With no keys configured, the embedded default generates one into the data directory. */
    public record EncryptedJdbc(List<Key> keys, String activeKey) {
        public record Key(String id, String secret) {
            @Override
            public String toString() {
                return "Key[" + id + "]";
            }
        }
    }

    public record Vault(
            URI address,
            @DefaultValue("secret") String kvMount,
            @DefaultValue("paasbroker") String pathPrefix,
            String namespace,
            String token,
            @DefaultValue("approle") String appRoleMount,
            String roleId,
            String secretId,
            @DefaultValue("5s") Duration timeout) {
        @Override
        public String toString() {
            return "Vault[" + address + "]";
        }
    }

    /**
     * Backups of tenants' data.
     *
     * @param store where backup objects go; without a bucket, one a provisioner module offers (the local S3 server's)
     * @param keepOnDemand how long a backup asked for with {@code {"backup": "now"}} is kept
     * @param keepFinal how long the backup taken when an instance is deleted is kept
     * @param workDirectory where a backup is written before it is stored; by default {@code backup-work/} in the data
     *     directory (it needs room for the largest backup)
     * @param checkInterval how often each replica looks for scheduled backups that are due and backups that expired
     * @param snapshotPollInterval how often a backup the provider keeps as a snapshot is asked whether it is done
     */
    public record Backups(
            @DefaultValue Store store,
            @DefaultValue("30d") Duration keepOnDemand,
            @DefaultValue("30d") Duration keepFinal,
            Path workDirectory,
            @DefaultValue("60s") Duration checkInterval,
            @DefaultValue("10s") Duration snapshotPollInterval) {

        /**
         * An S3-compatible bucket.
         *
         * @param endpoint null for AWS S3 itself
         * @param accessKeyId null for the AWS SDK's default credentials (environment, profile, instance role)
         * @param caCertificate the PEM of the CA of an HTTPS endpoint the system's CAs do not vouch for
         */
        public record Store(
                URI endpoint,
                @DefaultValue("us-east-1") String region,
                String bucket,
                String accessKeyId,
                String secretAccessKey,
                @DefaultValue("false") boolean pathStyle,
                String caCertificate) {

            public ServerTls tls() {
                return ServerTls.verifiedBy(caCertificate);
            }

            @Override
            public String toString() {
                return "Store[" + bucket + (endpoint == null ? "" : " at " + endpoint) + "]";
            }
        }
    }

    /**
     * Platforms allowed to call /v2, and operators allowed to call /admin (admin password rotation), each with a
     * BCrypt hash of its password.
     *
     * @param failedLoginDelay how long after it began every failed login is answered, whichever way it failed
     * @param failedLoginsPerMinute failed logins a client address may make in a minute before it is refused (429)
     */
    public record Security(
            List<Account> platforms,
            List<Account> operators,
            @DefaultValue("300ms") Duration failedLoginDelay,
            @DefaultValue("20") int failedLoginsPerMinute) {
        public record Account(String username, String passwordHash) {}
    }
}
