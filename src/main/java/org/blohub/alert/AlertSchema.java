package org.blohub.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The shipped JSON Schema of the common alert ({@code schema/alert-1.0.schema.json}), enforced on every alert. */
public final class AlertSchema {

    public static final String RESOURCE = "schema/alert-1.0.schema.json";

    /** A schema violation: canonical field path ({@code areas[0].country}), JSON pointer, message. */
    public record Violation(String field, String pointer, String message) {
    }

    private static final AlertSchema INSTANCE = new AlertSchema();

    private final JsonNode schemaTree;
    private final JsonSchema schema;

    private AlertSchema() {
        try (InputStream in = AlertSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            schemaTree = AlertJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .locale(Locale.ENGLISH)
                .formatAssertionsEnabled(true)
                .build();
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree, config);
    }

    public static AlertSchema get() {
        return INSTANCE;
    }

    /** The schema document itself, for readers that take field shapes from it. */
    public JsonNode tree() {
        return schemaTree;
    }

    public List<Violation> validate(JsonNode alert) {
        List<Violation> result = new ArrayList<>();
        for (ValidationMessage m : schema.validate(alert)) {
            JsonNodePath at = m.getInstanceLocation();
            StringBuilder field = new StringBuilder();
            StringBuilder pointer = new StringBuilder();
            for (int i = 0; i < at.getNameCount(); i++) {
                Object e = at.getElement(i);
                if (e instanceof Integer index) {
                    field.append('[').append(index).append(']');
                } else {
                    field.append(field.isEmpty() ? "" : ".").append(e);
                }
                pointer.append('/').append(e);
            }
            String message = m.getError();
            if ("required".equals(m.getType()) && m.getProperty() != null) {
                field.append(field.isEmpty() ? "" : ".").append(m.getProperty());
                pointer.append('/').append(m.getProperty());
                message = "is required";
            } else if ("additionalProperties".equals(m.getType()) && m.getProperty() != null) {
                field.append(field.isEmpty() ? "" : ".").append(m.getProperty());
                pointer.append('/').append(m.getProperty());
                message = "unknown field (not in schema " + Alert.SCHEMA_VERSION + ")";
            }
            result.add(new Violation(field.toString(), pointer.toString(), message));
        }
        return result;
    }
}
