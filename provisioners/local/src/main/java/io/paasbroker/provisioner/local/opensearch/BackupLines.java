package io.paasbroker.provisioner.local.opensearch;

import static io.paasbroker.provisioner.local.opensearch.OpenSearchAdmin.JSON;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.provisioner.ProvisioningFailedException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;

/**
 * The stream of an {@value OpenSearchBackups#FORMAT} backup: JSON lines in UTF-8, one object each.
 *
 * <pre>
 * {"format":"opensearch-indices/1"}
 * {"index":"orders","settings":{...},"mappings":{...},"aliases":{...},"closed":false}
 * {"id":"1","source":{...}}                  each document of the index above it, with "routing" when it has one
 * ...                                        the next index, its documents
 * {"end":true}
 * </pre>
 *
 * The end line tells a stream cut between two lines from a whole one. Index and alias names are those after the
 * instance's prefix; an index line is an {@link IndexDefinition}.
 */
final class BackupLines {

    private BackupLines() {}

    sealed interface Line permits IndexDefinition, Document, End {}

    /** A document of the index of the last {@link IndexDefinition}; {@code routing} null when it has none. */
    record Document(String id, String routing, ObjectNode source) implements Line {}

    record End() implements Line {}

    /** Writes lines as they come; a failure of the stream is an {@link UncheckedIOException}. */
    static final class Writer {

        private final OutputStream out;

        Writer(OutputStream out) {
            this.out = out;
            write(JSON.createObjectNode().put("format", OpenSearchBackups.FORMAT));
        }

        void index(IndexDefinition index) {
            ObjectNode line = JSON.createObjectNode().put("index", index.name());
            line.set("settings", index.settings());
            line.set("mappings", index.mappings());
            line.set("aliases", index.aliases());
            write(line.put("closed", index.closed()));
        }

        /** A search hit; an index that keeps no {@code _source} cannot give its documents back, and fails. */
        void document(JsonNode hit) {
            if (!hit.path("_source").isObject()) {
                throw new ProvisioningFailedException("backing up the instance's indices failed: index '"
                        + hit.path("_index").asText() + "' keeps no _source of its documents, so they cannot be"
                        + " copied");
            }
            ObjectNode line = JSON.createObjectNode().put("id", hit.path("_id").asText());
            if (hit.hasNonNull("_routing")) {
                line.put("routing", hit.path("_routing").asText());
            }
            write(line.set("source", hit.path("_source")));
        }

        void end() {
            write(JSON.createObjectNode().put("end", true));
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void write(JsonNode line) {
            try {
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Reads the lines one at a time, refusing a stream of another format or that breaks off: an {@link EOFException},
     * a {@link StreamCorruptedException}, or Jackson's exception for what is not JSON.
     */
    static final class Reader implements AutoCloseable {

        private final JsonParser parser;
        private boolean afterIndex;

        Reader(InputStream in) throws IOException {
            parser = JSON.createParser(in).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (!OpenSearchBackups.FORMAT.equals(nextObject().path("format").asText(null))) {
                throw new StreamCorruptedException("it does not start as an " + OpenSearchBackups.FORMAT + " backup");
            }
        }

        Line next() throws IOException {
            JsonNode line = nextObject();
            if (line.has("index")) {
                afterIndex = true;
                return new IndexDefinition(
                        text(line, "index"),
                        object(line, "settings"),
                        object(line, "mappings"),
                        object(line, "aliases"),
                        line.path("closed").asBoolean());
            }
            if (line.has("id")) {
                if (!afterIndex) {
                    throw new StreamCorruptedException("a document comes before any index");
                }
                return new Document(text(line, "id"), line.path("routing").asText(null), object(line, "source"));
            }
            if (line.path("end").asBoolean()) {
                return new End();
            }
            throw new StreamCorruptedException("a line is neither an index, a document nor the end");
        }

        private JsonNode nextObject() throws IOException {
            if (parser.nextToken() == null) {
                throw new EOFException("it ends before its end line");
            }
            JsonNode line = JSON.readTree(parser);
            if (!line.isObject()) {
                throw new StreamCorruptedException("a line is no JSON object");
            }
            return line;
        }

        private static String text(JsonNode line, String field) throws StreamCorruptedException {
            if (!line.path(field).isTextual() || line.path(field).asText().isEmpty()) {
                throw new StreamCorruptedException("a line's " + field + " is no name");
            }
            return line.path(field).asText();
        }

        private static ObjectNode object(JsonNode line, String field) throws StreamCorruptedException {
            if (!line.path(field).isObject()) {
                throw new StreamCorruptedException("a line's " + field + " is no JSON object");
            }
            return (ObjectNode) line.path(field);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
