package io.paasbroker.aws.testbed.fake;

import java.nio.file.Path;

/** The real database server behind one fake RDS instance, whatever its engine. */
interface RdsServer extends AutoCloseable {

    /** Its port on 127.0.0.1: the instance's endpoint. */
    int port();

    /** Applies the parameter group's TLS parameter ({@code rds.force_ssl}, {@code require_secure_transport}). */
    void requireTls(boolean on);

    /** What RDS does with a modification's {@code MasterUserPassword}. */
    void changeMasterPassword(String masterUsername, String password);

    /** Writes the server's data, its accounts among it, to {@code file}: what a snapshot keeps. */
    void dumpTo(Path file);

    /** Loads what {@link #dumpTo} wrote. */
    void load(Path file);

    @Override
    void close();
}
