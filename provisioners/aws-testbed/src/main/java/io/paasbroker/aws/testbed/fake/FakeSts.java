package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * A fake of AWS STS's role assumption, the part a broker serving several accounts uses: roles (of other accounts) with
 * the external id their trust policy asks for; {@code AssumeRole} with a known role and its external id answers
 * temporary credentials (a key, its session token and expiry) that the test bed's other fakes then accept, for the
 * session's duration by the fake's clock; any other request is refused with {@code AccessDenied}, as a trust policy
 * that does not name the caller refuses it. Which role each temporary key is of is kept, so a suite can tell in whose
 * name each call was made, and {@code GetCallerIdentity} answers the session's ARN for it (the test bed's user for
 * any other key).
 */
public final class FakeSts extends QueryServiceFake {

    private static final Duration DEFAULT_DURATION = Duration.ofHours(1);
    private static final String TEST_BED_USER = "arn:aws:iam::" + FakeRds.ACCOUNT + ":user/test-bed";

    /**
     * Who signs with a key, as AWS's services see the caller: {@code arn} (the test bed's user, or a role's session
     * {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}) and, for a session, the role's own ARN.
     */
    record Caller(String arn, Optional<String> roleArn) {}

    private final AccessKeys keys;
    private final Clock clock;
    /** The external id each role's trust policy asks for ("" for none), by the role's ARN. */
    private final Map<String, String> roles = new ConcurrentHashMap<>();

    private final Map<String, List<String>> sessionKeysByRole = new ConcurrentHashMap<>();
    private final Map<String, Caller> callersBySessionKey = new ConcurrentHashMap<>();

    /** {@code region}: the one its regional endpoint serves, as the SDK's STS clients use by default. */
    public FakeSts(String region, AccessKeys keys, Clock clock) {
        super(
                ServiceModel.load("sts", "2011-06-15"),
                FullModel.load("sts", "2011-06-15"),
                "https://sts.amazonaws.com/doc/2011-06-15/",
                keys,
                region);
        this.keys = keys;
        this.clock = clock;
        on("AssumeRole", p -> assumeRole(QueryRequestReader.read(p, AssumeRoleRequest.builder())));
        onNeedingNoPermission("GetCallerIdentity", p -> callerIdentity(callerOf(signer())));
    }

    /** An SDK client of this fake, signing with {@code key}. */
    public StsClient client(AccessKeys.Key key) {
        return client(StsClient.builder(), key);
    }

    /** A role the test bed's key may assume, its trust policy asking for {@code externalId} (none: null). */
    public void addRole(String roleArn, String externalId) {
        roles.put(roleArn, externalId == null ? "" : externalId);
    }

    /** The ids of the temporary keys issued for {@code roleArn}, oldest first. */
    public List<String> sessionKeysOf(String roleArn) {
        return List.copyOf(sessionKeysByRole.getOrDefault(roleArn, List.of()));
    }

    /** Who signs with {@code keyId}: the role's session for a key this fake issued, the test bed's user otherwise. */
    Caller callerOf(String keyId) {
        return callersBySessionKey.getOrDefault(keyId, new Caller(TEST_BED_USER, Optional.empty()));
    }

    private static GetCallerIdentityResponse callerIdentity(Caller caller) {
        return GetCallerIdentityResponse.builder()
                .account(caller.arn().split(":")[4])
                .arn(caller.arn())
                .userId(
                        caller.roleArn().isPresent()
                                ? "AROATESTBED:"
                                        + caller.arn().substring(caller.arn().lastIndexOf('/') + 1)
                                : "AIDATESTBED")
                .build();
    }

    private AssumeRoleResponse assumeRole(AssumeRoleRequest request) {
        String expected = roles.get(request.roleArn());
        if (expected == null || !expected.equals(Objects.requireNonNullElse(request.externalId(), ""))) {
            throw new AwsFault(
                    "AccessDenied",
                    403,
                    "User: " + TEST_BED_USER + " is not authorized to perform:" + " sts:AssumeRole on resource: "
                            + request.roleArn());
        }
        Duration duration =
                request.durationSeconds() == null ? DEFAULT_DURATION : Duration.ofSeconds(request.durationSeconds());
        Instant expiration = clock.instant().plus(duration);
        AccessKeys.Session session = keys.issueSession(expiration);
        sessionKeysByRole
                .computeIfAbsent(request.roleArn(), role -> new CopyOnWriteArrayList<>())
                .add(session.key().id());
        String roleName = request.roleArn().substring(request.roleArn().lastIndexOf('/') + 1);
        String account = request.roleArn().split(":")[4];
        String sessionArn = "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/" + request.roleSessionName();
        callersBySessionKey.put(session.key().id(), new Caller(sessionArn, Optional.of(request.roleArn())));
        return AssumeRoleResponse.builder()
                .credentials(c -> c.accessKeyId(session.key().id())
                        .secretAccessKey(session.key().secret())
                        .sessionToken(session.token())
                        .expiration(expiration))
                .assumedRoleUser(u -> u.assumedRoleId("AROATESTBED:" + request.roleSessionName())
                        .arn(sessionArn))
                .build();
    }
}
