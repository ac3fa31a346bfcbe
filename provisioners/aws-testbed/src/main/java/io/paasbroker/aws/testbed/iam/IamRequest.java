package io.paasbroker.aws.testbed.iam;

import java.util.Map;

/**
 * What a request asks of IAM's authorization: an action ({@code s3:GetObject}) on a resource
 * ({@code arn:aws:s3:::bucket/key}), with the values of the condition keys it brings ({@code s3:prefix}).
 */
public record IamRequest(String action, String resource, Map<String, String> context) {

    public IamRequest {
        context = Map.copyOf(context);
    }

    public static IamRequest of(String action, String resource) {
        return new IamRequest(action, resource, Map.of());
    }
}
