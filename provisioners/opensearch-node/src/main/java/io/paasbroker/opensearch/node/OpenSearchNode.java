package io.paasbroker.opensearch.node;

import io.paasbroker.opensearch.node.process.LoopbackCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real single-node OpenSearch 2.19 with the security plugin, run as a child JVM with a class path of its own (so
 * OpenSearch's log4j, Jackson and Lucene never meet the caller's), bound to 127.0.0.1 only.
 *
 * <p>Everything lives under one directory: {@code dist/} (the distribution, extracted from this jar once per build),
 * {@code config/} (opensearch.yml, the node's generated CA and certificates, the security plugin's initial
 * configuration), {@code data/}, {@code logs/}, {@code admin-password} (generated on the first start, mode 600) and
 * {@code opensearch.pid}. Started again on the same directory, the node keeps its indices, users and password.
 *
 * <pre>{@code
 * try (OpenSearchNode node = OpenSearchNode.builder(Path.of("paasbroker-data/opensearch")).start()) {
 *     node.uri(); // http://127.0.0.1:PORT, basic auth as node.adminUsername() / node.adminPassword()
 * }
 * }</pre>
 *
 * <p>The node stops with {@link #stop()}, by itself when the JVM that started it is gone (even after a SIGKILL), and
 * a node left running on a directory is stopped by {@link #stopStale(Path)}, which {@link Builder#start()} calls first.
 * This class needs only the JDK.
 */
public final class OpenSearchNode implements AutoCloseable {

    /** The version of OpenSearch (and of its security plugin) this module runs. */
    public static final String OPENSEARCH_VERSION = "2.19.4";

    static final String MAIN_CLASS = "io.paasbroker.opensearch.node.process.OpenSearchNodeMain";
    static final String HOME_PROPERTY = "paasbroker.opensearch.home";
    private static final String HOST = "127.0.0.1";
    private static final String ADMIN_USERNAME = "admin";
    private static final String PID_FILE = "opensearch.pid";
    private static final String PASSWORD_FILE = "admin-password";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path home;
    private final Process process;
    private final int port;
    private final boolean https;
    private final String adminPassword;

    private OpenSearchNode(Path home, Process process, int port, boolean https, String adminPassword) {
        this.home = home;
        this.process = process;
        this.port = port;
        this.https = https;
        this.adminPassword = adminPassword;
    }

    public static Builder builder(Path home) {
        return new Builder(home);
    }

    /** Starts a node under {@code home} on a free port with the defaults; see {@link Builder}. */
    public static OpenSearchNode start(Path home) {
        return builder(home).start();
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code http}, or {@code https} when started with {@link Builder#https(boolean)}. */
    public String scheme() {
        return https ? "https" : "http";
    }

    public URI uri() {
        return URI.create(scheme() + "://" + HOST + ":" + port);
    }

    public String adminUsername() {
        return ADMIN_USERNAME;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The PEM of the node's own root CA, which signed its certificate: what an HTTPS client has to trust. */
    public String caCertificatePem() {
        try {
            return Files.readString(
                    home.resolve("config").resolve(LoopbackCertificates.CA_FILE), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path home() {
        return home;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the node (SIGTERM; SIGKILL after 30 s) and waits for it to exit. */
    public void stop() {
        terminate(process.toHandle());
        try {
            Files.deleteIfExists(home.resolve(PID_FILE));
        } catch (IOException e) {
            // a pid file of a dead process is recognised as stale
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Stops a node that an earlier process started under {@code home} and left running (its pid file names it; a
     * process of that pid is stopped only if it is an OpenSearch node of this very directory). Returns whether one was.
     */
    public static boolean stopStale(Path home) {
        Path absolute = home.toAbsolutePath().normalize();
        Path pidFile = absolute.resolve(PID_FILE);
        try {
            if (!Files.exists(pidFile)) {
                return false;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            Optional<ProcessHandle> stale =
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> isNodeOf(handle, absolute));
            stale.ifPresent(OpenSearchNode::terminate);
            Files.deleteIfExists(pidFile);
            return stale.isPresent();
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean isNodeOf(ProcessHandle handle, Path home) {
        String[] arguments = handle.info().arguments().orElse(new String[0]);
        String marker = "-D" + HOME_PROPERTY + "=" + home;
        return Stream.of(arguments).anyMatch(marker::equals)
                && Stream.of(arguments).anyMatch(MAIN_CLASS::equals);
    }

    private static void terminate(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more to do than SIGKILL
            }
        }
    }

    /** How to start a node; every setting has a default. */
    public static final class Builder {

        private final Path home;
        private int port;
        private String clusterName = "paasbroker";
        private boolean https;
        private String heap = "512m";
        private Duration startTimeout = Duration.ofMinutes(3);
        private boolean stopWithParent = true;
        private Path distributions;
        private String adminPassword;
        private Path certificates;
        private Path repositoryPath;

        private Builder(Path home) {
            this.home = home.toAbsolutePath().normalize();
        }

        /** The HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder clusterName(String clusterName) {
            this.clusterName = clusterName;
            return this;
        }

        /** TLS on HTTP too, with a certificate for 127.0.0.1 and localhost signed by {@link #caCertificatePem()}. */
        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        /**
         * The certificates the node serves with, made by {@link LoopbackCertificates} in {@code directory} (for one CA
         * over several servers); they replace the node's own on every start. Without it, the node makes its own on its
         * first start.
         */
        public Builder certificates(Path directory) {
            this.certificates = directory.toAbsolutePath().normalize();
            return this;
        }

        /**
         * The directory ({@code path.repo}) under which {@code fs} snapshot repositories may be registered; without it,
         * the node registers none.
         */
        public Builder repositoryPath(Path repositoryPath) {
            this.repositoryPath = repositoryPath.toAbsolutePath().normalize();
            return this;
        }

        /** The JVM's heap ({@code -Xmx}), {@code 512m} by default. */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Whether the node stops by itself when this JVM is gone (default: yes). */
        public Builder stopWithParent(boolean stopWithParent) {
            this.stopWithParent = stopWithParent;
            return this;
        }

        /**
         * The administrator's password, when the caller keeps it (for example after rotating it through the security
         * API): it replaces the one in {@code home/admin-password}, and on the first start it is the initial one.
         * Without it, the password is generated on the first start and read from that file afterwards.
         */
        public Builder adminPassword(String adminPassword) {
            this.adminPassword = adminPassword;
            return this;
        }

        /**
         * Where distributions are extracted; default {@code home/dist}. A directory shared by several homes (for tests:
         * {@code target/}) saves one extraction per home.
         */
        public Builder distributions(Path distributions) {
            this.distributions = distributions.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Starts the node and returns once it answers an authenticated request as the administrator.
         *
         * @throws IllegalStateException if it does not within the start timeout, or exits; the message carries the end
         *     of its log
         */
        public OpenSearchNode start() {
            try {
                stopStale(home);
                Files.createDirectories(home.resolve("logs"));
                Path dist = distributions == null
                        ? NodeDistribution.extract(home.resolve("dist"), true)
                        : NodeDistribution.extract(distributions, false);
                String password = OpenSearchNode.adminPassword(home, adminPassword);
                if (certificates != null) {
                    useCertificates(certificates, home.resolve("config"));
                }
                // ports picked here may be taken by someone else before the node binds them: then try new ones
                int attempts = port == 0 ? 3 : 1;
                for (int attempt = 1; ; attempt++) {
                    int httpPort = port == 0 ? freePort() : port;
                    Process process = launch(dist, httpPort, freePort());
                    Files.writeString(home.resolve(PID_FILE), Long.toString(process.pid()));
                    OpenSearchNode node = new OpenSearchNode(home, process, httpPort, https, password);
                    try {
                        node.awaitReady(startTimeout);
                        return node;
                    } catch (RuntimeException e) {
                        node.stop();
                        if (attempt >= attempts || !log().contains("BindException")) {
                            throw e;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not start OpenSearch under " + home, e);
            }
        }

        private static void useCertificates(Path from, Path config) throws IOException {
            Files.createDirectories(config);
            for (String file : List.of(
                    LoopbackCertificates.NODE_KEY_FILE,
                    LoopbackCertificates.NODE_CERT_FILE,
                    LoopbackCertificates.CA_FILE)) {
                Files.copy(from.resolve(file), config.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        private Process launch(Path dist, int httpPort, int transportPort) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(
                    "-Xms" + initialHeap(heap),
                    "-Xmx" + heap,
                    "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError",
                    "-XX:-OmitStackTraceInFastThrow",
                    "-Xss1m",
                    "-Djava.awt.headless=true",
                    "-Dfile.encoding=UTF-8",
                    "-Djava.locale.providers=SPI,COMPAT",
                    "-Djna.nosys=true",
                    "-Dio.netty.noUnsafe=true",
                    "-Dio.netty.noKeySetOptimization=true",
                    "-Dio.netty.recycler.maxCapacityPerThread=0",
                    "-Dlog4j.shutdownHookEnabled=false",
                    "-Dlog4j2.disable.jmx=true",
                    "-D" + HOME_PROPERTY + "=" + home,
                    "-Dpaasbroker.opensearch.dist=" + dist,
                    "-Dpaasbroker.opensearch.httpPort=" + httpPort,
                    "-Dpaasbroker.opensearch.transportPort=" + transportPort,
                    "-Dpaasbroker.opensearch.clusterName=" + clusterName,
                    "-Dpaasbroker.opensearch.https=" + https,
                    "-Dpaasbroker.opensearch.repositoryPath=" + (repositoryPath == null ? "" : repositoryPath),
                    "-Dpaasbroker.opensearch.parentPid="
                            + (stopWithParent ? ProcessHandle.current().pid() : 0),
                    "-cp",
                    dist.resolve("classes") + java.io.File.pathSeparator + dist.resolve("lib") + "/*",
                    MAIN_CLASS));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            home.resolve("logs/stdout.log").toFile()));
            builder.environment().remove("CLASSPATH");
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("_JAVA_OPTIONS");
            return builder.start();
        }

        /** 256 MB to start with, or the whole heap when it is smaller: the node grows only as its data asks. */
        private static String initialHeap(String heap) {
            java.util.regex.Matcher megabytes =
                    java.util.regex.Pattern.compile("(\\d+)[mM]").matcher(heap);
            return megabytes.matches() && Integer.parseInt(megabytes.group(1)) < 256 ? heap : "256m";
        }

        private String log() {
            StringBuilder log = new StringBuilder();
            for (String file : List.of("logs/stdout.log", "logs/opensearch.log")) {
                try {
                    List<String> lines = Files.readAllLines(home.resolve(file), StandardCharsets.UTF_8);
                    log.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())))
                            .append('\n');
                } catch (IOException e) {
                    // no such log yet
                }
            }
            return log.toString();
        }
    }

    /**
     * Waits for the security plugin to report itself initialized (asked without credentials, so that the node does not
     * log a failed authentication for every poll), then for an authenticated answer as the administrator.
     */
    private void awaitReady(Duration timeout) {
        HttpClient client = null;
        HttpRequest securityHealth = HttpRequest.newBuilder(uri().resolve("/_plugins/_security/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        HttpRequest clusterHealth = HttpRequest.newBuilder(uri().resolve("/_cluster/health"))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", basicAuth())
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        boolean securityUp = false;
        int refusals = 0;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited with " + process.exitValue() + " during start-up; "
                        + "its log (" + home.resolve("logs") + ") ends with:\n" + tail());
            }
            if (client == null) {
                if (https && !Files.exists(home.resolve("config").resolve(LoopbackCertificates.CA_FILE))) {
                    last = "no certificates yet";
                    sleep(250);
                    continue;
                }
                client = httpClient(); // with HTTPS, it trusts the CA the node made on its first start
            }
            try {
                if (!securityUp) {
                    HttpResponse<String> response = client.send(securityHealth, HttpResponse.BodyHandlers.ofString());
                    securityUp = response.statusCode() == 200 && response.body().contains("\"UP\"");
                    last = "security plugin: HTTP " + response.statusCode();
                }
                if (securityUp) {
                    HttpResponse<String> response = client.send(clusterHealth, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"")) {
                        return;
                    }
                    last = "cluster health as administrator: HTTP " + response.statusCode();
                    if (response.statusCode() == 401 && ++refusals >= 20) {
                        throw new IllegalStateException("OpenSearch under " + home + " is up but refuses the admin"
                                + " password in " + home.resolve(PASSWORD_FILE) + " (was it changed through the"
                                + " security API? pass the current one with Builder.adminPassword)");
                    }
                }
            } catch (ConnectException e) {
                last = "connection refused";
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while OpenSearch started", e);
            }
            sleep(250);
        }
        throw new IllegalStateException("OpenSearch did not answer as its administrator within " + timeout + " (last: "
                + last + "); its log (" + home.resolve("logs") + ") ends with:\n" + tail());
    }

    private String tail() {
        return new Builder(home).log();
    }

    /** A client for the node as {@link #adminUsername()}: trusts the node's CA when it speaks HTTPS. */
    HttpClient httpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (https) {
            builder.sslContext(trustingSslContext());
        }
        return builder.build();
    }

    /** An SSL context that trusts exactly the node's CA. */
    public SSLContext trustingSslContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry(
                    "paasbroker-opensearch-ca",
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(
                                    new ByteArrayInputStream(caCertificatePem().getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not trust the node's CA", e);
        }
    }

    String basicAuth() {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((ADMIN_USERNAME + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    private static String adminPassword(Path home, String given) throws IOException {
        Path file = home.resolve(PASSWORD_FILE);
        if (given == null && Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        String password = given == null ? StrongPasswords.generate() : given;
        Path tmp = home.resolve(PASSWORD_FILE + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, password, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while OpenSearch started", e);
        }
    }

    /** Passwords the security plugin's strength check accepts: 24 characters from four classes. */
    static final class StrongPasswords {
        private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
        private static final String DIGITS = "23456789";
        private static final String SYMBOLS = "-_.~";
        private static final SecureRandom RANDOM = new SecureRandom();

        private StrongPasswords() {}

        static String generate() {
            String all = UPPER + LOWER + DIGITS + SYMBOLS;
            List<Character> chars = new ArrayList<>();
            for (String set : List.of(UPPER, LOWER, DIGITS, SYMBOLS)) {
                chars.add(set.charAt(RANDOM.nextInt(set.length())));
            }
            while (chars.size() < 24) {
                chars.add(all.charAt(RANDOM.nextInt(all.length())));
            }
            java.util.Collections.shuffle(chars, RANDOM);
            StringBuilder password = new StringBuilder();
            chars.forEach(password::append);
            return password.toString();
        }
    }
}
