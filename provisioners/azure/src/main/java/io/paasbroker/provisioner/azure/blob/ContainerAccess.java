package io.paasbroker.provisioner.azure.blob;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobSignedIdentifier;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.common.sas.SasProtocol;
import io.paasbroker.provisioner.BackingServiceUnavailableException;
import io.paasbroker.provisioner.ProvisionerException;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.azure.AzureCloud;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the broker does on a container's data plane, as its storage account (Shared Key): read and replace the
 * container's stored access policies, one step at a time under a short lease of the container so that two bindings'
 * steps never lose each other's change (a lost removal would bring a revoked binding back); sign a service SAS bound
 * to a policy; and ask, with a binding's SAS alone, whether Azure takes it yet.
 */
public final class ContainerAccess {

    /** How long one step holds the container's lease, Azure's shortest: one a crashed step left ends by itself. */
    private static final int LEASE_SECONDS = 15;
    /** How long a step waits for another step's lease before it gives up, to be run again. */
    private static final Duration LEASE_WAIT = Duration.ofSeconds(20);

    private final HttpClient http;
    private final RequestRetryOptions retries;

    /** Trusts the data plane as {@code cloud} says ({@link AzureCloud#databaseTls}), and waits no longer than it says. */
    public ContainerAccess(AzureCloud cloud) {
        this.http = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                        .sslContext(cloud.databaseTls().sslContext()))
                .connectionTimeout(cloud.timeout())
                .responseTimeout(cloud.timeout())
                .readTimeout(cloud.timeout())
                .build();
        this.retries = new RequestRetryOptions(
                RetryPolicyType.EXPONENTIAL, 3, cloud.timeout(), Duration.ofMillis(500), Duration.ofSeconds(5), null);
    }

    /** The container as its account, {@code key} signing every request. */
    public BlobContainerClient asAccount(URI endpoint, String account, String key, String container) {
        return new BlobContainerClientBuilder()
                .endpoint(endpoint.toString())
                .containerName(container)
                .credential(new StorageSharedKeyCredential(account, key))
                .httpClient(http)
                .retryOptions(retries)
                .buildClient();
    }

    /** The container's stored access policies. */
    List<BlobSignedIdentifier> policies(BlobContainerClient container) {
        List<BlobSignedIdentifier> identifiers = call(
                        "reading the stored access policies of container " + container.getBlobContainerName(),
                        container::getAccessPolicy)
                .getIdentifiers();
        return identifiers == null ? new ArrayList<>() : new ArrayList<>(identifiers);
    }

    /**
     * Runs {@code change} on the container's policies under its lease, and stores what it answers unless that is null
     * (nothing to change). The container stays private.
     */
    void changePolicies(
            BlobContainerClient container, Function<List<BlobSignedIdentifier>, List<BlobSignedIdentifier>> change) {
        String name = container.getBlobContainerName();
        BlobLeaseClient lease = new BlobLeaseClientBuilder()
                .containerClient(container)
                .leaseId(UUID.randomUUID().toString())
                .buildClient();
        acquire(lease, name);
        try {
            List<BlobSignedIdentifier> changed = change.apply(policies(container));
            if (changed != null) {
                call(
                        "storing the stored access policies of container " + name,
                        () -> container.setAccessPolicyWithResponse(
                                null,
                                changed,
                                new BlobRequestConditions().setLeaseId(lease.getLeaseId()),
                                null,
                                Context.NONE));
            }
        } finally {
            try {
                lease.releaseLease();
            } catch (RuntimeException e) {
                // it ends by itself within LEASE_SECONDS
            }
        }
    }

    private void acquire(BlobLeaseClient lease, String container) {
        long deadline = System.nanoTime() + LEASE_WAIT.toNanos();
        while (true) {
            try {
                call("leasing container " + container, () -> lease.acquireLease(LEASE_SECONDS));
                return;
            } catch (ProvisioningFailedException e) {
                if (!(e.getCause() instanceof BlobStorageException refused)
                        || refused.getErrorCode() != BlobErrorCode.LEASE_ALREADY_PRESENT) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new BackingServiceUnavailableException(
                            "container " + container + " is leased by another step for longer than " + LEASE_WAIT
                                    + "; the step runs again later",
                            e);
                }
            }
            sleep(Duration.ofMillis(250));
        }
    }

    /** A service SAS bound to stored access policy {@code policyId}: what it may do and until when are the policy's. */
    String sas(BlobContainerClient container, String policyId) {
        return container.generateSas(new BlobServiceSasSignatureValues(policyId).setProtocol(SasProtocol.HTTPS_ONLY));
    }

    /**
     * Whether the container's data plane takes {@code sas} (it lists the container with it), or refuses it (403), as
     * Azure does for up to 30 seconds after a policy is stored or removed.
     */
    boolean takes(URI endpoint, String container, String sas) {
        BlobContainerClient asBinding = new BlobContainerClientBuilder()
                .endpoint(endpoint + "/" + container)
                .sasToken(sas)
                .httpClient(http)
                .retryOptions(retries)
                .buildClient();
        try {
            call(
                    "listing container " + container + " with a binding's SAS",
                    () -> asBinding
                            .listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null)
                            .iterableByPage()
                            .iterator()
                            .next());
            return true;
        } catch (ProvisioningFailedException e) {
            if (e.getCause() instanceof BlobStorageException refused && refused.getStatusCode() == 403) {
                return false;
            }
            throw e;
        }
    }

    /** Whether the container holds a blob. */
    boolean holdsBlobs(BlobContainerClient container) {
        return call(
                "listing container " + container.getBlobContainerName(),
                () -> container
                                .listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null)
                                .iterableByPage()
                                .iterator()
                                .next()
                                .getValue()
                                .size()
                        > 0);
    }

    /**
     * Runs a data-plane call: what may pass (throttling, 5xx, no answer) is worth the step again; what Azure Storage
     * refused fails it with Azure's error code, the exception its cause.
     */
    public static <T> T call(String doing, Supplier<T> call) {
        try {
            return call.get();
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            String code = e instanceof BlobStorageException storage && storage.getErrorCode() != null
                    ? storage.getErrorCode().toString()
                    : "HTTP" + status;
            if (status == 429 || status >= 500) {
                throw new BackingServiceUnavailableException(
                        doing + ": Azure Storage answered " + status + " " + code, e);
            }
            throw new ProvisioningFailedException(doing + ": Azure Storage refused: " + code + " (" + status + ")", e);
        } catch (UncheckedIOException e) {
            throw new BackingServiceUnavailableException(
                    doing + ": Azure Storage did not answer: " + e.getMessage(), e);
        } catch (ProvisionerException e) {
            throw e; // told already what it is (a backup that is not whole, say)
        } catch (RuntimeException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    throw new BackingServiceUnavailableException(
                            doing + ": Azure Storage did not answer: " + cause.getMessage(), e);
                }
            }
            throw e;
        }
    }

    /** Whether {@code e} is Azure Storage's answer that the container does not exist. */
    static boolean containerMissing(RuntimeException e) {
        return e.getCause() instanceof BlobStorageException refused
                && refused.getErrorCode() == BlobErrorCode.CONTAINER_NOT_FOUND;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackingServiceUnavailableException("interrupted while waiting for a container's lease", e);
        }
    }
}
