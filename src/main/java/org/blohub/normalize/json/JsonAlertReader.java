package org.blohub.normalize.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.AlertReader;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.SourceMap;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Canonical JSON (DESIGN §5.1): one alert object, an array of them, or a sequence of them
 * (JSON Lines). Duplicate keys are refused; depth and sizes are bounded.
 */
public final class JsonAlertReader implements AlertReader {

    @Override
    public OriginalFormat format() {
        return OriginalFormat.JSON;
    }

    @Override
    public void read(InputStream in, ReadContext ctx, Consumer<Draft> sink) throws UnreadableInputException {
        TextDecoding.Decoded text = TextDecoding.readDocument(in, ctx, false);
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(ctx.limits().maxDepth())
                        .maxStringLength(ctx.limits().maxFieldChars())
                        .maxNumberLength(50)
                        .build())
                .build();
        int index = 0;
        try (JsonParser p = factory.createParser(text.text())) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new UnreadableInputException(Reason.MALFORMED, "empty JSON document", Position.line(1));
            }
            while (t != null) {
                if (t == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        sink.accept(alert(p, ctx, index++));
                    }
                } else {
                    sink.accept(alert(p, ctx, index++));
                }
                t = p.nextToken();
            }
        } catch (StreamConstraintsException e) {
            throw new UnreadableInputException(e.getMessage().contains("depth") ? Reason.TOO_DEEP : Reason.TOO_LARGE,
                    "JSON exceeds a limit: " + e.getOriginalMessage(), at(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw new UnreadableInputException(Reason.MALFORMED, "malformed JSON: " + e.getOriginalMessage(),
                    at(e.getLocation()), e);
        } catch (IOException e) {
            throw new UnreadableInputException(Reason.IO, e.getMessage(), Position.UNKNOWN, e);
        }
    }

    private Draft alert(JsonParser p, ReadContext ctx, int index) throws IOException, UnreadableInputException {
        Position start = at(p.currentTokenLocation());
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new UnreadableInputException(Reason.MALFORMED, "expected an alert object, found " + p.currentToken(), start);
        }
        SourceMap where = new SourceMap(start);
        ObjectNode fields = (ObjectNode) value(p, "", where);
        String originalId = index == 0 ? null : ctx.sourceName() + "#" + (index + 1);
        return new Draft(fields, where, OriginalFormat.JSON, originalId);
    }

    /** Builds the node at the current token, recording where each member stood. */
    private JsonNode value(JsonParser p, String pointer, SourceMap where) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = pointer + "/" + name;
                    where.put(child, at(p.currentTokenLocation()));
                    p.nextToken();
                    JsonNode v = value(p, child, where);
                    if (!v.isNull()) {
                        // a null member is an absent one
                        o.set(name, v);
                    }
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = nodes.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String child = pointer + "/" + i++;
                    where.put(child, at(p.currentTokenLocation()));
                    a.add(value(p, child, where));
                }
                return a;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(p.getBooleanValue());
            }
            default -> {
                return nodes.nullNode();
            }
        }
    }

    private static Position at(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? Position.UNKNOWN : new Position(l.getLineNr(), l.getColumnNr());
    }
}
