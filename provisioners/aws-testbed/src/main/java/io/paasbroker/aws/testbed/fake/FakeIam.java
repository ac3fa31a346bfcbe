package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.iam.IamEvaluator;
import io.paasbroker.aws.testbed.iam.IamPolicy;
import io.paasbroker.aws.testbed.iam.IamRequest;
import io.paasbroker.aws.testbed.iam.MalformedPolicyException;
import io.paasbroker.aws.testbed.wire.QueryRequestReader;
import io.paasbroker.testbed.FakeSecrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.CreateUserRequest;
import software.amazon.awssdk.services.iam.model.CreateUserResponse;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyRequest;
import software.amazon.awssdk.services.iam.model.DeleteAccessKeyResponse;
import software.amazon.awssdk.services.iam.model.DeleteUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.DeleteUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.DeleteUserRequest;
import software.amazon.awssdk.services.iam.model.DeleteUserResponse;
import software.amazon.awssdk.services.iam.model.GetUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetUserRequest;
import software.amazon.awssdk.services.iam.model.GetUserResponse;
import software.amazon.awssdk.services.iam.model.ListAccessKeysRequest;
import software.amazon.awssdk.services.iam.model.ListAccessKeysResponse;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListUsersRequest;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.PutUserPolicyRequest;
import software.amazon.awssdk.services.iam.model.PutUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/**
 * A stateful fake of AWS IAM's users, the parts a broker of per-binding S3 keys uses: users (tagged), their inline
 * policies and their access keys, through the unmodified SDK client. IAM's rules are kept: two keys at most per user,
 * an inline policy document in IAM's grammar ({@link IamPolicy}) of at most 2,048 characters, a user deleted only once
 * it has no keys and no policies ({@code DeleteConflict}). A new key works (in the test bed's other fakes) only after
 * IAM's propagation delay, as on AWS, where a key may be refused for a few seconds after it is made; a request signed
 * with it is its user's, allowed only as the user's policies say ({@link IamEvaluator}). IAM is global: its requests
 * are signed for {@code us-east-1}.
 */
public final class FakeIam extends QueryServiceFake {

    /** The region IAM's requests are signed for, wherever the caller is. */
    public static final String SIGNING_REGION = "us-east-1";

    private static final int MAX_KEYS_PER_USER = 2;
    private static final int MAX_USER_POLICY_CHARACTERS = 2048;

    private record IamUser(User user, Map<String, String> policies, Map<String, AccessKeyMetadata> keys) {}

    private final AccessKeys keys;
    private final Duration propagation;
    private final Clock clock;
    private final Map<String, IamUser> users = new ConcurrentHashMap<>();
    /** The user of each key the fake issued. */
    private final Map<String, String> userOfKey = new ConcurrentHashMap<>();

    /**
     * @param keys whose signatures it accepts, and where the keys it issues go
     * @param propagation how long after it is made a key works
     */
    public FakeIam(AccessKeys keys, Duration propagation, Clock clock) {
        super(
                ServiceModel.load("iam", "2010-05-08"),
                FullModel.load("iam", "2010-05-08"),
                "https://iam.amazonaws.com/doc/2010-05-08/",
                keys,
                SIGNING_REGION);
        this.keys = keys;
        this.propagation = propagation;
        this.clock = clock;
        on("CreateUser", p -> createUser(QueryRequestReader.read(p, CreateUserRequest.builder())));
        on("GetUser", p -> getUser(QueryRequestReader.read(p, GetUserRequest.builder())));
        on("ListUsers", p -> listUsers(QueryRequestReader.read(p, ListUsersRequest.builder())));
        on("DeleteUser", p -> deleteUser(QueryRequestReader.read(p, DeleteUserRequest.builder())));
        on("PutUserPolicy", p -> putUserPolicy(QueryRequestReader.read(p, PutUserPolicyRequest.builder())));
        on("GetUserPolicy", p -> getUserPolicy(QueryRequestReader.read(p, GetUserPolicyRequest.builder())));
        on("ListUserPolicies", p -> listUserPolicies(QueryRequestReader.read(p, ListUserPoliciesRequest.builder())));
        on("DeleteUserPolicy", p -> deleteUserPolicy(QueryRequestReader.read(p, DeleteUserPolicyRequest.builder())));
        on("CreateAccessKey", p -> createAccessKey(QueryRequestReader.read(p, CreateAccessKeyRequest.builder())));
        on("ListAccessKeys", p -> listAccessKeys(QueryRequestReader.read(p, ListAccessKeysRequest.builder())));
        on("DeleteAccessKey", p -> deleteAccessKey(QueryRequestReader.read(p, DeleteAccessKeyRequest.builder())));
    }

    private synchronized CreateUserResponse createUser(CreateUserRequest request) {
        if (users.containsKey(request.userName())) {
            throw new AwsFault("EntityAlreadyExists", 409, "User with name " + request.userName() + " already exists.");
        }
        if (!request.tags().isEmpty()) {
            alsoNeeds("TagUser"); // as IAM has it: tagging on create is authorized as tagging
        }
        String path = request.path() == null ? "/" : request.path();
        User user = User.builder()
                .path(path)
                .userName(request.userName())
                .userId("AIDA" + FakeSecrets.generate(8).toUpperCase())
                .arn("arn:aws:iam::" + FakeRds.ACCOUNT + ":user" + path + request.userName())
                .createDate(clock.instant())
                .tags(request.tags())
                .build();
        users.put(request.userName(), new IamUser(user, new TreeMap<>(), new LinkedHashMap<>()));
        return CreateUserResponse.builder().user(user).build();
    }

    private GetUserResponse getUser(GetUserRequest request) {
        return GetUserResponse.builder()
                .user(userNamed(request.userName()).user())
                .build();
    }

    private ListUsersResponse listUsers(ListUsersRequest request) {
        String prefix = request.pathPrefix() == null ? "/" : request.pathPrefix();
        List<User> found = new TreeMap<>(users)
                .values().stream()
                        .map(IamUser::user)
                        .filter(user -> user.path().startsWith(prefix))
                        .map(user -> user.toBuilder().tags((List<Tag>) null).build()) // ListUsers leaves tags out
                        .toList();
        return ListUsersResponse.builder().users(found).isTruncated(false).build();
    }

    private synchronized DeleteUserResponse deleteUser(DeleteUserRequest request) {
        IamUser user = userNamed(request.userName());
        if (!user.keys().isEmpty() || !user.policies().isEmpty()) {
            throw new AwsFault(
                    "DeleteConflict",
                    409,
                    "Cannot delete entity, must delete " + (user.keys().isEmpty() ? "policies" : "access keys")
                            + " first.");
        }
        users.remove(request.userName());
        return DeleteUserResponse.builder().build();
    }

    private synchronized PutUserPolicyResponse putUserPolicy(PutUserPolicyRequest request) {
        IamUser user = userNamed(request.userName());
        try {
            IamPolicy.parse(request.policyDocument());
        } catch (MalformedPolicyException e) {
            throw new AwsFault("MalformedPolicyDocument", 400, e.getMessage());
        }
        Map<String, String> after = new TreeMap<>(user.policies());
        after.put(request.policyName(), request.policyDocument());
        int characters = after.values().stream()
                .mapToInt(document -> document.replaceAll("\\s", "").length())
                .sum();
        if (characters > MAX_USER_POLICY_CHARACTERS) {
            throw new AwsFault(
                    "LimitExceeded",
                    409,
                    "Maximum policy size of " + MAX_USER_POLICY_CHARACTERS + " bytes exceeded for user "
                            + request.userName());
        }
        user.policies().put(request.policyName(), request.policyDocument());
        return PutUserPolicyResponse.builder().build();
    }

    private GetUserPolicyResponse getUserPolicy(GetUserPolicyRequest request) {
        String document = userNamed(request.userName()).policies().get(request.policyName());
        if (document == null) {
            throw new AwsFault(
                    "NoSuchEntity", 404, "The user policy with name " + request.policyName() + " cannot be found.");
        }
        return GetUserPolicyResponse.builder()
                .userName(request.userName())
                .policyName(request.policyName())
                .policyDocument(document)
                .build();
    }

    private ListUserPoliciesResponse listUserPolicies(ListUserPoliciesRequest request) {
        return ListUserPoliciesResponse.builder()
                .policyNames(
                        List.copyOf(userNamed(request.userName()).policies().keySet()))
                .isTruncated(false)
                .build();
    }

    private synchronized DeleteUserPolicyResponse deleteUserPolicy(DeleteUserPolicyRequest request) {
        if (userNamed(request.userName()).policies().remove(request.policyName()) == null) {
            throw new AwsFault(
                    "NoSuchEntity", 404, "The user policy with name " + request.policyName() + " cannot be found.");
        }
        return DeleteUserPolicyResponse.builder().build();
    }

    private synchronized CreateAccessKeyResponse createAccessKey(CreateAccessKeyRequest request) {
        IamUser user = userNamed(request.userName());
        if (user.keys().size() >= MAX_KEYS_PER_USER) {
            throw new AwsFault("LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: " + MAX_KEYS_PER_USER);
        }
        Instant now = clock.instant();
        AccessKeys.Key key = keys.issue(now.plus(propagation));
        userOfKey.put(key.id(), request.userName());
        user.keys()
                .put(
                        key.id(),
                        AccessKeyMetadata.builder()
                                .userName(request.userName())
                                .accessKeyId(key.id())
                                .status(StatusType.ACTIVE)
                                .createDate(now)
                                .build());
        return CreateAccessKeyResponse.builder()
                .accessKey(AccessKey.builder()
                        .userName(request.userName())
                        .accessKeyId(key.id())
                        .secretAccessKey(key.secret())
                        .status(StatusType.ACTIVE)
                        .createDate(now)
                        .build())
                .build();
    }

    private ListAccessKeysResponse listAccessKeys(ListAccessKeysRequest request) {
        return ListAccessKeysResponse.builder()
                .accessKeyMetadata(
                        new ArrayList<>(userNamed(request.userName()).keys().values()))
                .isTruncated(false)
                .build();
    }

    private synchronized DeleteAccessKeyResponse deleteAccessKey(DeleteAccessKeyRequest request) {
        IamUser user = userNamed(request.userName());
        if (user.keys().remove(request.accessKeyId()) == null) {
            throw new AwsFault(
                    "NoSuchEntity", 404, "The Access Key with id " + request.accessKeyId() + " cannot be found.");
        }
        keys.revoke(request.accessKeyId());
        userOfKey.remove(request.accessKeyId());
        return DeleteAccessKeyResponse.builder().build();
    }

    /**
     * A request signed with a key the fake issued is its user's: IAM evaluates the user's policies for it, on the user
     * the request names (or any resource when it names none). The test bed's own keys may do anything.
     */
    @Override
    protected void authorize(String keyId, String action, Map<String, String> parameters) {
        Optional<List<IamPolicy>> policies = policiesOfKey(keyId);
        if (policies.isEmpty()) {
            return;
        }
        String named = parameters.get("UserName");
        String resource = named == null ? "*" : "arn:aws:iam::" + FakeRds.ACCOUNT + ":user/" + named;
        if (!IamEvaluator.decide(policies.get(), IamRequest.of("iam:" + action, resource))
                .allowed()) {
            throw new AwsFault(
                    "AccessDenied",
                    403,
                    "User: arn:aws:iam::" + FakeRds.ACCOUNT + ":user/" + userOfKey.get(keyId)
                            + " is not authorized to perform: iam:" + action + " on resource: " + resource);
        }
    }

    private IamUser userNamed(String name) {
        IamUser user = users.get(name);
        if (user == null) {
            throw new AwsFault("NoSuchEntity", 404, "The user with name " + name + " cannot be found.");
        }
        return user;
    }

    /**
     * The inline policies of the user whose key {@code accessKeyId} is, as IAM would evaluate them for a request signed
     * with it; none for a key the fake did not issue.
     */
    public Optional<List<IamPolicy>> policiesOfKey(String accessKeyId) {
        String userName = userOfKey.get(accessKeyId);
        IamUser user = userName == null ? null : users.get(userName);
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of(
                user.policies().values().stream().map(IamPolicy::parse).toList());
    }

    /** The names of the users that exist now. */
    public List<String> userNames() {
        return List.copyOf(new TreeMap<>(users).keySet());
    }

    /** An SDK client of this fake, signing with {@code key}: how a test looks at what the fake holds. */
    public IamClient client(AccessKeys.Key key) {
        return client(IamClient.builder(), key);
    }
}
