package org.blohub.normalize.xml;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of the alert tree as the shipped JSON Schema states it: which fields are lists, which
 * are objects, which leaves are numbers or integers. Derived from {@code schema/alert-1.0.schema.json}
 * so that a format without its own typing (XML, where everything is text) follows the one contract
 * instead of a second hand-kept list of field types.
 */
public final class FieldShape {

    public enum Kind { OBJECT, ARRAY, NUMBER, INTEGER, STRING }

    static final String SCHEMA = "/schema/alert-1.0.schema.json";

    private static final int MAX_REF_DEPTH = 16;

    private final Kind kind;
    private final Map<String, FieldShape> properties;
    private final FieldShape items;

    private FieldShape(Kind kind, Map<String, FieldShape> properties, FieldShape items) {
        this.kind = kind;
        this.properties = properties;
        this.items = items;
    }

    /** The shape of the whole alert, read from the schema on the classpath once. */
    public static FieldShape alert() {
        return Holder.ALERT;
    }

    private static final class Holder {
        static final FieldShape ALERT = load();
    }

    static FieldShape load() {
        try (InputStream in = FieldShape.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("schema " + SCHEMA + " is not on the classpath");
            }
            JsonNode schema = AlertJson.mapper().readTree(in);
            return of(schema, schema, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SCHEMA, e);
        }
    }

    /** The shape a schema node states, following {@code $ref} within the same document. */
    static FieldShape of(JsonNode node, JsonNode root, int depth) {
        if (depth > MAX_REF_DEPTH) {
            throw new IllegalStateException("schema nests or refers deeper than " + MAX_REF_DEPTH);
        }
        JsonNode ref = node.get("$ref");
        if (ref != null) {
            String r = ref.asText();
            if (!r.startsWith("#")) {
                throw new IllegalStateException("only local $ref is supported: " + r);
            }
            JsonNode target = root.at(r.substring(1));
            if (target.isMissingNode()) {
                throw new IllegalStateException("unresolved $ref " + r);
            }
            return of(target, root, depth + 1);
        }
        String type = node.path("type").asText("");
        if (type.equals("array")) {
            return new FieldShape(Kind.ARRAY, Map.of(), of(node.path("items"), root, depth + 1));
        }
        if (type.equals("object") || node.has("properties")) {
            Map<String, FieldShape> props = new LinkedHashMap<>();
            node.path("properties").fields().forEachRemaining(e -> props.put(e.getKey(), of(e.getValue(), root, depth + 1)));
            return new FieldShape(Kind.OBJECT, Collections.unmodifiableMap(props), null);
        }
        return switch (type) {
            case "number" -> new FieldShape(Kind.NUMBER, Map.of(), null);
            case "integer" -> new FieldShape(Kind.INTEGER, Map.of(), null);
            // strings, enums and consts: text as written
            default -> new FieldShape(Kind.STRING, Map.of(), null);
        };
    }

    public Kind kind() {
        return kind;
    }

    /** For an object: the shape of a named property, empty when the schema does not know it. */
    public Optional<FieldShape> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** For an object: its properties in schema order. */
    public Map<String, FieldShape> properties() {
        return properties;
    }

    /** For an array: the shape of one item. */
    public FieldShape items() {
        if (kind != Kind.ARRAY) {
            throw new IllegalStateException("not an array shape");
        }
        return items;
    }
}
