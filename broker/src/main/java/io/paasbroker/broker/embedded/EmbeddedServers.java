package io.paasbroker.broker.embedded;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers of the embedded default, started side by side: PostgreSQL (the broker's state and tenants'
 * databases), MariaDB and Redis 7 for tenants. Redis needs the machine's {@code redis-server}; without one, Redis plans
 * are not published.
 */
public final class EmbeddedServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServers.class);

    private final EmbeddedPostgresServer postgres;
    private final Optional<EmbeddedMariaDbServer> mariaDb;
    private final Optional<EmbeddedRedisServer> redis;

    private EmbeddedServers(
            EmbeddedPostgresServer postgres,
            Optional<EmbeddedMariaDbServer> mariaDb,
            Optional<EmbeddedRedisServer> redis) {
        this.postgres = postgres;
        this.mariaDb = mariaDb;
        this.redis = redis;
    }

    public static EmbeddedServers start(DataDirectory data, boolean mysql, boolean redis) {
        CompletableFuture<Optional<EmbeddedMariaDbServer>> mariaDb = CompletableFuture.supplyAsync(
                () -> mysql ? Optional.of(new EmbeddedMariaDbServer(data)) : Optional.empty());
        Optional<Path> redisBinary = redis ? EmbeddedRedisServer.binary() : Optional.empty();
        if (redis && redisBinary.isEmpty()) {
            log.warn("No redis-server on this machine (apt-get install redis-server): Redis plans are not published");
        }
        CompletableFuture<Optional<EmbeddedRedisServer>> redisServer =
                CompletableFuture.supplyAsync(() -> redisBinary.map(binary -> EmbeddedRedisServer.start(data, binary)));
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(data);
        return new EmbeddedServers(postgres, mariaDb.join(), redisServer.join());
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

    @Override
    public void close() throws Exception {
        if (redis.isPresent()) {
            redis.get().close();
        }
        if (mariaDb.isPresent()) {
            mariaDb.get().close();
        }
        postgres.close();
    }
}
