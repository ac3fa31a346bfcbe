package io.paasbroker.aws.testbed.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The body of a REST-XML request (S3): the XML document of the input's {@code payload} member, whose root element is
 * the member's, and whose elements are the payload shape's members, nested as the model has them (flattened and
 * wrapped lists), with their required members, each value checked as {@link ScalarChecks} does.
 */
final class XmlBody implements RestBody {

    private final ServiceModel model;
    private final FullModel full;

    XmlBody(ServiceModel model, FullModel full) {
        this.model = model;
        this.full = full;
    }

    @Override
    public void check(String operation, JsonNode input, JsonNode constraints, byte[] body, List<String> violations) {
        String payload = input.path("payload").asText(null);
        if (payload == null) {
            return;
        }
        JsonNode member = model.resolve(input.path("members").path(payload));
        if (!member.path("type").asText().equals("structure")) {
            return; // a blob or string payload (an object's data) is whatever the caller sends
        }
        String path = operation + "." + payload;
        if (body == null || body.length == 0) {
            if (ServiceModel.requires(input, payload)) {
                violations.add(path + " is required (the request has no body)");
            }
            return;
        }
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(true);
            root = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body))
                    .getDocumentElement();
        } catch (Exception e) {
            violations.add(path + ": the body is not XML");
            return;
        }
        String wire = member.path("locationName").asText(payload);
        if (!root.getLocalName().equals(wire)) {
            violations.add(path + ": the body's root element is " + root.getLocalName() + ", not " + wire);
            return;
        }
        element(path, member, full.shape(constraints.path("members").path(payload)), root, violations);
    }

    private void element(String path, JsonNode shape, JsonNode constraints, Element element, List<String> violations) {
        switch (shape.path("type").asText()) {
            case "structure" -> structure(path, shape, constraints, element, violations);
            case "list" -> {
                JsonNode item = model.resolve(shape.path("member"));
                String itemName = item.path("locationName").asText("member");
                for (Element child : children(element)) {
                    if (!child.getLocalName().equals(itemName)) {
                        violations.add(path + ": " + child.getLocalName() + " where the list has " + itemName);
                    } else {
                        element(path + "." + itemName, item, full.shape(constraints.path("member")), child, violations);
                    }
                }
            }
            default ->
                ScalarChecks.check(
                        path, shape.path("type").asText(), constraints, element.getTextContent(), violations);
        }
    }

    private void structure(
            String path, JsonNode shape, JsonNode constraints, Element element, List<String> violations) {
        Map<String, String> memberByElement = new LinkedHashMap<>();
        JsonNode members = shape.path("members");
        members.fields().forEachRemaining(member -> {
            JsonNode resolved = model.resolve(member.getValue());
            // a flattened list's items stand in the structure, each under the member's name
            String name = resolved.path("locationName").asText(member.getKey());
            memberByElement.put(name, member.getKey());
        });
        List<String> seen = new ArrayList<>();
        for (Element child : children(element)) {
            String member = memberByElement.get(child.getLocalName());
            if (member == null) {
                violations.add(path + ": " + child.getLocalName() + " is no member (members: "
                        + new TreeSet<>(memberByElement.keySet()) + ")");
                continue;
            }
            seen.add(member);
            JsonNode memberShape = model.resolve(members.get(member));
            JsonNode memberConstraints = full.shape(constraints.path("members").path(member));
            if (memberShape.path("flattened").asBoolean(false)
                    && memberShape.path("type").asText().equals("list")) {
                element(
                        path + "." + child.getLocalName(),
                        model.resolve(memberShape.path("member")),
                        full.shape(memberConstraints.path("member")),
                        child,
                        violations);
            } else {
                element(path + "." + child.getLocalName(), memberShape, memberConstraints, child, violations);
            }
        }
        for (JsonNode required : shape.path("required")) {
            if (!seen.contains(required.asText())) {
                violations.add(path + "." + required.asText() + " is required");
            }
        }
    }

    private static List<Element> children(Element element) {
        List<Element> children = new ArrayList<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                children.add(e);
            }
        }
        return children;
    }
}
