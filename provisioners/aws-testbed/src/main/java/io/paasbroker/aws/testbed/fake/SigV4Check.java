package io.paasbroker.aws.testbed.fake;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 checked as AWS checks it: the signature recomputed from the request (canonical request,
 * string to sign, a key derived from the secret, the date, region and service) must equal the one sent, by a key the
 * test bed knows, for the fake's region and service, within 15 minutes of now. A request that fails is refused with the
 * error AWS answers.
 */
final class SigV4Check {

    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
                    + "\\s*SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofMinutes(15);

    private final AccessKeys keys;
    private final String region;
    private final String service;

    SigV4Check(AccessKeys keys, String region, String service) {
        this.keys = keys;
        this.region = region;
        this.service = service;
    }

    /**
     * Refuses the request, as AWS would, unless it is signed by a known key for this region and service; answers the
     * key's id.
     */
    String check(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null) {
            throw new AwsFault("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
        }
        Matcher parts = AUTHORIZATION.matcher(authorization);
        String amzDate = headers.getFirst("X-Amz-Date");
        if (!parts.matches() || amzDate == null) {
            throw new AwsFault("IncompleteSignature", 403, "The request signature does not conform to AWS standards.");
        }
        String secret = keys.secretOf(parts.group(1))
                .orElseThrow(() -> new AwsFault(
                        "InvalidClientTokenId", 403, "The security token included in the request is invalid."));
        Optional<String> token = keys.sessionTokenOf(parts.group(1));
        if (token.isPresent()
                && (!token.get().equals(headers.getFirst("X-Amz-Security-Token"))
                        || !parts.group(5).contains("x-amz-security-token"))) {
            throw new AwsFault("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        }
        Instant signedAt;
        try {
            signedAt = Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw new AwsFault("IncompleteSignature", 403, "X-Amz-Date is not a date: " + amzDate);
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(SKEW) > 0) {
            throw new AwsFault("RequestExpired", 400, "Request has expired.");
        }
        String date = parts.group(2);
        if (!amzDate.startsWith(date)
                || !parts.group(3).equals(region)
                || !parts.group(4).equals(service)) {
            throw new AwsFault(
                    "SignatureDoesNotMatch",
                    403,
                    "Credential should be scoped to a valid region and service: " + region + "/" + service);
        }
        String signedHeaders = parts.group(5);
        if (!List.of(signedHeaders.split(";")).contains("host")) {
            throw new AwsFault("IncompleteSignature", 403, "'Host' must be a signed header");
        }
        String canonicalRequest = String.join(
                "\n",
                method,
                rawPath.isEmpty() ? "/" : rawPath,
                canonicalQuery(rawQuery),
                canonicalHeaders(headers, signedHeaders),
                signedHeaders,
                payloadHash(headers, body));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign =
                "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + hex(sha256(bytes(canonicalRequest)));
        byte[] key = hmac(bytes("AWS4" + secret), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(bytes(expected), bytes(parts.group(6)))) {
            throw new AwsFault(
                    "SignatureDoesNotMatch",
                    403,
                    "The request signature we calculated does not match the signature you provided.");
        }
        return parts.group(1);
    }

    /**
     * The payload's hash as signed: the body's; S3's requests may sign none instead, saying so in
     * {@code x-amz-content-sha256} ({@code UNSIGNED-PAYLOAD}). A body changed after signing fails the signature.
     */
    private static String payloadHash(Headers headers, byte[] body) {
        String declared = headers.getFirst("x-amz-content-sha256");
        return declared != null && !declared.matches("[0-9a-f]{64}") ? declared : hex(sha256(body));
    }

    private static String canonicalHeaders(Headers headers, String signedHeaders) {
        StringBuilder canonical = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                throw new AwsFault("IncompleteSignature", 403, "Signed header " + name + " is missing");
            }
            List<String> trimmed = new ArrayList<>();
            values.forEach(value -> trimmed.add(value.trim().replaceAll(" +", " ")));
            canonical.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return canonical.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        Map<String, List<String>> parameters = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] nameValue = pair.split("=", 2);
            parameters
                    .computeIfAbsent(encode(decode(nameValue[0])), name -> new ArrayList<>())
                    .add(encode(decode(nameValue.length > 1 ? nameValue[1] : "")));
        }
        List<String> canonical = new ArrayList<>();
        parameters.forEach((name, values) -> values.stream().sorted().forEach(v -> canonical.add(name + "=" + v)));
        return String.join("&", canonical);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** RFC 3986 unreserved characters kept, everything else percent-encoded, as SigV4 wants. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(bytes(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] data) {
        return HexFormat.of().formatHex(data);
    }
}
