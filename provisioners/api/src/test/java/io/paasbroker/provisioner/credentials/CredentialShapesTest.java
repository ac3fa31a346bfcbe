package io.paasbroker.provisioner.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What applications read from each kind's credentials; that the readers take them and connect is shown with real
 * servers by the integration tests' {@code CredentialReadersIT}.
 */
class CredentialShapesTest {

    /** Any CA certificate will do: one the system has. */
    private static final String CA = read(Path.of("/etc/ssl/certs/ISRG_Root_X1.pem"));

    private static final ServerTls PRIVATE_CA = ServerTls.verifiedBy(CA);

    @Test
    void postgresqlCarriesBothConventionsAndAJdbcUrlThatVerifiesAgainstTheCaItCarries() {
        Map<String, Object> values = new PostgresqlCredentials(
                        "db.example", 5432, "pb_1", "pb_1_b", "s3cret", PRIVATE_CA, false)
                .toCredentials()
                .values();

        assertThat(values)
                .containsEntry("type", "postgresql")
                .containsEntry("host", "db.example")
                .containsEntry("hostname", "db.example")
                .containsEntry("database", "pb_1")
                .containsEntry("name", "pb_1")
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslrootcert", "ca.crt")
                .containsEntry("ca.crt", values.get("ca_certificate"));
        assertThat(values.get("uri")).isEqualTo("postgres://pb_1_b:s3cret@db.example:5432/pb_1?sslmode=verify-full");
        assertThat(values.get("url")).isEqualTo("postgresql://pb_1_b:s3cret@db.example:5432/pb_1?sslmode=verify-full");
        String jdbcUrl = (String) values.get("jdbc-url");
        assertThat(jdbcUrl)
                .startsWith("jdbc:postgresql://db.example:5432/pb_1?sslmode=verify-full&sslfactory=")
                .doesNotContain("s3cret");
        String ca = jdbcUrl.substring(jdbcUrl.indexOf("sslfactoryarg=") + "sslfactoryarg=".length());
        assertThat(URLDecoder.decode(ca, StandardCharsets.UTF_8)).isEqualTo(values.get("ca_certificate"));
        assertThat((String) values.get("jdbcUrl")).startsWith(jdbcUrl).endsWith("&user=pb_1_b&password=s3cret");
    }

    @Test
    void aServerWithoutTlsGetsNoTlsEntries() {
        Map<String, Object> values = new PostgresqlCredentials("h", 1, "d", "u", "p", ServerTls.OFF, false)
                .toCredentials()
                .values();

        assertThat(values).doesNotContainKeys("sslmode", "sslrootcert", "ca_certificate", "ca.crt");
        assertThat(values.get("jdbc-url")).isEqualTo("jdbc:postgresql://h:1/d");
        assertThat(values.get("uri")).isEqualTo("postgres://u:p@h:1/d");
    }

    /** MariaDB Connector/J takes URL parameters as written: the CA goes in raw. */
    @Test
    void mysqlsJdbcUrlWorksWithBothConnectorsAndCarriesTheCaRaw() {
        Map<String, Object> values = new MysqlCredentials("h", 3306, "d", "u", "p", PRIVATE_CA, true)
                .toCredentials()
                .values();

        assertThat(values.get("jdbc-url"))
                .isEqualTo("jdbc:mysql://h:3306/d?permitMysqlScheme&sslMode=VERIFY_IDENTITY&serverSslCert="
                        + values.get("ca_certificate"));
        assertThat(values).containsEntry("read_only", true).containsEntry("tls", true);
    }

    /** An {@code ssl} entry would stop a Spring Boot 3 application that reads a binding directory. */
    @Test
    void redisIsRedissWithTheUserInTheUrlAndNoSslEntry() {
        Map<String, Object> values = new RedisCredentials("h", 6380, "user-1", "p", "pb:1:", PRIVATE_CA, false)
                .toCredentials()
                .values();

        assertThat(values).doesNotContainKey("ssl").containsEntry("tls", true).containsEntry("key_prefix", "pb:1:");
        assertThat(values.get("url")).isEqualTo("rediss://user-1:p@h:6380");
        assertThat(values.get("uri")).isEqualTo(values.get("url"));
    }

    /** An instance with a server of its own (an ElastiCache group) owns every key: no prefix to keep to. */
    @Test
    void redisOfAServerOfItsOwnHasNoKeyPrefix() {
        Map<String, Object> values = new RedisCredentials("h", 6380, "user-1", "p", null, PRIVATE_CA, false)
                .toCredentials()
                .values();

        assertThat(values).doesNotContainKey("key_prefix").containsEntry("username", "user-1");
    }

    @Test
    void openSearchIsTypedForTheElasticsearchReaderWithItsUris() {
        Map<String, Object> values = new OpenSearchCredentials("h", 9200, "u", "p", "pb-1-", PRIVATE_CA, false)
                .toCredentials()
                .values();

        assertThat(values)
                .containsEntry("type", "elasticsearch")
                .containsEntry("uris", "https://h:9200")
                .containsEntry("uri", "https://u:p@h:9200");
    }

    @Test
    void s3NamesItsEndpointAndBucket() {
        Map<String, Object> values = new S3Credentials(
                        URI.create("https://h:9000"),
                        "us-east-1",
                        "pb-1",
                        "AK",
                        "SK",
                        true,
                        ServerTls.verifiedBy(null),
                        false)
                .toCredentials()
                .values();

        assertThat(values)
                .containsEntry("endpoint", "https://h:9000")
                .containsEntry("uri", "s3://AK:SK@h:9000/pb-1")
                .containsEntry("bucket_name", "pb-1")
                .doesNotContainKeys("ca_certificate", "ca.crt");
    }

    @Test
    void azureBlobGivesTheContainersSasUrlAndAConnectionStringTheAzureSdksTake() {
        Map<String, Object> values = new AzureBlobCredentials(
                        URI.create("https://pbblobs.blob.core.windows.net/"),
                        "pbblobs",
                        "pb-1",
                        "sv=2025-01-05&si=p1&sr=c&sig=abc%3D",
                        Instant.parse("2036-01-01T00:00:00Z"),
                        ServerTls.verifiedBy(null),
                        true)
                .toCredentials()
                .values();

        assertThat(values)
                .containsEntry("type", "azure-blob")
                .containsEntry("storage_account_name", "pbblobs")
                .containsEntry("container", "pb-1")
                .containsEntry("endpoint", "https://pbblobs.blob.core.windows.net")
                .containsEntry("uri", "https://pbblobs.blob.core.windows.net/pb-1?sv=2025-01-05&si=p1&sr=c&sig=abc%3D")
                .containsEntry(
                        "connection_string",
                        "BlobEndpoint=https://pbblobs.blob.core.windows.net;"
                                + "SharedAccessSignature=sv=2025-01-05&si=p1&sr=c&sig=abc%3D")
                .containsEntry("expires_at", "2036-01-01T00:00:00Z")
                .containsEntry("read_only", true)
                .doesNotContainKeys("ca_certificate", "ca.crt");
    }

    @Test
    void aCaIsRefusedWhenItIsNoCertificateOrTheServerHasNoTls() {
        assertThatThrownBy(
                        () -> ServerTls.verifiedBy("-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PEM X.509 certificate");
        assertThatThrownBy(() -> new ServerTls(false, CA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without TLS");
    }

    @Test
    void clientProgramsGetTheCaAsAFile() throws IOException {
        assertThat(Files.readString(PRIVATE_CA.caFile())).isEqualTo(PRIVATE_CA.caCertificatePem());
        assertThat(ServerTls.verifiedBy(null).caFile()).hasToString("/etc/ssl/certs/ca-certificates.crt");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
