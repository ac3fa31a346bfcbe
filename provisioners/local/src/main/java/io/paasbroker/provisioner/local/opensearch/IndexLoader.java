package io.paasbroker.provisioner.local.opensearch;

import static io.paasbroker.provisioner.local.opensearch.OpenSearchAdmin.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Loads one index of a backup into an instance: creates it afresh (deleting what an earlier restore left), indexes its
 * documents in bulk requests of bounded size, and once they are in, refreshes it and sets what would have refused
 * them: its blocks, its being closed.
 */
final class IndexLoader {

    private static final int BULK_DOCUMENTS = 1000;
    private static final int BULK_BYTES = 4 * 1024 * 1024;

    private final OpenSearchAdmin admin;
    private final String index;
    private final IndexDefinition definition;
    private final ByteArrayOutputStream batch = new ByteArrayOutputStream();
    private int batchDocuments;

    private IndexLoader(OpenSearchAdmin admin, String index, IndexDefinition definition) {
        this.admin = admin;
        this.index = index;
        this.definition = definition;
    }

    static IndexLoader start(OpenSearchAdmin admin, String prefix, IndexDefinition definition) {
        String index = prefix + definition.name();
        admin.deleteIndices(List.of(index));
        admin.createIndex(index, definition.creation(prefix));
        return new IndexLoader(admin, index, definition);
    }

    void add(BackupLines.Document document) {
        ObjectNode action = JSON.createObjectNode();
        ObjectNode target = action.putObject("index").put("_id", document.id());
        if (document.routing() != null) {
            target.put("routing", document.routing());
        }
        line(action);
        line(document.source());
        if (++batchDocuments == BULK_DOCUMENTS || batch.size() >= BULK_BYTES) {
            flush();
        }
    }

    void finish() {
        flush();
        admin.refresh(index);
        ObjectNode blocks = definition.blocks();
        if (!blocks.isEmpty()) {
            admin.putSettings(index, blocks);
        }
        if (definition.closed()) {
            admin.closeIndex(index);
        }
    }

    private void line(ObjectNode json) {
        batch.writeBytes(writeValueAsBytes(json));
        batch.write('\n');
    }

    private void flush() {
        if (batchDocuments > 0) {
            admin.bulk(index, batch.toByteArray());
        }
        batch.reset();
        batchDocuments = 0;
    }

    private static byte[] writeValueAsBytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes is always JSON", e);
        }
    }
}
