package io.paasbroker.provisioner.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.util.Configuration;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.paasbroker.provisioner.azure.arm.ArmClient;
import java.time.Duration;

/**
 * The broker's one way into Azure: an HTTP client (the JDK's, with the cloud's trust), the broker's identity from the
 * Azure SDK's default credential chain (a managed identity, workload identity, or a service principal's
 * {@code AZURE_*} environment), and the pipeline that sends every request to Azure Resource Manager with its token,
 * retrying throttled and failed requests as Azure asks.
 */
public final class AzureClients {

    /** Retries of one request the pipeline makes on 429, 5xx and no answer, after {@code Retry-After} when given. */
    private static final int RETRIES = 3;

    private final AzureCloud cloud;
    private final ArmClient arm;

    /** Public Azure's Entra ID, whose instance discovery the credential chain may use. */
    private static final String PUBLIC_AUTHORITY_HOST = "https://login.microsoftonline.com/";

    /**
     * @param configuration where the credential chain reads its {@code AZURE_*} settings, in a broker the environment:
     *     the principal ({@code AZURE_CLIENT_ID}, ...) and Entra ID's endpoint ({@code AZURE_AUTHORITY_HOST}, a
     *     sovereign cloud's)
     */
    public AzureClients(AzureCloud cloud, Configuration configuration) {
        this.cloud = cloud;
        HttpClient http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                        .sslContext(cloud.apiTls().sslContext()))
                .connectionTimeout(cloud.timeout())
                .responseTimeout(cloud.timeout())
                .readTimeout(cloud.timeout())
                .build();
        String authorityHost = configuration.get(Configuration.PROPERTY_AZURE_AUTHORITY_HOST, PUBLIC_AUTHORITY_HOST);
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder()
                .authorityHost(authorityHost)
                .httpClient(http)
                .configuration(configuration);
        if (cloud.tenantId() != null) {
            credential.tenantId(cloud.tenantId());
        }
        if (!authorityHost.equals(PUBLIC_AUTHORITY_HOST)) {
            // Entra ID's instance discovery knows Azure's own clouds only
            credential.disableInstanceDiscovery();
        }
        this.arm = new ArmClient(pipeline(http, credential.build(), cloud), cloud.resourceManager());
    }

    private static HttpPipeline pipeline(HttpClient http, TokenCredential credential, AzureCloud cloud) {
        return new HttpPipelineBuilder()
                .httpClient(http)
                .policies(
                        new UserAgentPolicy("paasbroker"),
                        new RequestIdPolicy(),
                        new RetryPolicy(
                                new ExponentialBackoff(RETRIES, Duration.ofMillis(500), Duration.ofSeconds(10))),
                        new BearerTokenAuthenticationPolicy(credential, cloud.scope()))
                .build();
    }

    public ArmClient arm() {
        return arm;
    }

    public AzureCloud cloud() {
        return cloud;
    }
}
