package io.paasbroker.provisioner.local.boot;

import io.paasbroker.provisioner.local.common.ServedCertificate;
import io.paasbroker.provisioner.local.mysql.MysqlServer;
import io.paasbroker.provisioner.local.opensearch.OpenSearchServer;
import io.paasbroker.provisioner.local.postgres.PostgresServer;
import io.paasbroker.provisioner.local.redis.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Servers another module runs for the local provisioner, beside those the operator configures: the embedded
 * default's, defined as a bean. Their admin passwords are theirs to keep; the broker does not rotate them.
 *
 * @param mysqlClientDirectory where that module's {@code mariadb-dump} and {@code mariadb} programs are, preferred
 *     to the machine's
 * @param certificate the certificate of that module's servers, which the local S3 server serves too when its
 *     settings name none
 */
public record ContributedServers(
        List<PostgresServer> postgres,
        List<MysqlServer> mysql,
        List<RedisServer> redis,
        List<OpenSearchServer> openSearch,
        Optional<Path> mysqlClientDirectory,
        Optional<ServedCertificate> certificate) {}
