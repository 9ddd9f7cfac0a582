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

    /** What a value that does not match its field's pattern should look like, in words: a user never sees a regex. */
    static String patternMessage(String field, JsonNode value) {
        String name = field.replaceAll("\\[\\d+]", "");
        name = name.substring(name.lastIndexOf('.') + 1);
        String shown = "'" + CleanText.escape(value.asText()) + "'";
        String should = switch (name) {
            case "alertId" -> "is not an alert id: one word without white space, ',', '<' or '&'";
            case "sourceRef" -> "is not a reference: it must not begin or end with white space";
            case "unLocode" -> "is not a UN/LOCODE: the country's two letters and the place's three (e.g. 'VN LCI')";
            case "polygon" -> "is not a polygon: at least four 'lat,lon' points separated by spaces, the first "
                    + "repeated as the last (e.g. '22.5,103.9 22.6,103.9 22.6,104.0 22.5,103.9')";
            case "circle" -> "is not a circle: 'lat,lon radius', the radius in km (e.g. '22.5,103.9 10')";
            case "office", "addressees" -> "is not an office or agency id (e.g. 'VN-LAOCAI')";
            case "country", "nationality", "countriesConcerned" ->
                    "is not a two-letter country code (ISO 3166-1 alpha-2, e.g. 'VN')";
            case "language" -> "is not a language tag (e.g. 'th', 'vi', 'en-US')";
            case "sentAt", "receivedAt" -> "is not an ISO-8601 date-time with an offset (e.g. 2026-11-23T10:15:00+07:00)";
            case "mimeType" -> "is not a MIME type (e.g. 'image/jpeg')";
            case "sha256", "rawSha256" -> "is not a SHA-256: 64 lowercase hexadecimal digits";
            default -> "is not in the form this field takes";
        };
        return shown + " " + should;
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
            } else if ("pattern".equals(m.getType())) {
                message = patternMessage(field.toString(), alert.at(pointer.toString()));
            }
            result.add(new Violation(field.toString(), pointer.toString(), message));
        }
        return result;
    }
}
