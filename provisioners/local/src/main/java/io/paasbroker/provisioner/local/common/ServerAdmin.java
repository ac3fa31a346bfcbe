package io.paasbroker.provisioner.local.common;

/** Administrative access to one server the operator runs; closing it throws nothing checked. */
public interface ServerAdmin extends AutoCloseable {

    @Override
    void close();
}
