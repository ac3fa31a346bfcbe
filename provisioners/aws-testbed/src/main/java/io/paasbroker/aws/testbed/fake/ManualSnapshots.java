package io.paasbroker.aws.testbed.fake;

import java.nio.file.Path;

/**
 * What OpenSearch Service's manual snapshots reach in the test bed: the IAM role a repository's registration must pass
 * ({@code role_arn}); the buckets of {@code s3} {@linkplain FakeS3#createBucketOnDisk made on disk} under
 * {@code repositoryRoot}, which the domains' nodes may keep snapshot repositories in ({@code path.repo}); and
 * {@code sts}, which tells who signs with which key.
 */
public record ManualSnapshots(String roleArn, Path repositoryRoot, FakeS3 s3, FakeSts sts) {}
