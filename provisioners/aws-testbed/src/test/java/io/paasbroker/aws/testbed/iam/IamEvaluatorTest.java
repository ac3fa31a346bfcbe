package io.paasbroker.aws.testbed.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.paasbroker.aws.testbed.iam.IamEvaluator.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IAM's evaluation logic and policy grammar, as AWS documents them, on the policies an S3 binding gets and others. */
class IamEvaluatorTest {

    /** A binding's policy: its bucket and the bucket's objects, nothing else. */
    private static final IamPolicy BINDING = IamPolicy.parse("""
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
               "Resource": "arn:aws:s3:::pb-a"},
              {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
               "Resource": "arn:aws:s3:::pb-a/*"}]}
            """);

    private static final IamPolicy READ_ONLY = IamPolicy.parse("""
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Get*",
             "Resource": "arn:aws:s3:::pb-a/*"}}
            """);

    @Test
    void aStatementAllowsItsActionsOnItsResourcesOnly() {
        assertThat(decide(BINDING, "s3:GetObject", "arn:aws:s3:::pb-a/report.csv"))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(BINDING, "s3:ListBucket", "arn:aws:s3:::pb-a")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(BINDING, "s3:GetObject", "arn:aws:s3:::pb-b/report.csv"))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(BINDING, "s3:ListBucket", "arn:aws:s3:::pb-ab")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(BINDING, "s3:DeleteBucket", "arn:aws:s3:::pb-a")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(BINDING, "s3:PutBucketPolicy", "arn:aws:s3:::pb-a")).isEqualTo(Decision.IMPLICIT_DENY);
    }

    /** {@code bucket/*} names the bucket's objects, not the bucket; actions match case-insensitively, ARNs do not. */
    @Test
    void wildcardsAndCaseAreReadAsIamReadsThem() {
        assertThat(decide(READ_ONLY, "s3:getobject", "arn:aws:s3:::pb-a/x")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(READ_ONLY, "s3:GetObjectVersion", "arn:aws:s3:::pb-a/x"))
                .isEqualTo(Decision.ALLOWED);
        assertThat(decide(READ_ONLY, "s3:PutObject", "arn:aws:s3:::pb-a/x")).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(READ_ONLY, "s3:GetBucketLocation", "arn:aws:s3:::pb-a"))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(READ_ONLY, "s3:GetObject", "arn:aws:s3:::PB-A/x")).isEqualTo(Decision.IMPLICIT_DENY);
        IamPolicy oneCharacter = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjec?",
                 "Resource": "arn:aws:s3:::pb-?/*"}}
                """);
        assertThat(decide(oneCharacter, "s3:GetObject", "arn:aws:s3:::pb-a/x")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(oneCharacter, "s3:GetObject", "arn:aws:s3:::pb-ab/x")).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void anExplicitDenyWinsOverAnyAllowInAnyPolicy() {
        IamPolicy denyDeletes = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}}
                """);

        assertThat(IamEvaluator.decide(
                        List.of(BINDING, denyDeletes), IamRequest.of("s3:DeleteObject", "arn:aws:s3:::pb-a/x")))
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(IamEvaluator.decide(
                        List.of(BINDING, denyDeletes), IamRequest.of("s3:PutObject", "arn:aws:s3:::pb-a/x")))
                .isEqualTo(Decision.ALLOWED);
        assertThat(IamEvaluator.decide(List.of(), IamRequest.of("s3:GetObject", "arn:aws:s3:::pb-a/x")))
                .isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void notActionAndNotResourceNameEverythingElse() {
        IamPolicy allButIam = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*",
                 "NotResource": "arn:aws:s3:::secret/*"}}
                """);

        assertThat(decide(allButIam, "s3:GetObject", "arn:aws:s3:::pb-a/x")).isEqualTo(Decision.ALLOWED);
        assertThat(decide(allButIam, "iam:CreateUser", "arn:aws:iam::123456789012:user/x"))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(allButIam, "s3:GetObject", "arn:aws:s3:::secret/x")).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void conditionsMustAllHoldAndAMissingKeyFailsThemUnlessIfExistsOrNegated() {
        IamPolicy underPrefix = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket",
                 "Resource": "arn:aws:s3:::pb-a",
                 "Condition": {"StringLike": {"s3:prefix": ["home/*", "shared/*"]},
                               "Bool": {"aws:SecureTransport": "true"}}}}
                """);
        Map<String, String> tls = Map.of("aws:SecureTransport", "true");

        assertThat(IamEvaluator.decide(
                        List.of(underPrefix),
                        new IamRequest(
                                "s3:ListBucket",
                                "arn:aws:s3:::pb-a",
                                Map.of("s3:prefix", "home/a", "aws:securetransport", "true"))))
                .isEqualTo(Decision.ALLOWED);
        assertThat(IamEvaluator.decide(
                        List.of(underPrefix),
                        new IamRequest(
                                "s3:ListBucket",
                                "arn:aws:s3:::pb-a",
                                Map.of("s3:prefix", "etc/a", "aws:SecureTransport", "true"))))
                .isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(IamEvaluator.decide(List.of(underPrefix), new IamRequest("s3:ListBucket", "arn:aws:s3:::pb-a", tls)))
                .as("no prefix given")
                .isEqualTo(Decision.IMPLICIT_DENY);
        IamPolicy denyPlaintext = IamPolicy.parse("""
                {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}}
                """);
        assertThat(IamEvaluator.decide(
                        List.of(BINDING, denyPlaintext), IamRequest.of("s3:GetObject", "arn:aws:s3:::pb-a/x")))
                .as("the key is missing: IfExists holds")
                .isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(IamEvaluator.decide(
                        List.of(BINDING, denyPlaintext), new IamRequest("s3:GetObject", "arn:aws:s3:::pb-a/x", tls)))
                .isEqualTo(Decision.ALLOWED);
    }

    @Test
    void documentsOutsideTheGrammarAreRefusedWithTheReason() {
        assertThatThrownBy(() -> IamPolicy.parse("{\"Statement\": []}"))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessageContaining("valid version");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}}
                        """)).hasMessageContaining("Effect must be Allow or Deny");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                         "NotAction": "iam:*", "Resource": "*"}}
                        """)).hasMessageContaining("exactly one of Action and NotAction");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*"}}
                        """)).hasMessageContaining("exactly one of Resource and NotResource");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "GetObject",
                         "Resource": "*"}}
                        """)).hasMessageContaining("is no action");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                         "Resource": "pb-a"}}
                        """)).hasMessageContaining("ARN format");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                         "Resource": "*", "Principal": "*"}}
                        """)).hasMessageContaining("no element Principal");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                         "Resource": "arn:aws:s3:::${aws:username}/*"}}
                        """)).hasMessageContaining("no policy variables");
        assertThatThrownBy(() -> IamPolicy.parse("""
                        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                         "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}
                        """)).hasMessageContaining("no condition operator IpAddress");
    }

    private static Decision decide(IamPolicy policy, String action, String resource) {
        return IamEvaluator.decide(List.of(policy), IamRequest.of(action, resource));
    }
}
