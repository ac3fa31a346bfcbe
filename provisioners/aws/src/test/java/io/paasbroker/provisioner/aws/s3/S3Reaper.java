package io.paasbroker.provisioner.aws.s3;

import io.paasbroker.provisioner.aws.Sweeper;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes what one run of a suite left in an account: the IAM users under the run's path (their keys and inline
 * policies first, as IAM asks), then every bucket whose name starts with the run's prefix, emptied first (the live
 * suite's plans keep one version of an object). Each kind is swept until none is left ({@link Sweeper}); a live run
 * names its resources with a prefix of its own, so the reaper touches nothing else.
 */
final class S3Reaper {

    private S3Reaper() {}

    /** Deletes the run's leftovers; answers the buckets it found. */
    static List<String> reap(S3Client s3, IamClient iam, String prefix) {
        Sweeper.sweep(() -> usersOf(iam, prefix), user -> deleteUser(iam, user));
        List<String> found = bucketsOf(s3, prefix);
        Sweeper.sweep(() -> bucketsOf(s3, prefix), bucket -> {
            for (S3Object object :
                    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
            }
            s3.deleteBucket(b -> b.bucket(bucket));
        });
        return found;
    }

    private static List<String> usersOf(IamClient iam, String prefix) {
        return iam.listUsersPaginator(b -> b.pathPrefix(BucketNames.userPath(prefix))).users().stream()
                .map(User::userName)
                .toList();
    }

    private static void deleteUser(IamClient iam, String user) {
        for (AccessKeyMetadata key : iam.listAccessKeys(b -> b.userName(user)).accessKeyMetadata()) {
            iam.deleteAccessKey(b -> b.userName(user).accessKeyId(key.accessKeyId()));
        }
        for (String policy : iam.listUserPolicies(b -> b.userName(user)).policyNames()) {
            iam.deleteUserPolicy(b -> b.userName(user).policyName(policy));
        }
        iam.deleteUser(b -> b.userName(user));
    }

    private static List<String> bucketsOf(S3Client s3, String prefix) {
        return s3.listBuckets().buckets().stream()
                .map(Bucket::name)
                .filter(name -> name.startsWith(prefix + "-"))
                .toList();
    }
}
