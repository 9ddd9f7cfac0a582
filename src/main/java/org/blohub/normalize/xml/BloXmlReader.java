package org.blohub.normalize.xml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.AlertReader;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.SourceMap;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;

import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads BLO XML (DESIGN §5.2): one {@code <alert xmlns="urn:blo:alert:1">} per document, element
 * names = canonical field names. XML carries only text, so which fields are lists or objects and
 * which leaves are numbers comes from the alert's JSON Schema ({@link FieldShape}). An element the
 * schema does not know is a problem on the draft, never dropped in silence.
 */
public final class BloXmlReader implements AlertReader {

    public static final String NAMESPACE = "urn:blo:alert:1";
    public static final String ROOT = "alert";

    // JSON's number grammar: what the JSON reader would accept, nothing looser ("1,5", "+1", ".5", "NaN")
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");

    private final FieldShape shape;

    public BloXmlReader() {
        this(FieldShape.alert());
    }

    BloXmlReader(FieldShape shape) {
        this.shape = shape;
    }

    @Override
    public OriginalFormat format() {
        return OriginalFormat.BLO_XML;
    }

    @Override
    public void read(InputStream in, ReadContext ctx, Consumer<Draft> sink) throws UnreadableInputException {
        TextDecoding.Decoded decoded = TextDecoding.readDocument(in, ctx, true);
        XmlElement root = SafeXml.parse(decoded.text(), ctx.limits());
        checkRoot(root);

        // one alert per document: its original id is the transport's (file name, JMS id), set by the caller
        Draft draft = new Draft(JsonNodeFactory.instance.objectNode(), new SourceMap(root.at()), format(), null);
        new Walk(draft).object(root, shape, draft.fields(), "", "");
        if (decoded.declaredLabel() != null && !draft.fields().has("provenance")) {
            draft.fields().putObject("provenance").put("declaredCharset", decoded.declaredLabel());
            if (ctx.declaredCharset() == null) {
                // the label came from the XML declaration, on the first line
                draft.where().put("/provenance/declaredCharset", Position.line(1));
            }
        }
        sink.accept(draft);
    }

    private static void checkRoot(XmlElement root) throws UnreadableInputException {
        String expected = "expected a root element <" + ROOT + " xmlns=\"" + NAMESPACE + "\">";
        if (!root.name().equals(ROOT)) {
            throw new UnreadableInputException(Reason.UNKNOWN_FORMAT, "not BLO XML: " + expected + ", found <"
                    + root.name() + ">" + inNamespace(root), root.at());
        }
        if (!root.namespace().equals(NAMESPACE)) {
            throw new UnreadableInputException(Reason.MALFORMED, "not BLO XML: " + expected + ", found <"
                    + root.name() + ">" + inNamespace(root), root.at());
        }
    }

    private static String inNamespace(XmlElement e) {
        return e.namespace().isEmpty() ? " in no namespace" : " in namespace " + e.namespace();
    }

    /** One pass over one document, filling one draft. */
    private static final class Walk {

        private final Draft draft;

        Walk(Draft draft) {
            this.draft = draft;
        }

        /**
         * Fills {@code target} from the children of {@code element}, an object of the given shape.
         *
         * @param target  the object node to fill
         * @param pointer JSON pointer of the object ("" for the alert)
         * @param field   canonical field path of the object ("" for the alert)
         */
        void object(XmlElement element, FieldShape objectShape, ObjectNode target, String pointer, String field) {
            noAttributes(element, field, pointer.isEmpty());
            if (!element.text().isBlank()) {
                draft.problem(field, "<" + element.name() + "> holds elements, not text", element.at());
            }
            Set<String> seen = new HashSet<>();
            for (XmlElement child : element.children()) {
                String name = child.name();
                String childField = field.isEmpty() ? name : field + "." + name;
                Optional<FieldShape> childShape = element.namespace().equals(child.namespace())
                        ? objectShape.property(name) : Optional.empty();
                if (childShape.isEmpty()) {
                    draft.problem(childField, "unknown element <" + name + ">"
                            + (child.namespace().equals(NAMESPACE) ? "" : inNamespace(child)), child.at());
                    continue;
                }
                FieldShape s = childShape.get();
                if (s.kind() == FieldShape.Kind.ARRAY) {
                    // the list is made with its first item, so blank items alone leave the field absent
                    JsonNode existing = target.get(name);
                    int index = existing == null ? 0 : existing.size();
                    Optional<JsonNode> item = value(child, s.items(), pointer + "/" + name + "/" + index,
                            childField + "[" + index + "]");
                    if (item.isPresent()) {
                        ArrayNode list = existing == null ? target.putArray(name) : (ArrayNode) existing;
                        draft.where().put(pointer + "/" + name, child.at());
                        list.add(item.get());
                    }
                    continue;
                }
                if (!seen.add(name)) {
                    draft.problem(childField, "<" + name + "> appears more than once; it is not a list", child.at());
                    continue;
                }
                String childPointer = pointer + "/" + name;
                value(child, s, childPointer, childField).ifPresent(v -> target.set(name, v));
            }
        }

        /** The value of one element of the given shape; empty when blank or not readable (a problem then). */
        Optional<JsonNode> value(XmlElement e, FieldShape s, String pointer, String field) {
            if (s.kind() == FieldShape.Kind.OBJECT) {
                draft.where().put(pointer, e.at());
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                // an empty object is kept, so the schema names what it lacks at this element's line
                object(e, s, o, pointer, field);
                return Optional.of(o);
            }
            if (s.kind() == FieldShape.Kind.ARRAY) {
                // a list of lists cannot be written as repeated elements; the alert schema has none
                draft.problem(field, "a list inside a list cannot be read from XML", e.at());
                return Optional.empty();
            }
            noAttributes(e, field, false);
            if (!e.children().isEmpty()) {
                draft.problem(field, "<" + e.name() + "> holds text, not elements (found <"
                        + e.children().get(0).name() + ">)", e.children().get(0).at());
                return Optional.empty();
            }
            String text = e.text();
            if (text.isBlank()) {
                return Optional.empty(); // absent, not an empty string
            }
            Optional<JsonNode> v = switch (s.kind()) {
                case NUMBER -> number(text.strip(), NUMBER, "a number", field, e.at());
                case INTEGER -> number(text.strip(), INTEGER, "a whole number", field, e.at());
                default -> Optional.of(JsonNodeFactory.instance.textNode(text)); // as written
            };
            // only a value that is set gets a position, so a skipped list item does not shadow the next
            v.ifPresent(x -> draft.where().put(pointer, e.at()));
            return v;
        }

        private Optional<JsonNode> number(String text, Pattern grammar, String what, String field, Position at) {
            if (!grammar.matcher(text).matches()) {
                draft.problem(field, "'" + text + "' is not " + what, at);
                return Optional.empty();
            }
            try {
                // the same node types the JSON reader makes (integers, else BigDecimal)
                return Optional.of(AlertJson.mapper().readTree(text));
            } catch (JsonProcessingException ex) {
                draft.problem(field, "'" + text + "' is not " + what + ": " + ex.getOriginalMessage(), at);
                return Optional.empty();
            }
        }

        /** BLO XML carries everything in elements; an attribute would be data dropped without a word. */
        private void noAttributes(XmlElement e, String field, boolean root) {
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                if (root && a.getKey().equals("schemaLocation")) {
                    continue; // xsi:schemaLocation on the root is a hint for editors, not data
                }
                draft.problem(field, "unexpected attribute " + a.getKey() + " on <" + e.name() + ">", e.at());
            }
        }
    }
}
