package io.paasbroker.aws.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The registration of an {@code s3} snapshot repository, as OpenSearch Service takes it from a signed request: the
 * {@code role_arn} must be the role the caller may pass, the {@code bucket} one the test bed keeps on disk; the
 * registration the node gets is of an {@code fs} repository in that bucket's directory, under {@code base_path}, so
 * that the snapshots are the bucket's objects.
 */
final class S3RepositoryOnDisk {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualSnapshots snapshots;

    S3RepositoryOnDisk(ManualSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    /**
     * The node's registration of {@code repository} for the one {@code caller} sent.
     *
     * @throws SearchRefusal as AWS or OpenSearch refuse it
     */
    byte[] rewrite(String repository, byte[] registration, String caller) {
        JsonNode document;
        try {
            document = JSON.readTree(registration);
        } catch (IOException e) {
            throw SearchRefusal.byOpenSearch(400, "parse_exception", "request body is required");
        }
        String type = document.path("type").asText();
        if (!type.equals("s3")) {
            // AWS's domains register no other kind of repository
            throw SearchRefusal.byOpenSearch(
                    500, "repository_exception", "[" + repository + "] repository type [" + type + "] does not exist");
        }
        JsonNode settings = document.path("settings");
        String role = settings.path("role_arn").asText();
        if (!role.equals(snapshots.roleArn())) {
            throw SearchRefusal.byAws(
                    403,
                    "Message",
                    "User: " + caller + " is not authorized to perform: iam:PassRole on resource: " + role);
        }
        String bucket = settings.path("bucket").asText();
        String basePath = settings.path("base_path").asText();
        Path directory = snapshots
                .s3()
                .directoryOf(bucket)
                .filter(found -> found.startsWith(snapshots.repositoryRoot()))
                .orElseThrow(() -> SearchRefusal.byOpenSearch(
                        500,
                        "repository_verification_exception",
                        "[" + repository + "] path [" + basePath + "] is not accessible on master node: bucket ["
                                + bucket + "] does not exist"));
        if (basePath.startsWith("/") || List.of(basePath.split("/")).contains("..")) {
            throw SearchRefusal.byOpenSearch(
                    400,
                    "illegal_argument_exception",
                    "[" + repository + "] base_path [" + basePath + "] must be a relative path within the bucket");
        }
        ObjectNode fs = JSON.createObjectNode().put("type", "fs");
        fs.putObject("settings")
                .put("location", directory.resolve(basePath).normalize().toString());
        return fs.toString().getBytes(StandardCharsets.UTF_8);
    }
}
