package io.paasbroker.provisioner.local.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.paasbroker.provisioner.InstanceBackups;
import io.paasbroker.provisioner.InstanceRequest;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The indices under an instance's prefix, hidden and closed ones included, with their settings, mappings, aliases and
 * documents, and the same indices created again under another instance's prefix, all through the provisioner's admin
 * connection. The stream is described by {@link BackupLines}.
 *
 * <p>Documents are read through a scroll, a page at a time, each page written before the next is asked for; a restore
 * indexes them in bounded bulk requests ({@link IndexLoader}). A closed index is opened for as long as its documents
 * are read, as a closed index cannot be searched, and closed again.
 */
final class OpenSearchBackups implements InstanceBackups {

    static final String FORMAT = "opensearch-indices/1";

    private static final int PAGE_SIZE = 500;

    private final Function<InstanceRequest, OpenSearchAdmin> admins;

    /** @param admins the admin of the server an instance is on */
    OpenSearchBackups(Function<InstanceRequest, OpenSearchAdmin> admins) {
        this.admins = admins;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public void backup(InstanceRequest instance, OutputStream out) {
        OpenSearchAdmin admin = admins.apply(instance);
        String prefix = OpenSearchNames.indexPrefix(instance.instanceId());
        try {
            BackupLines.Writer lines = new BackupLines.Writer(out);
            Map<String, JsonNode> definitions = admin.indexDefinitionsWithPrefix(prefix);
            Set<String> closed = admin.closedIndicesWithPrefix(prefix);
            for (String index : definitions.keySet()) {
                IndexDefinition definition =
                        IndexDefinition.of(prefix, index, definitions.get(index), closed.contains(index));
                lines.index(definition);
                readDocuments(admin, index, definition, lines);
            }
            lines.end();
        } catch (UncheckedIOException e) {
            throw new ProvisioningFailedException(
                    "backing up the instance's indices failed: writing the backup: "
                            + e.getCause().getMessage(),
                    e);
        }
    }

    private static void readDocuments(
            OpenSearchAdmin admin, String index, IndexDefinition definition, BackupLines.Writer lines) {
        if (definition.closed()) {
            admin.openIndex(index);
        }
        try {
            admin.eachDocument(index, definition.pageSize(PAGE_SIZE), lines::document);
        } finally {
            if (definition.closed()) {
                admin.closeIndex(index);
            }
        }
    }

    /** Each index of the backup replaces the index of its name, so a restore run again ends as the first would. */
    @Override
    public void restore(InstanceRequest instance, InputStream in) {
        OpenSearchAdmin admin = admins.apply(instance);
        String prefix = OpenSearchNames.indexPrefix(instance.instanceId());
        try (BackupLines.Reader lines = new BackupLines.Reader(in)) {
            IndexLoader loading = null;
            for (BackupLines.Line line = lines.next(); !(line instanceof BackupLines.End); line = lines.next()) {
                if (line instanceof IndexDefinition definition) {
                    if (loading != null) {
                        loading.finish();
                    }
                    loading = IndexLoader.start(admin, prefix, definition);
                } else {
                    loading.add((BackupLines.Document) line);
                }
            }
            if (loading != null) {
                loading.finish();
            }
        } catch (EOFException | StreamCorruptedException e) {
            throw corrupt(e.getMessage());
        } catch (JsonProcessingException e) {
            // not its message, which quotes the stream
            throw corrupt(
                    e.getLocation() == null
                            ? "it is not JSON"
                            : "line " + e.getLocation().getLineNr() + " is not JSON or breaks off");
        } catch (IOException e) {
            throw new ProvisioningFailedException(
                    "restoring the instance's indices failed: reading the backup: " + e.getMessage(), e);
        }
    }

    private static ProvisioningFailedException corrupt(String why) {
        return new ProvisioningFailedException(
                "restoring the instance's indices failed: the backup is not whole or not of this format: " + why);
    }
}
