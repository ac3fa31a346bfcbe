package io.paasbroker.provisioner.aws.s3;

import io.paasbroker.catalog.Plan;
import io.paasbroker.provisioner.ServiceProvisioner;
import io.paasbroker.provisioner.aws.LiveAccount;
import io.paasbroker.provisioner.aws.LiveRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The provisioner contract against a real AWS account's S3 and IAM: runs only when {@code PAASBROKER_AWS_LIVE_REGION}
 * names a region (and is reported as skipped, never as passed, otherwise), with the AWS SDK's default credential
 * chain and optionally a role to assume ({@code PAASBROKER_AWS_LIVE_ROLE_ARN}). Buckets and IAM users are named with
 * a prefix of this run's own, and the reaper deletes whatever the run left, whatever happened. It makes real buckets
 * and IAM users; a run takes minutes.
 */
@EnabledIfEnvironmentVariable(named = "PAASBROKER_AWS_LIVE_REGION", matches = ".+")
class S3LiveIT extends S3Contract {

    private static final LiveRun<S3BucketProvisioner> RUN = new LiveRun<>();

    @AfterAll
    static void reapWhatTheRunLeft() {
        RUN.end((clients, prefix) ->
                S3Reaper.reap(clients.s3("default", LiveAccount.region()), clients.iam("default"), prefix));
    }

    @Override
    protected ServiceProvisioner provisioner() {
        return live();
    }

    private S3BucketProvisioner live() {
        return RUN.provisioner(null, (clients, masters, prefix) -> new S3BucketProvisioner(clients, prefix), plan());
    }

    @Override
    protected Plan plan() {
        return plan("live", Map.of());
    }

    /** IAM's keys take seconds to reach S3; a bind polls until they do. */
    @Override
    protected Duration stepTimeout() {
        return Duration.ofMinutes(5);
    }

    @Override
    protected Duration pollInterval() {
        return Duration.ofSeconds(2);
    }

    @Override
    protected List<String> resourcesLeftFor(String instanceId) {
        List<String> left = new ArrayList<>();
        String bucket = live().bucket(instanceId);
        try {
            RUN.clients().s3("default", LiveAccount.region()).headBucket(b -> b.bucket(bucket));
            left.add("bucket:" + bucket);
        } catch (NoSuchBucketException gone) {
            // as it should be
        }
        String users = BucketNames.usersOf(RUN.prefix(), instanceId);
        RUN
                .clients()
                .iam("default")
                .listUsersPaginator(b -> b.pathPrefix(BucketNames.userPath(RUN.prefix())))
                .users()
                .stream()
                .filter(user -> user.userName().startsWith(users))
                .forEach(user -> left.add("user:" + user.userName()));
        return left;
    }
}
