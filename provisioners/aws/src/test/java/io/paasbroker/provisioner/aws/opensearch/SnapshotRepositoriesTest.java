package io.paasbroker.provisioner.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a refused registration's answer reaches an operation's description, and the log. */
class SnapshotRepositoriesTest {

    @Test
    void aRefusedSignatureIsReportedByItsFirstLineWithoutTheCanonicalRequestAndItsSessionToken() {
        String answer = "{\"message\":\"The request signature we calculated does not match the signature you provided."
                + "\\n\\nThe Canonical String for this request should have been\\n'PUT\\n/_snapshot/pb-1\\n\\n"
                + "host:search.example\\nx-amz-date:20261207T120000Z\\nx-amz-security-token:IQoJb3JpZ2luX2VjEXAMPLE\\n'"
                + "\"}";

        String reason = SnapshotRepositories.reason(answer);

        assertThat(reason)
                .isEqualTo("The request signature we calculated does not match the signature you provided.")
                .doesNotContain("IQoJb3JpZ2luX2VjEXAMPLE");
    }

    @Test
    void openSearchsOwnReasonIsReported() {
        assertThat(SnapshotRepositories.reason(
                        "{\"error\":{\"type\":\"repository_verification_exception\",\"reason\":\"[pb-1] path is not"
                                + " accessible on master node\"},\"status\":500}"))
                .isEqualTo("[pb-1] path is not accessible on master node");
    }
}
