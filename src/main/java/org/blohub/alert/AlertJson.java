package org.blohub.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The canonical JSON form of an alert (DESIGN §4): one mapper, configured once. */
public final class AlertJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // keep the offset the office gave (+06:30 stays +06:30)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // trees keep numbers as written (12.50 stays 12.50, never 1E+2), so every rendering agrees
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(100).build());
    }

    private AlertJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toTree(Alert alert) {
        return MAPPER.valueToTree(alert);
    }

    public static Alert fromTree(JsonNode tree) {
        try {
            return MAPPER.treeToValue(tree, Alert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid alert tree: " + e.getOriginalMessage(), e);
        }
    }

    public static Alert fromJson(String json) {
        try {
            return MAPPER.readValue(json, Alert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid alert: " + e.getOriginalMessage(), e);
        }
    }

    /** One line of JSON, UTF-8, as delivered and as {@code convert --to json} prints it. */
    public static String write(Alert alert) {
        try {
            return MAPPER.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert cannot be written as JSON", e);
        }
    }
}
