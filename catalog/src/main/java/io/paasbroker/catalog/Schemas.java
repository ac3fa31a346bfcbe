package io.paasbroker.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A plan's JSON schemas for the parameters of provision, update and bind, in the OSB catalog's shape. */
public record Schemas(InstanceSchemas serviceInstance, BindingSchemas serviceBinding) {

    public record InstanceSchemas(MethodSchema create, MethodSchema update) {}

    public record BindingSchemas(MethodSchema create) {}

    public record MethodSchema(JsonNode parameters) {}

    public Optional<JsonNode> provision() {
        return Optional.ofNullable(serviceInstance).map(InstanceSchemas::create).map(MethodSchema::parameters);
    }

    public Optional<JsonNode> update() {
        return Optional.ofNullable(serviceInstance).map(InstanceSchemas::update).map(MethodSchema::parameters);
    }

    public Optional<JsonNode> bind() {
        return Optional.ofNullable(serviceBinding).map(BindingSchemas::create).map(MethodSchema::parameters);
    }
}
