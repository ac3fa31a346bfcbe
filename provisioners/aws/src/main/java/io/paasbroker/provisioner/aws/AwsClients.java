package io.paasbroker.provisioner.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The SDK clients of each account and region, made once and shared by every step. Every call has a deadline, and
 * throttling ({@code Throttling}, {@code RequestLimitExceeded}), 5xx answers and broken connections are retried with
 * exponential backoff and jitter (the SDK's standard retry mode) before a step sees them.
 */
public final class AwsClients implements AutoCloseable {

    /** How long one attempt may take, and a call with its retries. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

    private final Map<String, AwsAccount> accounts;
    private final AwsCredentialsProvider chain;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(ATTEMPT_TIMEOUT)
            .build();
    private final Map<String, AwsCredentialsProvider> credentialsByAccount = new ConcurrentHashMap<>();
    private final Map<String, RdsClient> rdsClients = new ConcurrentHashMap<>();
    private final Map<String, ElastiCacheClient> elastiCacheClients = new ConcurrentHashMap<>();
    private final Map<String, S3Client> s3Clients = new ConcurrentHashMap<>();
    private final Map<String, IamClient> iamClients = new ConcurrentHashMap<>();
    private final Map<String, OpenSearchClient> openSearchClients = new ConcurrentHashMap<>();
    private final Map<String, SecretsManagerClient> secretsManagerClients = new ConcurrentHashMap<>();
    private final Map<String, String> callerArns = new ConcurrentHashMap<>();

    /** {@code chain}: the broker's own credentials, the default chain in production. */
    public AwsClients(Map<String, AwsAccount> accounts, AwsCredentialsProvider chain) {
        this.accounts = Map.copyOf(accounts);
        this.chain = chain;
    }

    public AwsAccount account(String name) {
        AwsAccount account = accounts.get(name);
        if (account == null) {
            throw new IllegalArgumentException(
                    "no AWS account named '" + name + "' is configured; configured: " + accounts.keySet());
        }
        return account;
    }

    public boolean hasAccount(String name) {
        return accounts.containsKey(name);
    }

    public Map<String, AwsAccount> accounts() {
        return accounts;
    }

    public RdsClient rds(String account, String region) {
        return rdsClients.computeIfAbsent(
                account + "/" + region, key -> regional(RdsClient.builder(), account, region, "rds"));
    }

    public ElastiCacheClient elastiCache(String account, String region) {
        return elastiCacheClients.computeIfAbsent(
                account + "/" + region, key -> regional(ElastiCacheClient.builder(), account, region, "elasticache"));
    }

    public OpenSearchClient openSearch(String account, String region) {
        return openSearchClients.computeIfAbsent(
                account + "/" + region, key -> regional(OpenSearchClient.builder(), account, region, "es"));
    }

    /** Secrets Manager, where RDS keeps the master passwords it manages. */
    public SecretsManagerClient secretsManager(String account, String region) {
        return secretsManagerClients.computeIfAbsent(
                account + "/" + region,
                key -> regional(SecretsManagerClient.builder(), account, region, "secretsmanager"));
    }

    /** A client of the account's {@code service} (its endpoint key) in {@code region}, from {@code builder}. */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C regional(
            B builder, String account, String region, String service) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials(account(account)))
                .httpClient(http)
                .overrideConfiguration(callConfiguration());
        endpoint(account(account), service).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** S3 of the account's region; path-style where the account names an endpoint of its own (the test bed). */
    public S3Client s3(String account, String region) {
        return s3Clients.computeIfAbsent(
                account + "/" + region, key -> s3(account, region, credentials(account(account))));
    }

    /**
     * A client of the account's S3 in {@code region} signing with {@code credentials} (a binding's key, being tried):
     * not shared, the caller closes it.
     */
    public S3Client s3With(String account, String region, AwsCredentials credentials) {
        return s3(account, region, StaticCredentialsProvider.create(credentials));
    }

    private S3Client s3(String account, String region, AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(callConfiguration());
        endpoint(account(account), "s3")
                .ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder.build();
    }

    /** IAM, which is global: one client per account (of AWS's standard partition). */
    public IamClient iam(String account) {
        // IAM is global; in AWS's standard partition its requests are signed for us-east-1
        return iamClients.computeIfAbsent(
                account, key -> regional(IamClient.builder(), account, Region.US_EAST_1.id(), "iam"));
    }

    /** Where applications reach the account's S3 in a region: its endpoint of the account's own, or AWS's. */
    public URI s3Endpoint(String account, String region) {
        return endpoint(account(account), "s3").orElse(URI.create("https://s3." + region + ".amazonaws.com"));
    }

    /** The credentials the broker acts with in the account, for a request the SDK's clients do not send. */
    public AwsCredentials credentialsOf(String account) {
        return credentials(account(account)).resolveCredentials();
    }

    /**
     * Who the broker is in the account: the role it assumes there, or what the default chain's credentials are (an
     * IAM user, or an assumed role's session), as STS says once.
     */
    public String callerArn(String account) {
        AwsAccount configured = account(account);
        if (configured.roleArn() != null) {
            return configured.roleArn();
        }
        String known = callerArns.get(account);
        if (known != null) {
            return known;
        }
        // asked outside the map's lock: a slow STS holds up no other account
        try (StsClient sts = sts(configured)) {
            String arn = AwsCalls.call("asking STS who the broker is", sts::getCallerIdentity)
                    .arn();
            callerArns.putIfAbsent(account, arn);
            return arn;
        }
    }

    private AwsCredentialsProvider credentials(AwsAccount account) {
        if (account.roleArn() == null) {
            return chain;
        }
        return credentialsByAccount.computeIfAbsent(
                account.name(),
                name -> StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts(account))
                        .refreshRequest(request -> {
                            request.roleArn(account.roleArn()).roleSessionName("paasbroker");
                            if (account.externalId() != null) {
                                request.externalId(account.externalId());
                            }
                        })
                        .build());
    }

    /** STS of the account's region with the broker's own credentials. */
    private StsClient sts(AwsAccount account) {
        var sts = StsClient.builder()
                .region(Region.of(account.region()))
                .credentialsProvider(chain)
                .httpClient(http)
                .overrideConfiguration(callConfiguration());
        endpoint(account, "sts").ifPresent(sts::endpointOverride);
        return sts.build();
    }

    private static Optional<URI> endpoint(AwsAccount account, String service) {
        return Optional.ofNullable(account.endpoints().get(service));
    }

    private static ClientOverrideConfiguration callConfiguration() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.STANDARD)
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                .apiCallTimeout(CALL_TIMEOUT)
                .build();
    }

    @Override
    public void close() {
        rdsClients.values().forEach(RdsClient::close);
        elastiCacheClients.values().forEach(ElastiCacheClient::close);
        s3Clients.values().forEach(S3Client::close);
        iamClients.values().forEach(IamClient::close);
        openSearchClients.values().forEach(OpenSearchClient::close);
        secretsManagerClients.values().forEach(SecretsManagerClient::close);
        credentialsByAccount.values().forEach(provider -> {
            if (provider instanceof SdkAutoCloseable closeable) {
                closeable.close();
            }
        });
        http.close();
    }
}
