package io.paasbroker.aws.testbed.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.paasbroker.aws.testbed.conformance.FullModel;
import io.paasbroker.aws.testbed.conformance.HttpRequest;
import io.paasbroker.aws.testbed.conformance.RestConformance;
import io.paasbroker.aws.testbed.conformance.ServiceModel;
import io.paasbroker.aws.testbed.iam.IamEvaluator;
import io.paasbroker.aws.testbed.iam.IamPolicy;
import io.paasbroker.aws.testbed.iam.IamRequest;
import io.paasbroker.testbed.CallFaults;
import io.paasbroker.testbed.FakeSecrets;
import io.paasbroker.testbed.LoopbackServers;
import io.paasbroker.testbed.Violations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A fake of Amazon S3 in front of a real S3 server (S3Proxy): every request, path-style, goes through the REST-XML
 * gate ({@link RestConformance}) and IAM's authorization — a request signed with a key the fake IAM issued is
 * allowed only as its user's policies say ({@link IamEvaluator}), the action and resource S3 would ask for (each key
 * of a {@code DeleteObjects} on its own) — then objects and buckets go to S3Proxy, which checks the signature (chunked
 * uploads included) with the key's secret, and stores them. The bucket settings S3Proxy does not keep (public access
 * block, default encryption, versioning status, tags) the fake keeps itself, per bucket, and answers; versioning is
 * recorded, not carried out (S3Proxy keeps one version of an object). Faults are injected as {@link CallFaults} says.
 * Buckets live in memory, except those made {@linkplain #createBucketOnDisk on disk}, whose objects are plain files
 * another program (an OpenSearch node's snapshot repository) writes and reads.
 */
public final class FakeS3 implements AutoCloseable {

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([A-Z0-9]+)/");

    /** The bucket settings the fake keeps, by operation that sets them: the XML document it was set with. */
    private static final Map<String, String> SETTINGS = Map.of(
            "PutPublicAccessBlock", "publicAccessBlock",
            "PutBucketEncryption", "encryption",
            "PutBucketVersioning", "versioning",
            "PutBucketTagging", "tagging");

    /** What a read of each setting answers when none was set: S3's error, or its default. */
    private static final Map<String, String> MISSING = Map.of(
            "publicAccessBlock", "NoSuchPublicAccessBlockConfiguration",
            "encryption",
                    "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>"
                            + "AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
            "versioning", "<VersioningConfiguration/>",
            "tagging", "NoSuchTagSet");

    private final String region;
    private final AccessKeys keys;
    private final FakeIam iam;
    private final RestConformance gate;
    private final SigV4Check signatures;
    private final BlobStore store = new TransientNio2BlobStore();
    private final Map<String, OnDisk> onDisk = new ConcurrentHashMap<>();
    private final S3Proxy proxy;
    private final HttpServer server;
    private final Violations violations = new Violations();
    private final CallFaults faults = new CallFaults();
    private final PermissionsUsed permissions = new PermissionsUsed();
    private final Map<String, Map<String, String>> settingsByBucket = new ConcurrentHashMap<>();

    /**
     * @param keys whose signatures it accepts (S3Proxy asks it for each key's secret)
     * @param iam whose users' policies authorize the requests of the keys it issued
     */
    public FakeS3(String region, AccessKeys keys, FakeIam iam) {
        this.region = region;
        this.keys = keys;
        this.iam = iam;
        ServiceModel model = ServiceModel.load("s3", "2006-03-01");
        this.gate = new RestConformance(model, FullModel.load("s3", "2006-03-01"));
        this.signatures = new SigV4Check(keys, region, "s3");
        this.proxy = S3Proxy.builder()
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(
                        AuthenticationType.AWS_V4, "unused-" + FakeSecrets.generate(8), FakeSecrets.generate())
                .blobStore(store)
                .build();
        proxy.setBlobStoreLocator((identity, container, blob) -> identity == null
                ? null
                : keys.secretOf(identity)
                        .map(secret -> new AccessGrant(secret, storeOf(container)))
                        .orElse(null));
        try {
            proxy.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"STARTED".equals(proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("S3Proxy state " + proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the fake S3 did not start", e);
        }
        // a client that stops half-way through a body must not hold up everyone else's requests
        server = LoopbackServers.start("s3", this::exchange, Executors.newCachedThreadPool());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An SDK client of this fake (path-style), signing with {@code key}. */
    public S3Client client(AccessKeys.Key key) {
        return FakeClients.of(S3Client.builder().forcePathStyle(true), endpoint(), region, key);
    }

    /** What the requests got wrong by the model since the last call, and forgets them. */
    public List<String> takeViolations() {
        return violations.take();
    }

    /** The IAM actions the requests signed by {@code keyId} needed, as {@code s3:CreateBucket}. */
    public Set<String> permissionsUsed(String keyId) {
        return permissions.of(keyId);
    }

    /** The XML a bucket's setting ({@code versioning}, {@code tagging}, ...) was last set with; none when not set. */
    public Optional<String> setting(String bucket, String setting) {
        return Optional.ofNullable(
                settingsByBucket.getOrDefault(bucket, Map.of()).get(setting));
    }

    /** The buckets that exist now. */
    public List<String> bucketNames() {
        List<String> names = new ArrayList<>();
        store.list().buckets().forEach(bucket -> names.add(bucket.name()));
        names.addAll(onDisk.keySet());
        return names;
    }

    /**
     * Makes {@code bucket} (unless it is there from an earlier run), its objects plain files at
     * {@code root/bucket/<key>}, and answers that directory. It is served as any bucket is, but not listed by
     * ListBuckets, which S3Proxy answers from the in-memory buckets.
     */
    public Path createBucketOnDisk(String bucket, Path root) {
        if (store.containerExists(bucket)) {
            throw new IllegalStateException("bucket " + bucket + " exists in memory already");
        }
        Path absolute = root.toAbsolutePath().normalize();
        Path directory = absolute.resolve(bucket);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the bucket " + bucket + " in " + absolute, e);
        }
        onDisk.put(bucket, new OnDisk(directory, new FilesystemNio2BlobStore(absolute.toString())));
        return directory;
    }

    /** The directory of a bucket {@linkplain #createBucketOnDisk made on disk}; none for any other. */
    Optional<Path> directoryOf(String bucket) {
        return Optional.ofNullable(onDisk.get(bucket)).map(OnDisk::directory);
    }

    /** The store that keeps {@code bucket}; the in-memory one for requests of no bucket (ListBuckets). */
    private BlobStore storeOf(String bucket) {
        OnDisk disk = bucket == null ? null : onDisk.get(bucket);
        return disk == null ? store : disk.store();
    }

    /** A bucket made on disk: its directory, and the store of its directory's parent that S3Proxy serves it from. */
    private record OnDisk(Path directory, BlobStore store) {}

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest request = HttpRequest.read(exchange);
            String rawQuery = exchange.getRequestURI().getRawQuery();
            byte[] body = request.body();
            violations.addAll(gate.check(request));
            Optional<String> operation = gate.operationOf(request);
            try {
                if (operation.isEmpty() || !S3Actions.known(operation.get())) {
                    violations.add("s3: the fake has no " + operation.orElse(request.method() + " " + request.rawPath())
                            + " (the suite called it)");
                    throw new AwsFault("NotImplemented", 501, "the test bed does not serve this request");
                }
                authorize(exchange, operation.get(), request);
                boolean answerLost = injectedFault() == CallFaults.Fault.ACT_THEN_RESET;
                String bucket = S3Actions.bucketOf(request);
                if (SETTINGS.containsKey(operation.get())) {
                    signatures.check(request.method(), request.rawPath(), rawQuery, exchange.getRequestHeaders(), body);
                    requireBucket(bucket);
                    settingsByBucket
                            .computeIfAbsent(bucket, b -> new ConcurrentHashMap<>())
                            .put(SETTINGS.get(operation.get()), new String(body, StandardCharsets.UTF_8));
                    loseIf(answerLost);
                    answer(exchange, 200, new byte[0]);
                } else if (S3Actions.readsSetting(operation.get())) {
                    signatures.check(request.method(), request.rawPath(), rawQuery, exchange.getRequestHeaders(), body);
                    requireBucket(bucket);
                    loseIf(answerLost);
                    answerSetting(exchange, bucket, S3Actions.settingRead(operation.get()));
                } else {
                    forward(exchange, body, !answerLost);
                    if (operation.get().equals("DeleteBucket")
                            && !storeOf(bucket).containerExists(bucket)) {
                        settingsByBucket.remove(bucket);
                    }
                    loseIf(answerLost);
                }
            } catch (CallFaults.AnswerLost lost) {
                return; // closing the exchange unanswered closes the connection
            } catch (AwsFault fault) {
                answer(exchange, fault.status(), error(fault.code(), fault.getMessage()));
            } catch (RuntimeException e) {
                // the fake itself broke: S3's answer to that, and a finding that fails the suite
                violations.add("s3: the fake failed: " + e);
                answer(exchange, 500, error("InternalError", "the test bed failed"));
            }
        }
    }

    /**
     * IAM's decision on the request: a key the fake IAM issued is its user's, allowed as the user's policies say; the
     * test bed's own keys may do anything, and what they needed is recorded for the check of the shipped policy.
     */
    private void authorize(HttpExchange exchange, String operation, HttpRequest request) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Matcher credential = CREDENTIAL.matcher(authorization == null ? "" : authorization);
        if (!credential.find()) {
            return; // anonymous: S3Proxy refuses it
        }
        String keyId = credential.group(1);
        Optional<List<IamPolicy>> policies = iam.policiesOfKey(keyId);
        for (IamRequest needed : S3Actions.requests(operation, request)) {
            if (policies.isEmpty()) {
                permissions.add(keyId, needed.action());
            } else if (!IamEvaluator.decide(policies.get(), needed).allowed()) {
                throw new AwsFault("AccessDenied", 403, "Access Denied");
            }
        }
    }

    /** Counts the call; a fault that refuses it is thrown, one that loses its answer is answered. */
    private CallFaults.Fault injectedFault() {
        return faults.next(
                () -> new AwsFault("InternalError", 500, "We encountered an internal error. Please try again."),
                () -> new AwsFault("SlowDown", 503, "Please reduce your request rate."));
    }

    private static void loseIf(boolean answerLost) {
        if (answerLost) {
            throw new CallFaults.AnswerLost();
        }
    }

    /** The faults it injects into the calls that reach an operation: see {@link CallFaults}. */
    public CallFaults faults() {
        return faults;
    }

    private void requireBucket(String bucket) {
        if (bucket == null || !storeOf(bucket).containerExists(bucket)) {
            throw new AwsFault("NoSuchBucket", 404, "The specified bucket does not exist");
        }
    }

    private void answerSetting(HttpExchange exchange, String bucket, String setting) throws IOException {
        String document = setting(bucket, setting).orElse(MISSING.get(setting));
        if (!document.startsWith("<")) {
            throw new AwsFault(document, 404, "The " + setting + " configuration was not found");
        }
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        answer(exchange, 200, document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the request as it came (its Host header too, which its signature covers) to S3Proxy, and its answer back.
     */
    private void forward(HttpExchange exchange, byte[] body, boolean relay) throws IOException {
        URI uri = exchange.getRequestURI();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.getPort())) {
            socket.setSoTimeout(60_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            head.writeBytes((exchange.getRequestMethod() + " " + target + " HTTP/1.0\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            exchange.getRequestHeaders().forEach((name, values) -> {
                // the body is read already: no 100 Continue to wait for (it would come back before the answer)
                if (!name.equalsIgnoreCase("Content-Length")
                        && !name.equalsIgnoreCase("Transfer-Encoding")
                        && !name.equalsIgnoreCase("Connection")
                        && !name.equalsIgnoreCase("Expect")) {
                    values.forEach(value ->
                            head.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                }
            });
            head.writeBytes(("Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            out.write(body);
            out.flush();
            if (relay) {
                relay(socket.getInputStream(), exchange);
            } else {
                socket.getInputStream().readAllBytes();
            }
        }
    }

    /** S3Proxy's HTTP/1.0 answer (status line, headers, the body up to the end of the connection), relayed. */
    private static void relay(InputStream in, HttpExchange exchange) throws IOException {
        byte[] answer = in.readAllBytes();
        int end = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("S3Proxy answered no HTTP response");
        }
        String[] lines = new String(answer, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim();
            if (!name.equalsIgnoreCase("Content-Length")
                    && !name.equalsIgnoreCase("Connection")
                    && !name.equalsIgnoreCase("Transfer-Encoding")
                    && !name.equalsIgnoreCase("Date")) {
                exchange.getResponseHeaders()
                        .add(name, lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] error(String code, String message) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("S3Proxy did not stop", e));
        }
    }
}
