package io.paasbroker.provisioner.azure.blob;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlobType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import io.paasbroker.provisioner.local.s3.ObjectStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Streamed backups of an instance's container through Blob Storage's own API, as its storage account: every block and
 * append blob's bytes, content headers and metadata out, as an {@link ObjectStream} of format {@value #FORMAT}, and
 * into the new instance's container. The broker encrypts and keeps the stream as it does every streamed backup. Page
 * blobs (disks) are not backed up: a container holding one fails its backup, saying so.
 */
final class ContainerBackups implements InstanceBackups {

    static final String FORMAT = "azure-blobs/1";

    private static final String METADATA = "x-ms-meta-";
    private static final String BLOB_TYPE = "x-ms-blob-type";
    /** The blocks a restore uploads a block blob in, one at a time: what it holds in memory. */
    private static final long BLOCK_BYTES = 4L * 1024 * 1024;

    private final BlobContainerProvisioner provisioner;

    ContainerBackups(BlobContainerProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /**
     * Each blob is read at the version that was listed (its ETag): one changed while it is read fails the backup, one
     * deleted since it was listed is left out, as it would be a moment later.
     */
    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        BlobContainerClient container = provisioner.asAccount(instance);
        String name = container.getBlobContainerName();
        DataOutputStream data = new DataOutputStream(out);
        ContainerAccess.call("backing up container " + name, () -> {
            ObjectStream.run("backing up", () -> {
                ObjectStream.start(data, FORMAT);
                ListBlobsOptions everything =
                        new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveMetadata(true));
                for (BlobItem item : container.listBlobs(everything, null)) {
                    write(data, container, item);
                }
                ObjectStream.end(data);
            });
            return null;
        });
    }

    private static void write(DataOutputStream data, BlobContainerClient container, BlobItem item) throws IOException {
        BlobItemProperties properties = item.getProperties();
        if (properties.getBlobType() == BlobType.PAGE_BLOB) {
            throw new ProvisioningFailedException("container " + container.getBlobContainerName() + " holds page blob '"
                    + item.getName() + "', which the broker does not back up: move it out, or copy the container"
                    + " with Azure's own tools (AzCopy)");
        }
        BlobClient blob = container.getBlobClient(item.getName());
        try (InputStream bytes = blob.openInputStream(new BlobInputStreamOptions()
                .setRequestConditions(new BlobRequestConditions().setIfMatch(properties.getETag())))) {
            ObjectStream.write(
                    data, new ObjectStream.Entry(item.getName(), headers(item), properties.getContentLength()), bytes);
        } catch (BlobStorageException e) {
            if (e.getErrorCode() != BlobErrorCode.BLOB_NOT_FOUND) {
                throw e;
            }
        }
    }

    private static Map<String, String> headers(BlobItem item) {
        BlobItemProperties properties = item.getProperties();
        Map<String, String> headers = new LinkedHashMap<>();
        BiConsumer<String, String> put = (name, value) -> {
            if (value != null && !value.isEmpty()) {
                headers.put(name, value);
            }
        };
        put.accept(BLOB_TYPE, properties.getBlobType().toString());
        put.accept("Content-Type", properties.getContentType());
        put.accept("Content-Encoding", properties.getContentEncoding());
        put.accept("Content-Disposition", properties.getContentDisposition());
        put.accept("Content-Language", properties.getContentLanguage());
        put.accept("Cache-Control", properties.getCacheControl());
        if (properties.getContentMd5() != null) {
            put.accept("Content-MD5", Base64.getEncoder().encodeToString(properties.getContentMd5()));
        }
        if (item.getMetadata() != null) {
            item.getMetadata().forEach((name, value) -> headers.put(METADATA + name, value));
        }
        return headers;
    }

    /**
     * Into the new instance's empty container; a restore that fails part-way deletes what it wrote, so the instance can
     * be deleted whatever its plan says of containers that hold blobs.
     */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        BlobContainerClient container = provisioner.asAccount(instance);
        try {
            ContainerAccess.call("restoring into container " + container.getBlobContainerName(), () -> {
                ObjectStream.run(
                        "restoring",
                        () -> ObjectStream.read(
                                new DataInputStream(in), FORMAT, (entry, body) -> put(container, entry, body)));
                return null;
            });
        } catch (RuntimeException e) {
            try {
                ContainerAccess.call(
                        "removing what the failed restore wrote into " + container.getBlobContainerName(), () -> {
                            container
                                    .listBlobs()
                                    .forEach(blob -> container
                                            .getBlobClient(blob.getName())
                                            .deleteIfExists());
                            return null;
                        });
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static void put(BlobContainerClient container, ObjectStream.Entry entry, InputStream body)
            throws IOException {
        BlobHttpHeaders headers = new BlobHttpHeaders();
        Map<String, String> metadata = new LinkedHashMap<>();
        String type = BlobType.BLOCK_BLOB.toString();
        for (Map.Entry<String, String> header : entry.headers().entrySet()) {
            String value = header.getValue();
            switch (header.getKey()) {
                case BLOB_TYPE -> type = value;
                case "Content-Type" -> headers.setContentType(value);
                case "Content-Encoding" -> headers.setContentEncoding(value);
                case "Content-Disposition" -> headers.setContentDisposition(value);
                case "Content-Language" -> headers.setContentLanguage(value);
                case "Cache-Control" -> headers.setCacheControl(value);
                case "Content-MD5" -> headers.setContentMd5(Base64.getDecoder().decode(value));
                default -> {
                    if (!header.getKey().startsWith(METADATA)) {
                        // a header this format does not know is a backup of another kind: refused rather than dropped
                        throw new IOException("unknown header '" + header.getKey() + "'");
                    }
                    metadata.put(header.getKey().substring(METADATA.length()), value);
                }
            }
        }
        BlobClient blob = container.getBlobClient(entry.key());
        if (type.equals(BlobType.APPEND_BLOB.toString())) {
            append(blob.getAppendBlobClient(), headers, metadata, entry.length(), body);
        } else if (type.equals(BlobType.BLOCK_BLOB.toString())) {
            blob.uploadWithResponse(
                    new BlobParallelUploadOptions(body, entry.length())
                            .setHeaders(headers)
                            .setMetadata(metadata)
                            .setParallelTransferOptions(new ParallelTransferOptions()
                                    .setBlockSizeLong(BLOCK_BYTES)
                                    .setMaxSingleUploadSizeLong(BLOCK_BYTES)
                                    .setMaxConcurrency(1)),
                    null,
                    Context.NONE);
        } else {
            throw new IOException(
                    "blob '" + entry.key() + "' is of type " + type + ", which this format does not hold");
        }
    }

    /** An append blob made anew, its bytes appended a block at a time, as its writers left it. */
    private static void append(
            AppendBlobClient blob, BlobHttpHeaders headers, Map<String, String> metadata, long length, InputStream body)
            throws IOException {
        blob.createWithResponse(
                new AppendBlobCreateOptions().setHeaders(headers).setMetadata(metadata), null, Context.NONE);
        byte[] block = new byte[(int) BLOCK_BYTES];
        for (long left = length; left > 0; ) {
            int read = body.readNBytes(block, 0, (int) Math.min(block.length, left));
            blob.appendBlock(new ByteArrayInputStream(block, 0, read), read);
            left -= read;
        }
    }
}
