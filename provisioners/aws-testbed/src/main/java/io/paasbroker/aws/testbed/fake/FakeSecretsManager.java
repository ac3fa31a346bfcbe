package io.paasbroker.aws.testbed.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.HttpRequest;
import io.paasbroker.aws.testbed.conformance.JsonConformance;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.JsonRequestReader;
import io.paasbroker.testbed.FakeSecrets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * A fake of AWS Secrets Manager (AWS's JSON protocol) holding the secrets RDS manages for DB instances whose master
 * password it keeps ({@code ManageMasterUserPassword}): the fake RDS makes, rotates and deletes them, as RDS does, and
 * callers read them with {@code GetSecretValue} and {@code DescribeSecret}, every request signed and checked against
 * the service's published model ({@link JsonConformance}). A secret's value is RDS's JSON
 * ({@code {"username": ..., "password": ...}}); a rotation makes a new {@code AWSCURRENT} version and keeps the one
 * before as {@code AWSPREVIOUS}.
 */
public final class FakeSecretsManager extends JsonServiceFake {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";

    /** A version of a secret's value. */
    private record Version(String id, String value, Instant created) {}

    /** A secret RDS manages: its current version and the one before (none before its first rotation). */
    private record Secret(
            String arn,
            String name,
            String kmsKeyId,
            String ownerArn,
            Instant created,
            Version current,
            Version previous,
            Instant lastRotated) {

        Secret rotated(Version next, Instant at) {
            return new Secret(arn, name, kmsKeyId, ownerArn, created, next, current, at);
        }
    }

    private final String region;
    private final Clock clock;
    private final Map<String, Secret> secretsByArn = new ConcurrentHashMap<>();

    public FakeSecretsManager(String region, AccessKeys keys, Clock clock) {
        super(
                ServiceModel.load("secretsmanager", "2017-10-17"),
                FullModel.load("secretsmanager", "2017-10-17"),
                new ServiceErrors("InternalServiceError", "InvalidParameterException", "ThrottlingException", 400),
                keys,
                region);
        this.region = region;
        this.clock = clock;
    }

    /** An SDK client of this fake, signing with {@code key}: how a test looks at what it holds. */
    public SecretsManagerClient client(AccessKeys.Key key) {
        return FakeClients.of(SecretsManagerClient.builder(), endpoint(), region, key);
    }

    /** The ARNs of the secrets it holds. */
    public Set<String> secretArns() {
        return new TreeSet<>(secretsByArn.keySet());
    }

    /**
     * A secret RDS makes for the master of the DB instance {@code ownerArn}, encrypted with {@code kmsKeyId}; its ARN.
     */
    String createForRds(String ownerArn, String username, String password, String kmsKeyId) {
        String name = "rds!db-" + UUID.randomUUID();
        String arn = "arn:aws:secretsmanager:" + region + ":" + FakeRds.ACCOUNT + ":secret:" + name + "-"
                + FakeSecrets.generate(3);
        Instant now = clock.instant();
        secretsByArn.put(
                arn,
                new Secret(
                        arn,
                        name,
                        kmsKeyId,
                        ownerArn,
                        now,
                        new Version(UUID.randomUUID().toString(), value(username, password), now),
                        null,
                        null));
        return arn;
    }

    /** Rotates the secret to {@code password}, as RDS does when it has changed the master's password. */
    void rotate(String arn, String username, String password) {
        Instant now = clock.instant();
        secretsByArn.computeIfPresent(
                arn,
                (key, secret) ->
                        secret.rotated(new Version(UUID.randomUUID().toString(), value(username, password), now), now));
    }

    /** Deletes the secret at once, as RDS does when the instance no longer has it managed or is gone. */
    void delete(String arn) {
        secretsByArn.remove(arn);
    }

    @Override
    protected SdkPojo answer(String operation, HttpRequest request, String key) {
        return switch (operation) {
            case "GetSecretValue" ->
                getValue(JsonRequestReader.read(request.body(), GetSecretValueRequest.serializableBuilderClass()));
            case "DescribeSecret" ->
                describe(JsonRequestReader.read(request.body(), DescribeSecretRequest.serializableBuilderClass()));
            default -> throw notServed(operation);
        };
    }

    private GetSecretValueResponse getValue(GetSecretValueRequest request) {
        Secret secret = secret(request.secretId());
        Version version;
        if (request.versionId() != null) {
            version = versions(secret).stream()
                    .filter(candidate -> candidate.id().equals(request.versionId()))
                    .findFirst()
                    .orElseThrow(() -> new AwsFault(
                            "ResourceNotFoundException",
                            400,
                            "Secrets Manager can't find the specified secret value for VersionId: "
                                    + request.versionId()));
        } else {
            String stage = request.versionStage() == null ? CURRENT : request.versionStage();
            version = switch (stage) {
                case CURRENT -> secret.current();
                case PREVIOUS -> secret.previous();
                default -> null;
            };
            if (version == null) {
                throw new AwsFault(
                        "ResourceNotFoundException",
                        400,
                        "Secrets Manager can't find the specified secret value for staging label: " + stage);
            }
        }
        return GetSecretValueResponse.builder()
                .arn(secret.arn())
                .name(secret.name())
                .versionId(version.id())
                .secretString(version.value())
                .versionStages(version == secret.current() ? CURRENT : PREVIOUS)
                .createdDate(version.created())
                .build();
    }

    private DescribeSecretResponse describe(DescribeSecretRequest request) {
        Secret secret = secret(request.secretId());
        var builder = DescribeSecretResponse.builder()
                .arn(secret.arn())
                .name(secret.name())
                .kmsKeyId(secret.kmsKeyId())
                .owningService("rds")
                .rotationEnabled(true)
                .rotationRules(rules -> rules.automaticallyAfterDays(7L))
                .createdDate(secret.created())
                .lastChangedDate(secret.current().created())
                .lastRotatedDate(secret.lastRotated())
                .tags(Tag.builder()
                        .key("aws:rds:primaryDBInstanceArn")
                        .value(secret.ownerArn())
                        .build());
        Map<String, List<String>> stages = new LinkedHashMap<>();
        stages.put(secret.current().id(), List.of(CURRENT));
        if (secret.previous() != null) {
            stages.put(secret.previous().id(), List.of(PREVIOUS));
        }
        return builder.versionIdsToStages(stages).build();
    }

    private static List<Version> versions(Secret secret) {
        return secret.previous() == null ? List.of(secret.current()) : List.of(secret.current(), secret.previous());
    }

    /** The secret {@code id} names: by its ARN, or by its name as Secrets Manager takes it too. */
    private Secret secret(String id) {
        Secret secret = secretsByArn.get(id);
        if (secret == null) {
            secret = secretsByArn.values().stream()
                    .filter(candidate -> candidate.name().equals(id))
                    .findFirst()
                    .orElseThrow(() -> new AwsFault(
                            "ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret."));
        }
        return secret;
    }

    private static String value(String username, String password) {
        try {
            return JSON.writeValueAsString(Map.of("username", username, "password", password));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
