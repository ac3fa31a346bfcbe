package io.paasbroker.provisioner.aws.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.aws.AwsClients;
import io.paasbroker.provisioner.aws.S3Objects;
import io.paasbroker.provisioner.credentials.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Where OpenSearch Service keeps the snapshots of a plan's domains: a repository per snapshot, under {@code
 * <prefix>/<snapshot>/} of the plan's S3 bucket, which OpenSearch Service writes as the plan's role. A repository is
 * registered with a request to the domain signed with the broker's AWS credentials (SigV4, service {@code es}):
 * OpenSearch Service checks that the broker may pass the role ({@code iam:PassRole}), and fine-grained access control
 * that the broker is mapped to {@code manage_snapshots}. A snapshot is deleted by deleting its objects, so it can be
 * deleted once its domain is gone.
 */
final class SnapshotRepositories {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Answers of a domain that is busy or failing over: worth asking again. A 500 is OpenSearch refusing the bucket. */
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

    private static final int MAX_REASON = 300;

    /** A bucket some plan keeps snapshots in. */
    private record Bucket(String account, String region, String name) {}

    /** Who fine-grained access control knows the broker as: IAM users by ARN, IAM roles as backend roles. */
    record BrokerIdentity(List<String> users, List<String> backendRoles) {}

    private final AwsClients clients;
    private final String prefix;
    private final Set<Bucket> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, HttpClient> httpClients = new ConcurrentHashMap<>();

    /** @param prefix what the key of every snapshot the broker keeps starts with */
    SnapshotRepositories(AwsClients clients, String prefix) {
        this.clients = clients;
        this.prefix = prefix;
    }

    /** Notes the plan's bucket, where a snapshot named alone may be. */
    void add(DomainPlan plan, String region) {
        if (plan.hasSnapshots()) {
            buckets.add(new Bucket(plan.account(), region, plan.snapshotBucket()));
        }
    }

    /**
     * The users and backend roles fine-grained access control knows the broker by: an IAM user's ARN, or the ARN of
     * the role whose session the broker is (a role's path, which a session's ARN does not carry, is not supported).
     */
    BrokerIdentity brokerIdentity(DomainPlan plan) {
        String arn = clients.callerArn(plan.account());
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && parts[2].equals("sts") && parts[5].startsWith("assumed-role/")) {
            String role = parts[5].substring("assumed-role/".length()).split("/", 2)[0];
            return new BrokerIdentity(List.of(), List.of("arn:" + parts[1] + ":iam::" + parts[4] + ":role/" + role));
        }
        return parts.length == 6 && parts[5].startsWith("role/")
                ? new BrokerIdentity(List.of(), List.of(arn))
                : new BrokerIdentity(List.of(arn), List.of());
    }

    /** Registers the snapshot's repository on the domain at {@code endpoint}; registering it again changes nothing. */
    void register(DomainPlan plan, String region, String endpoint, String snapshot) {
        URI uri = URI.create("https://" + endpoint + "/_snapshot/" + snapshot);
        byte[] body = json(Map.of(
                "type",
                "s3",
                "settings",
                Map.of(
                        "bucket",
                        plan.snapshotBucket(),
                        "base_path",
                        basePath(snapshot),
                        // as OpenSearch Service's guide asks: us-east-1 is named by its endpoint, not as a region
                        region.equals("us-east-1") ? "endpoint" : "region",
                        region.equals("us-east-1") ? "s3.amazonaws.com" : region,
                        "role_arn",
                        plan.snapshotRoleArn())));
        SignedRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(clients.credentialsOf(plan.account()))
                        .request(SdkHttpRequest.builder()
                                .method(SdkHttpMethod.PUT)
                                .uri(uri)
                                .putHeader("Content-Type", "application/json")
                                .build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "es")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(TIMEOUT).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        // the client sets Host itself, to the value signed
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        String doing = "registering snapshot repository " + snapshot + " on OpenSearch Service domain " + endpoint;
        HttpResponse<String> response = send(plan, request.build(), doing);
        int status = response.statusCode();
        if (status == 200) {
            return;
        }
        String reason = reason(response.body());
        String answered = "HTTP " + status + ": " + reason;
        if (TRANSIENT_STATUSES.contains(status)) {
            throw new BackingServiceUnavailableException(doing + " failed (" + answered + "); it is tried again", null);
        }
        throw new ProvisioningFailedException(doing + " was refused (" + answered + "): " + remedy(plan, reason));
    }

    /** What the operator changes, from what refused the registration. */
    private static String remedy(DomainPlan plan, String reason) {
        if (reason.contains("iam:PassRole")) {
            return "the broker needs iam:PassRole on " + plan.snapshotRoleArn();
        }
        if (reason.startsWith("no permissions")) {
            return "the broker's IAM identity is not mapped to the domain's manage_snapshots role";
        }
        return "role " + plan.snapshotRoleArn() + " must trust es.amazonaws.com and may read and write S3 bucket "
                + plan.snapshotBucket() + ", in the domain's region";
    }

    /** Deletes the snapshot's objects from every bucket a plan keeps snapshots in; none anywhere is no error. */
    void delete(String snapshot) {
        String under = basePath(snapshot) + "/";
        for (Bucket bucket : buckets) {
            var s3 = clients.s3(bucket.account(), bucket.region());
            try {
                S3Objects.delete(s3, bucket.name(), under, S3Objects.page(s3, bucket.name(), under));
            } catch (ProvisioningFailedException e) {
                if (!(e.getCause() instanceof NoSuchBucketException)) {
                    throw e;
                }
            }
        }
    }

    private String basePath(String snapshot) {
        return prefix + "/" + snapshot;
    }

    private HttpResponse<String> send(DomainPlan plan, HttpRequest request, String doing) {
        // one client an account: it trusts the CA the account's domains are reached with
        HttpClient client = httpClients.computeIfAbsent(
                plan.account(),
                account -> HttpClient.newBuilder()
                        .connectTimeout(TIMEOUT)
                        .sslContext(
                                ServerTls.verifiedBy(clients.account(account).searchCaCertificate())
                                        .sslContext())
                        .build());
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new BackingServiceUnavailableException(doing + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException(doing + " was interrupted", e);
        }
    }

    /**
     * OpenSearch Service's words ({@code Message}) or OpenSearch's ({@code error.reason}), their first line: a
     * signature AWS refuses is answered with the canonical request, which holds the session token, on the lines after.
     */
    static String reason(String body) {
        try {
            JsonNode answer = JSON.readTree(body == null ? "" : body);
            if (answer == null) {
                return "no answer";
            }
            for (JsonNode said : new JsonNode[] {
                answer.path("Message"),
                answer.path("message"),
                answer.path("error").path("reason")
            }) {
                if (said.isTextual()) {
                    String text = said.asText().strip();
                    int newline = text.indexOf('\n');
                    text = newline < 0 ? text : text.substring(0, newline);
                    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) + "..." : text;
                }
            }
            return "no reason given";
        } catch (IOException e) {
            return "an answer that is no JSON";
        }
    }

    private static byte[] json(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a request body of maps is always JSON", e);
        }
    }
}
