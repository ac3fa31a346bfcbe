package io.paasbroker.aws.testbed.fake;

import io.paasbroker.aws.testbed.conformance.HttpRequest;
import io.paasbroker.aws.testbed.iam.IamRequest;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * What IAM is asked for each S3 operation the fake serves, as AWS's service authorization reference for S3 lists it:
 * the action, and the resource (the bucket's ARN, or the object's), with {@code s3:prefix} for listings.
 */
final class S3Actions {

    /** Operations on a bucket, and the action each needs. */
    private static final Map<String, String> ON_BUCKET = Map.ofEntries(
            Map.entry("CreateBucket", "s3:CreateBucket"),
            Map.entry("DeleteBucket", "s3:DeleteBucket"),
            Map.entry("HeadBucket", "s3:ListBucket"),
            Map.entry("ListObjects", "s3:ListBucket"),
            Map.entry("ListObjectsV2", "s3:ListBucket"),
            Map.entry("GetBucketLocation", "s3:GetBucketLocation"),
            Map.entry("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
            Map.entry("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
            Map.entry("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
            Map.entry("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
            Map.entry("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
            Map.entry("PutBucketVersioning", "s3:PutBucketVersioning"),
            Map.entry("GetBucketVersioning", "s3:GetBucketVersioning"),
            Map.entry("PutBucketTagging", "s3:PutBucketTagging"),
            Map.entry("GetBucketTagging", "s3:GetBucketTagging"),
            Map.entry("PutBucketAcl", "s3:PutBucketAcl"));

    /** Operations on an object, and the action each needs. */
    private static final Map<String, String> ON_OBJECT = Map.ofEntries(
            Map.entry("PutObject", "s3:PutObject"),
            Map.entry("GetObject", "s3:GetObject"),
            Map.entry("HeadObject", "s3:GetObject"),
            Map.entry("DeleteObject", "s3:DeleteObject"),
            Map.entry("CreateMultipartUpload", "s3:PutObject"),
            Map.entry("UploadPart", "s3:PutObject"),
            Map.entry("CompleteMultipartUpload", "s3:PutObject"),
            Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("ListParts", "s3:ListMultipartUploadParts"));

    /** Reads of the settings the fake keeps, and which setting each reads. */
    private static final Map<String, String> SETTING_READS = Map.of(
            "GetPublicAccessBlock", "publicAccessBlock",
            "GetBucketEncryption", "encryption",
            "GetBucketVersioning", "versioning",
            "GetBucketTagging", "tagging");

    private S3Actions() {}

    static boolean known(String operation) {
        return ON_BUCKET.containsKey(operation)
                || ON_OBJECT.containsKey(operation)
                || operation.equals("DeleteObjects")
                || operation.equals("CopyObject")
                || operation.equals("ListBuckets");
    }

    static boolean readsSetting(String operation) {
        return SETTING_READS.containsKey(operation);
    }

    static String settingRead(String operation) {
        return SETTING_READS.get(operation);
    }

    /** The bucket of a path-style request: its path's first segment; none for the service itself. */
    static String bucketOf(HttpRequest request) {
        String path = request.rawPath().substring(1);
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        return bucket.isEmpty() ? null : bucket;
    }

    /** What IAM must allow for the request: one action and resource, or (DeleteObjects, CopyObject) several. */
    static List<IamRequest> requests(String operation, HttpRequest request) {
        String bucket = bucketOf(request);
        if (operation.equals("ListBuckets")) {
            return List.of(IamRequest.of("s3:ListAllMyBuckets", "*"));
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        if (ON_BUCKET.containsKey(operation)) {
            List<String> prefix = request.query().get("prefix");
            return List.of(new IamRequest(
                    ON_BUCKET.get(operation),
                    bucketArn,
                    prefix == null ? Map.of() : Map.of("s3:prefix", prefix.get(0))));
        }
        String key = decode(request.rawPath().substring(1 + bucket.length()).replaceFirst("^/", ""));
        if (ON_OBJECT.containsKey(operation)) {
            return List.of(IamRequest.of(ON_OBJECT.get(operation), bucketArn + "/" + key));
        }
        return switch (operation) {
            case "CopyObject" ->
                List.of(
                        IamRequest.of("s3:PutObject", bucketArn + "/" + key),
                        IamRequest.of(
                                "s3:GetObject",
                                "arn:aws:s3:::"
                                        + decode(first(request.headers().get("x-amz-copy-source"))
                                                .replaceFirst("^/", ""))));
            case "DeleteObjects" ->
                deletedKeys(request.body()).stream()
                        .map(deleted -> IamRequest.of("s3:DeleteObject", bucketArn + "/" + deleted))
                        .toList();
            default -> throw new IllegalArgumentException("no IAM action known for " + operation);
        };
    }

    /** The keys a DeleteObjects body names. */
    private static List<String> deletedKeys(byte[] body) {
        List<String> keys = new ArrayList<>();
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            NodeList found = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body))
                    .getElementsByTagNameNS("*", "Key");
            for (int i = 0; i < found.getLength(); i++) {
                keys.add(found.item(i).getTextContent());
            }
        } catch (Exception e) {
            throw new AwsFault("MalformedXML", 400, "The XML you provided was not well-formed");
        }
        return keys;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
