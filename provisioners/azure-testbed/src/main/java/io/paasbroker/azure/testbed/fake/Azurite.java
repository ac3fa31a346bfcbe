package io.paasbroker.azure.testbed.fake;

import io.paasbroker.testbed.TestBedCertificates;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * Azurite, Microsoft's Blob Storage emulator, run by the test bed as a node process of its own: the real data plane
 * of the fake storage account. It holds one account (declared through {@code AZURITE_ACCOUNTS}, with two random keys),
 * listens on a free port of 127.0.0.1 over HTTPS with the test bed's certificate, and answers path-style URLs
 * ({@code https://127.0.0.1:<port>/<account>/<container>}); its Shared Key and SAS checks are its own, so what a
 * binding's SAS may do is what Azurite lets it. It keeps everything in memory, and is stopped by its PID on close.
 *
 * <p>The fake Resource Manager reaches it as the storage provider reaches a storage account behind ARM: through
 * {@link #send}, signed with the account's key.
 */
public final class Azurite implements AutoCloseable {

    /** Where the build installed it (the test bed's pom), and which version. */
    private static final String INSTALLATION = "azurite.properties";

    private static final Pattern LISTENING = Pattern.compile("successfully listens on https://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(10);
    /** The Blob service version the test bed's own requests speak. */
    private static final String VERSION = "2021-12-02";

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US);

    private final Process process;
    private final Thread stopOnExit;
    private final int port;
    private final String account;
    private final List<String> keys;
    private final HttpClient http;
    private final String version;

    private Azurite(
            Process process,
            Thread stopOnExit,
            int port,
            String account,
            List<String> keys,
            SSLContext tls,
            String version) {
        this.process = process;
        this.stopOnExit = stopOnExit;
        this.port = port;
        this.account = account;
        this.keys = List.copyOf(keys);
        this.version = version;
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Starts Azurite with storage account {@code account} (3 to 24 lowercase letters and digits, as Azure names them),
     * its log in {@code work}.
     */
    public static Azurite start(Path work, TestBedCertificates certificates, String account) {
        Properties installation = installation();
        List<String> keys = List.of(newKey(), newKey());
        Path log = work.resolve("azurite.log");
        ProcessBuilder builder = new ProcessBuilder(
                        "node",
                        installation.getProperty("main"),
                        "--blobHost",
                        "127.0.0.1",
                        "--blobPort",
                        "0",
                        "--cert",
                        certificates.certificateFile().toString(),
                        "--key",
                        certificates.keyFile().toString(),
                        "--inMemoryPersistence",
                        "--extentMemoryLimit",
                        "256",
                        // the Azure SDK speaks a newer service version than Azurite knows
                        "--skipApiVersionCheck",
                        "--disableProductStyleUrl",
                        "--disableTelemetry",
                        "--silent")
                .redirectErrorStream(true);
        builder.environment().put("AZURITE_ACCOUNTS", account + ":" + keys.get(0) + ":" + keys.get(1));
        Process process;
        try {
            Files.createDirectories(work);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite (node " + installation.getProperty("main") + ")", e);
        }
        Thread stopOnExit = new Thread(() -> stop(process), "azurite-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> follow(process.getInputStream(), log, listening), "azurite-log");
        reader.setDaemon(true);
        reader.start();
        try {
            int port = listening.get(START.toSeconds(), TimeUnit.SECONDS);
            return new Azurite(
                    process,
                    stopOnExit,
                    port,
                    account,
                    keys,
                    certificates.clientSslContext(),
                    installation.getProperty("version"));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
            throw new IllegalStateException("Azurite did not start within " + START + "; its log: " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw new IllegalStateException("interrupted while Azurite started", e);
        }
    }

    private static Properties installation() {
        Properties properties = new Properties();
        try (InputStream in = Azurite.class.getResourceAsStream(INSTALLATION)) {
            if (in == null) {
                throw new IllegalStateException("the test bed's build installs Azurite and writes " + INSTALLATION
                        + ": build provisioners/azure-testbed");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(Path.of(properties.getProperty("main")))) {
            throw new IllegalStateException("Azurite is not installed at " + properties.getProperty("main")
                    + ": build provisioners/azure-testbed (it installs it)");
        }
        return properties;
    }

    /** Copies Azurite's output to its log, and answers the port once it listens. */
    private static void follow(InputStream output, Path log, CompletableFuture<Integer> listening) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.write(line);
                out.newLine();
                out.flush();
                Matcher port = LISTENING.matcher(line);
                if (port.find()) {
                    listening.complete(Integer.parseInt(port.group(1)));
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        }
        listening.completeExceptionally(new IllegalStateException("Azurite ended before it listened"));
    }

    private static String newKey() {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The version of Azurite the build installed. */
    public String version() {
        return version;
    }

    public String account() {
        return account;
    }

    /** The account's two keys, base64, as Azure's {@code listKeys} answers them: key1, key2. */
    public List<String> keys() {
        return keys;
    }

    /** The account's Blob service endpoint: {@code https://127.0.0.1:<port>/<account>}. */
    public URI blobEndpoint() {
        return URI.create("https://127.0.0.1:" + port + "/" + account);
    }

    /**
     * A request of the account's own (Shared Key, key1) to {@code path} below the endpoint ({@code /<container>}), with
     * {@code query} parameters and {@code x-ms-*} headers; the body is empty.
     */
    public HttpResponse<String> send(
            String method, String path, Map<String, String> query, Map<String, String> headers) {
        Map<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> signed.put(name.toLowerCase(Locale.ROOT), value.strip()));
        signed.put("x-ms-date", RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC)));
        signed.put("x-ms-version", VERSION);
        String resourcePath = "/" + account + path;
        StringBuilder queryText = new StringBuilder();
        new TreeMap<>(query)
                .forEach((name, value) -> queryText
                        .append(queryText.isEmpty() ? "?" : "&")
                        .append(name)
                        .append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        StringBuilder toSign = new StringBuilder(method).append('\n');
        // Content-Encoding, -Language, -Length (empty: none), -MD5, -Type, Date, If-*, Range: none are sent
        toSign.append("\n".repeat(11));
        signed.forEach(
                (name, value) -> toSign.append(name).append(':').append(value).append('\n'));
        toSign.append('/').append(account).append(resourcePath);
        new TreeMap<>(query)
                .forEach((name, value) -> toSign.append('\n')
                        .append(name.toLowerCase(Locale.ROOT))
                        .append(':')
                        .append(value));
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + resourcePath + queryText))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        signed.forEach(request::header);
        request.header("Authorization", "SharedKey " + account + ":" + sign(toSign.toString()));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Azurite did not answer " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Azurite", e);
        }
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(keys.get(0)), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JRE", e);
        }
    }

    /** Stops the process by its PID: SIGTERM, and SIGKILL when it has not ended a while later. */
    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private static void stop(Process process) {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
                process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
