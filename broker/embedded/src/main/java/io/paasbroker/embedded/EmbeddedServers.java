package io.paasbroker.embedded;

import io.paasbroker.provisioner.host.DataDirectory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers of the embedded default, started side by side: PostgreSQL (the broker's state and tenants'
 * databases), MariaDB, Redis 7 and OpenSearch for tenants, all serving TLS with the certificate of
 * {@link EmbeddedCertificates}. Redis needs the machine's {@code redis-server}; without
 * one, Redis plans are not published.
 */
public final class EmbeddedServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

    private final EmbeddedCertificates certificates;
    private final EmbeddedPostgresServer postgres;
    private final Optional<EmbeddedMariaDbServer> mariaDb;
    private final Optional<EmbeddedRedisServer> redis;
    private final Optional<EmbeddedOpenSearchServer> openSearch;

    private EmbeddedServers(
            EmbeddedCertificates certificates,
            EmbeddedPostgresServer postgres,
            Optional<EmbeddedMariaDbServer> mariaDb,
            Optional<EmbeddedRedisServer> redis,
            Optional<EmbeddedOpenSearchServer> openSearch) {
        this.certificates = certificates;
        this.postgres = postgres;
        this.mariaDb = mariaDb;
        this.redis = redis;
        this.openSearch = openSearch;
    }

    public static EmbeddedServers start(DataDirectory data, boolean mysql, boolean redis, boolean openSearch) {
        EmbeddedCertificates certificates = EmbeddedCertificates.writeIfAbsent(data);
        CompletableFuture<Optional<EmbeddedOpenSearchServer>> search = CompletableFuture.supplyAsync(
                () -> openSearch ? startOpenSearch(data, certificates) : Optional.empty());
        CompletableFuture<Optional<EmbeddedMariaDbServer>> mariaDb = CompletableFuture.supplyAsync(
                () -> mysql ? Optional.of(new EmbeddedMariaDbServer(data, certificates)) : Optional.empty());
        Optional<Path> redisBinary = redis ? EmbeddedRedisServer.binary() : Optional.empty();
        if (redis && redisBinary.isEmpty()) {
            log.warn("No redis-server on this machine (apt-get install redis-server): Redis plans are not published");
        }
        CompletableFuture<Optional<EmbeddedRedisServer>> redisServer = CompletableFuture.supplyAsync(
                () -> redisBinary.map(binary -> EmbeddedRedisServer.start(data, binary, certificates)));
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(data, certificates);
        return new EmbeddedServers(certificates, postgres, mariaDb.join(), redisServer.join(), search.join());
    }

    /** OpenSearch needs about 400 MB and 20 s: a machine that cannot give them still gets the other services. */
    private static Optional<EmbeddedOpenSearchServer> startOpenSearch(
            DataDirectory data, EmbeddedCertificates certificates) {
        try {
            return Optional.of(EmbeddedOpenSearchServer.start(data, certificates));
        } catch (RuntimeException e) {
            log.warn(
                    "The embedded OpenSearch node did not start, OpenSearch plans are not published: {}",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** The TLS every embedded server serves. */
    public EmbeddedCertificates certificates() {
        return certificates;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public Optional<EmbeddedMariaDbServer> mariaDb() {
        return mariaDb;
    }

    public Optional<EmbeddedRedisServer> redis() {
        return redis;
    }

    public Optional<EmbeddedOpenSearchServer> openSearch() {
        return openSearch;
    }

    @Override
    public void close() throws Exception {
        if (openSearch.isPresent()) {
            openSearch.get().close();
        }
        if (redis.isPresent()) {
            redis.get().close();
        }
        if (mariaDb.isPresent()) {
            mariaDb.get().close();
        }
        postgres.close();
    }
}
