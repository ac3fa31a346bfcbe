package io.paasbroker.aws.testbed.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.testbed.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/** The fake IAM through the unmodified SDK client: IAM's rules for users, inline policies and access keys. */
class FakeIamIT {

    private static final String READ_OWN_USER = """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:GetUser",
             "Resource": "arn:aws:iam::123456789012:user/pb-a"}}
            """;

    private final ManualClock clock = new ManualClock();
    private AccessKeys keys;
    private FakeIam fake;
    private IamClient iam;

    @BeforeEach
    void start() {
        keys = AccessKeys.withFirstKey(clock);
        fake = new FakeIam(keys, Duration.ofSeconds(10), clock);
        iam = fake.client(keys.first());
    }

    @AfterEach
    void stop() {
        assertThat(fake.takeViolations()).as("requests the model refuses").isEmpty();
        iam.close();
        fake.close();
    }

    @Test
    void aUsersKeyWorksOnceIamHasPropagatedItAndOnlyForWhatItsPoliciesAllow() {
        iam.createUser(b -> b.userName("pb-a")
                .tags(Tag.builder().key("paasbroker:instance").value("i").build()));
        iam.putUserPolicy(b -> b.userName("pb-a").policyName("own").policyDocument(READ_OWN_USER));
        AccessKey key = iam.createAccessKey(b -> b.userName("pb-a")).accessKey();
        AccessKeys.Key issued = new AccessKeys.Key(key.accessKeyId(), key.secretAccessKey());

        try (IamClient asUser = fake.client(issued)) {
            assertThatThrownBy(() -> asUser.getUser(b -> b.userName("pb-a")))
                    .as("a key IAM has not propagated yet")
                    .isInstanceOf(IamException.class)
                    .satisfies(
                            e -> assertThat(((IamException) e).awsErrorDetails().errorCode())
                                    .isEqualTo("InvalidClientTokenId"));
            clock.advance(Duration.ofSeconds(10));

            assertThat(asUser.getUser(b -> b.userName("pb-a")).user().tags())
                    .extracting(Tag::key)
                    .containsExactly("paasbroker:instance");
            iam.createUser(b -> b.userName("pb-b"));
            assertThatThrownBy(() -> asUser.getUser(b -> b.userName("pb-b")))
                    .hasMessageContaining("not authorized to perform: iam:GetUser");
            assertThatThrownBy(() -> asUser.createUser(b -> b.userName("pb-c")))
                    .hasMessageContaining("not authorized to perform: iam:CreateUser");
        }
        assertThat(fake.permissionsUsed(keys.first().id())).contains("iam:CreateUser", "iam:TagUser");
    }

    @Test
    void iamsRulesForUsersPoliciesAndKeysHold() {
        iam.createUser(b -> b.userName("pb-a"));
        assertThatThrownBy(() -> iam.createUser(b -> b.userName("pb-a")))
                .isInstanceOf(EntityAlreadyExistsException.class);
        assertThatThrownBy(() -> iam.putUserPolicy(
                        b -> b.userName("pb-a").policyName("p").policyDocument("{\"Statement\": []}")))
                .isInstanceOf(MalformedPolicyDocumentException.class)
                .hasMessageContaining("valid version");
        String large = READ_OWN_USER.replace("pb-a", "pb-a" + "x".repeat(2100));
        assertThatThrownBy(() -> iam.putUserPolicy(
                        b -> b.userName("pb-a").policyName("p").policyDocument(large)))
                .isInstanceOf(LimitExceededException.class);
        iam.putUserPolicy(b -> b.userName("pb-a").policyName("own").policyDocument(READ_OWN_USER));
        String first = iam.createAccessKey(b -> b.userName("pb-a")).accessKey().accessKeyId();
        iam.createAccessKey(b -> b.userName("pb-a"));
        assertThatThrownBy(() -> iam.createAccessKey(b -> b.userName("pb-a")))
                .isInstanceOf(LimitExceededException.class);

        assertThatThrownBy(() -> iam.deleteUser(b -> b.userName("pb-a"))).isInstanceOf(DeleteConflictException.class);
        for (var metadata : iam.listAccessKeys(b -> b.userName("pb-a")).accessKeyMetadata()) {
            iam.deleteAccessKey(b -> b.userName("pb-a").accessKeyId(metadata.accessKeyId()));
        }
        assertThat(keys.secretOf(first)).as("a deleted key").isEmpty();
        assertThatThrownBy(() -> iam.deleteUser(b -> b.userName("pb-a"))).isInstanceOf(DeleteConflictException.class);
        assertThat(iam.listUserPolicies(b -> b.userName("pb-a")).policyNames()).containsExactly("own");
        iam.deleteUserPolicy(b -> b.userName("pb-a").policyName("own"));
        iam.deleteUser(b -> b.userName("pb-a"));

        assertThatThrownBy(() -> iam.getUser(b -> b.userName("pb-a"))).isInstanceOf(NoSuchEntityException.class);
        assertThat(iam.listUsers().users()).isEmpty();
        assertThat(fake.userNames()).isEqualTo(List.of());
    }
}
