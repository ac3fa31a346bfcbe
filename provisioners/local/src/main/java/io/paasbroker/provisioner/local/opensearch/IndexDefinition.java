package io.paasbroker.provisioner.local.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup keeps of an index to create it again under another instance's prefix, one of the lines of
 * {@link BackupLines}.
 *
 * @param name the index's name after the instance's prefix
 * @param settings the index's own settings, flat ({@code index.analysis.analyzer.folded.type}), without those OpenSearch
 *     sets for this one index alone
 * @param mappings as OpenSearch answers them
 * @param aliases the index's aliases under the instance's prefix, by their names after it
 * @param closed whether the index is closed
 */
record IndexDefinition(String name, ObjectNode settings, ObjectNode mappings, ObjectNode aliases, boolean closed)
        implements BackupLines.Line {

    /** The index's identity, history and state, which creating an index refuses or sets anew. */
    private static final List<String> PRIVATE_SETTINGS = List.of(
            "index.uuid",
            "index.creation_date",
            "index.provided_name",
            "index.version.",
            "index.verified_before_close",
            "index.resize.",
            "index.routing.allocation.initial_recovery.");

    /** Blocks ({@code index.blocks.write}) would refuse the documents: they are set once those are in. */
    private static final String BLOCKS = "index.blocks.";

    /**
     * From the entry of {@code GET /<index>?flat_settings=true} for index {@code index}, whose name starts with
     * {@code prefix}. An alias that does not start with it is not the instance's, and is left out.
     */
    static IndexDefinition of(String prefix, String index, JsonNode answer, boolean closed) {
        ObjectNode settings = OpenSearchAdmin.JSON.createObjectNode();
        answer.path("settings").fields().forEachRemaining(setting -> {
            if (PRIVATE_SETTINGS.stream().noneMatch(setting.getKey()::startsWith)) {
                settings.set(setting.getKey(), setting.getValue());
            }
        });
        ObjectNode aliases = OpenSearchAdmin.JSON.createObjectNode();
        answer.path("aliases").fields().forEachRemaining(alias -> {
            if (alias.getKey().startsWith(prefix)) {
                aliases.set(alias.getKey().substring(prefix.length()), alias.getValue());
            }
        });
        JsonNode mappings = answer.path("mappings");
        return new IndexDefinition(
                index.substring(prefix.length()),
                settings,
                mappings.isObject() ? (ObjectNode) mappings : OpenSearchAdmin.JSON.createObjectNode(),
                aliases,
                closed);
    }

    /** The body of {@code PUT /<prefix><name>}: the settings but the blocks, the mappings, the aliases. */
    ObjectNode creation(String prefix) {
        ObjectNode aliasesUnderPrefix = OpenSearchAdmin.JSON.createObjectNode();
        aliases.fields().forEachRemaining(alias -> aliasesUnderPrefix.set(prefix + alias.getKey(), alias.getValue()));
        ObjectNode body = OpenSearchAdmin.JSON.createObjectNode();
        body.set("settings", settings.deepCopy().remove(blockNames()));
        body.set("mappings", mappings);
        body.set("aliases", aliasesUnderPrefix);
        return body;
    }

    /** The blocks to set once the documents are in; empty when there are none. */
    ObjectNode blocks() {
        return settings.deepCopy().retain(blockNames());
    }

    /** How many documents a page of a search may hold: an index may allow fewer than {@code preferred}. */
    int pageSize(int preferred) {
        return Math.min(preferred, settings.path("index.max_result_window").asInt(preferred));
    }

    private List<String> blockNames() {
        List<String> names = new ArrayList<>();
        settings.fieldNames().forEachRemaining(names::add);
        names.removeIf(name -> !name.startsWith(BLOCKS));
        return names;
    }
}
