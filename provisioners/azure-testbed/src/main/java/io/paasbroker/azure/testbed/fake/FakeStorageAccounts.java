package io.paasbroker.azure.testbed.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.paasbroker.testbed.Violations;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of Azure Storage accounts ({@code Microsoft.Storage/storageAccounts}) with Azurite behind the one account the
 * operator made: Azure Resource Manager reports it (secure transfer required, no public blob access, TLS 1.2 at least,
 * encryption at rest, its Blob endpoint Azurite's), lists its two keys, and makes, reads, changes and deletes its blob
 * containers ({@code blobServices/default/containers}) by doing so on Azurite, as the storage provider does on the
 * account's data plane. Azure's rules Azurite does not keep are kept here: no public access on an account that allows
 * none, metadata names that are identifiers, and (by {@link #audit}) at most five stored access policies a container.
 */
public final class FakeStorageAccounts implements ResourceType {

    public static final String TYPE = "Microsoft.Storage/storageAccounts";
    private static final String CONTAINER_TYPE = TYPE + "/blobServices/containers";
    /** Azure's most stored access policies of one container. */
    public static final int POLICIES_PER_CONTAINER = 5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METADATA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    private static final Pattern METADATA_VALUE = Pattern.compile("[\\x20-\\x7E]*");
    private static final Pattern CONTAINER_NAME = Pattern.compile("<Container>\\s*<Name>([^<]+)</Name>");
    private static final Pattern POLICY_ID = Pattern.compile("<SignedIdentifier>\\s*<Id>([^<]*)</Id>");
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");
    private static final String META = "x-ms-meta-";

    private final Azurite azurite;
    private final String id;
    private final String location;
    private final Instant created = Instant.now();
    private final ObjectNode properties = JSON.createObjectNode();

    /** The account Azurite holds, made by the operator in {@code group}. */
    public FakeStorageAccounts(Azurite azurite, ArmRequest.ResourceGroup group) {
        this.azurite = azurite;
        this.id = group.id() + "/providers/" + TYPE + "/" + azurite.account();
        this.location = group.location();
        properties.put("provisioningState", "Succeeded");
        properties.put("supportsHttpsTrafficOnly", true);
        properties.put("allowBlobPublicAccess", false);
        properties.put("allowSharedKeyAccess", true);
        properties.put("minimumTlsVersion", "TLS1_2");
        properties.put("accessTier", "Hot");
        ObjectNode encryption = properties.putObject("encryption");
        encryption.put("keySource", "Microsoft.Storage");
        encryption.put("requireInfrastructureEncryption", false);
        ObjectNode services = encryption.putObject("services");
        for (String service : List.of("blob", "file")) {
            services.putObject(service).put("enabled", true).put("keyType", "Account");
        }
        properties.putObject("primaryEndpoints").put("blob", azurite.blobEndpoint() + "/");
        properties.put("primaryLocation", location);
        properties.put("statusOfPrimary", "available");
        properties.put("creationTime", created.toString());
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The account's name. */
    public String account() {
        return azurite.account();
    }

    /** Changes what Azure reports of the account: {@code allowBlobPublicAccess}, {@code minimumTlsVersion}, ... */
    public void setProperty(String name, JsonNode value) {
        synchronized (properties) {
            properties.set(name, value);
        }
    }

    @Override
    public ArmAnswer handle(ArmRequest request) {
        if (!request.resourceId().equalsIgnoreCase(id)) {
            throw new ArmError(
                    404,
                    "ResourceNotFound",
                    "The Resource '" + TYPE + "/" + request.name() + "' under resource group '"
                            + request.group().name() + "' was not found.");
        }
        List<String> children = request.children();
        if (request.toResource() && request.method().equals("GET")) {
            return ArmAnswer.ok(accountBody());
        }
        if (children.equals(List.of("listKeys")) && request.method().equals("POST")) {
            return ArmAnswer.ok(keys());
        }
        if (children.equals(List.of("blobServices", "default", "containers"))
                && request.method().equals("GET")) {
            ObjectNode list = JSON.createObjectNode();
            ArrayNode value = list.putArray("value");
            containers().forEach(container -> container(container).ifPresent(value::add));
            return ArmAnswer.ok(list);
        }
        if (children.size() == 4
                && children.get(0).equals("blobServices")
                && children.get(1).equals("default")
                && children.get(2).equals("containers")) {
            String container = children.get(3);
            return switch (request.method()) {
                case "GET" ->
                    ArmAnswer.ok(container(container)
                            .orElseThrow(() ->
                                    new ArmError(404, "ContainerNotFound", "The specified container does not exist.")));
                case "PUT" -> create(container, request.body());
                case "PATCH" -> change(container, request.body());
                case "DELETE" -> delete(container);
                default -> throw unsupported(request);
            };
        }
        throw unsupported(request);
    }

    private ObjectNode accountBody() {
        ObjectNode body = JSON.createObjectNode()
                .put("id", id)
                .put("name", azurite.account())
                .put("type", TYPE)
                .put("location", location)
                .put("kind", "StorageV2");
        body.putObject("sku").put("name", "Standard_LRS").put("tier", "Standard");
        body.putObject("tags");
        synchronized (properties) {
            body.set("properties", properties.deepCopy());
        }
        return body;
    }

    private ObjectNode keys() {
        ObjectNode body = JSON.createObjectNode();
        var keys = body.putArray("keys");
        for (int index = 0; index < azurite.keys().size(); index++) {
            keys.addObject()
                    .put("keyName", "key" + (index + 1))
                    .put("value", azurite.keys().get(index))
                    .put("permissions", "FULL")
                    .put("creationTime", created.toString());
        }
        return body;
    }

    private ArmAnswer create(String container, JsonNode body) {
        JsonNode properties = body.path("properties");
        checkPublicAccess(properties);
        Map<String, String> headers = metadataHeaders(properties.path("metadata"));
        HttpResponse<String> created = azurite.send("PUT", "/" + container, Map.of("restype", "container"), headers);
        if (created.statusCode() == 409) {
            throw new ArmError(409, "ContainerAlreadyExists", "The specified container already exists.");
        }
        expect(created, 201);
        return new ArmAnswer(201, container(container).orElseThrow(), Optional.empty());
    }

    private ArmAnswer change(String container, JsonNode body) {
        JsonNode properties = body.path("properties");
        checkPublicAccess(properties);
        if (container(container).isEmpty()) {
            throw new ArmError(404, "ContainerNotFound", "The specified container does not exist.");
        }
        if (properties.has("metadata")) {
            HttpResponse<String> changed = azurite.send(
                    "PUT",
                    "/" + container,
                    Map.of("restype", "container", "comp", "metadata"),
                    metadataHeaders(properties.path("metadata")));
            expect(changed, 200);
        }
        return ArmAnswer.ok(container(container).orElseThrow());
    }

    private ArmAnswer delete(String container) {
        HttpResponse<String> deleted =
                azurite.send("DELETE", "/" + container, Map.of("restype", "container"), Map.of());
        if (deleted.statusCode() == 404) {
            return new ArmAnswer(204, null, Optional.empty());
        }
        expect(deleted, 202);
        return new ArmAnswer(200, null, Optional.empty());
    }

    /** The container as Azure Resource Manager shows it, read from Azurite; empty when there is none. */
    public Optional<ObjectNode> container(String container) {
        HttpResponse<String> found = azurite.send("GET", "/" + container, Map.of("restype", "container"), Map.of());
        if (found.statusCode() == 404) {
            return Optional.empty();
        }
        expect(found, 200);
        ObjectNode body = JSON.createObjectNode()
                .put("id", id + "/blobServices/default/containers/" + container)
                .put("name", container)
                .put("type", CONTAINER_TYPE);
        found.headers().firstValue("ETag").ifPresent(etag -> body.put("etag", etag));
        ObjectNode properties = body.putObject("properties");
        String publicAccess =
                found.headers().firstValue("x-ms-blob-public-access").orElse("None");
        properties.put("publicAccess", publicAccess.equals("container") ? "Container" : publicAccess);
        found.headers()
                .firstValue("Last-Modified")
                .ifPresent(modified -> properties.put(
                        "lastModifiedTime",
                        ZonedDateTime.parse(modified, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant()
                                .toString()));
        properties.put(
                "leaseStatus",
                capitalized(found.headers().firstValue("x-ms-lease-status").orElse("unlocked")));
        properties.put(
                "leaseState",
                capitalized(found.headers().firstValue("x-ms-lease-state").orElse("available")));
        properties.put("hasImmutabilityPolicy", false);
        properties.put("hasLegalHold", false);
        properties.put("deleted", false);
        ObjectNode metadata = properties.putObject("metadata");
        found.headers().map().forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith(META)) {
                metadata.put(name.substring(META.length()), values.get(0));
            }
        });
        return Optional.of(body);
    }

    private void checkPublicAccess(JsonNode properties) {
        String publicAccess = properties.path("publicAccess").asText("None");
        if (!publicAccess.equals("None")
                && !this.properties.path("allowBlobPublicAccess").asBoolean(false)) {
            throw new ArmError(
                    409, "PublicAccessNotPermitted", "Public access is not permitted on this storage account.");
        }
        if (!publicAccess.equals("None")) {
            throw ArmError.invalid("the test bed serves private containers only");
        }
    }

    private static Map<String, String> metadataHeaders(JsonNode metadata) {
        Map<String, String> headers = new LinkedHashMap<>();
        metadata.fields().forEachRemaining(entry -> {
            String value = entry.getValue().asText();
            if (!METADATA_NAME.matcher(entry.getKey()).matches()
                    || !METADATA_VALUE.matcher(value).matches()) {
                throw new ArmError(
                        400,
                        "InvalidMetadata",
                        "The metadata specified is invalid. It has characters that are not permitted: '"
                                + entry.getKey() + "'.");
            }
            headers.put(META + entry.getKey(), value);
        });
        return headers;
    }

    private static void expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            Matcher code = ERROR_CODE.matcher(answer.body());
            int armStatus = answer.statusCode() == 412 ? 409 : answer.statusCode();
            throw new ArmError(
                    armStatus,
                    code.find() ? code.group(1) : "StorageError",
                    "the storage account answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static ArmError unsupported(ArmRequest request) {
        return new ArmError(405, "MethodNotAllowed", request.method() + " of " + request.children() + " is not served");
    }

    /** The account's containers, read from Azurite. */
    public List<String> containers() {
        HttpResponse<String> listed = azurite.send("GET", "", Map.of("comp", "list"), Map.of());
        expect(listed, 200);
        List<String> names = new ArrayList<>();
        Matcher name = CONTAINER_NAME.matcher(listed.body());
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    /** The ids of the stored access policies of {@code container}, read from Azurite; none when there is none. */
    public List<String> policies(String container) {
        HttpResponse<String> acl =
                azurite.send("GET", "/" + container, Map.of("restype", "container", "comp", "acl"), Map.of());
        if (acl.statusCode() == 404) {
            return List.of();
        }
        expect(acl, 200);
        return POLICY_ID.matcher(acl.body()).results().map(id -> id.group(1)).toList();
    }

    /** What Azure would not have let happen and Azurite did: a container with more than five stored access policies. */
    public void audit(Violations violations) {
        for (String container : containers()) {
            int policies = policies(container).size();
            if (policies > POLICIES_PER_CONTAINER) {
                violations.add("container " + container + " of storage account " + azurite.account() + " has "
                        + policies + " stored access policies: Azure allows at most " + POLICIES_PER_CONTAINER);
            }
        }
    }
}
