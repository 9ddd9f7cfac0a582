package org.blohub.render;

import com.ctc.wstx.api.WstxOutputProperties;
import com.ctc.wstx.stax.WstxOutputFactory;
import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.Map;

/**
 * BLO XML (DESIGN §4 "xml"): the canonical alert tree in namespace {@code urn:blo:alert:1}, element
 * names = field names, in the canonical order. A list field is its element repeated once per item,
 * an object field is nested elements. Written from {@link AlertJson#toTree} so it never drifts from
 * the JSON rendering; {@code BloXmlReader} reads it back to the same tree.
 */
public final class XmlRenderer implements AlertRenderer {

    public static final String NAMESPACE = "urn:blo:alert:1";
    public static final String ROOT = "alert";

    private static final XMLOutputFactory FACTORY = factory();

    private static XMLOutputFactory factory() {
        XMLOutputFactory f = new WstxOutputFactory();
        // a CR written raw would come back as LF (XML end-of-line handling): escape it to keep the text exact
        f.setProperty(WstxOutputProperties.P_OUTPUT_ESCAPE_CR, true);
        // refuse text XML 1.0 cannot carry (control characters) rather than write a document no one can read
        f.setProperty(WstxOutputProperties.P_OUTPUT_VALIDATE_CONTENT, true);
        f.setProperty(WstxOutputProperties.P_OUTPUT_VALIDATE_STRUCTURE, true);
        return f;
    }

    @Override
    public String name() {
        return "xml";
    }

    @Override
    public String mimeType() {
        return "application/xml";
    }

    @Override
    public String render(Alert alert) {
        StringWriter out = new StringWriter(4096);
        try {
            // the declaration written by hand: Woodstox would quote it with ' which naive sniffers miss
            out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out);
            w.setDefaultNamespace(NAMESPACE);
            w.writeStartElement(NAMESPACE, ROOT);
            w.writeDefaultNamespace(NAMESPACE);
            writeFields(w, AlertJson.toTree(alert), 1);
            newline(w, 0);
            w.writeEndElement();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("alert cannot be written as XML: " + e.getMessage(), e);
        }
        return out.append('\n').toString();
    }

    /** The fields of an object, each as one element, or one element per item for a list. */
    private static void writeFields(XMLStreamWriter w, JsonNode object, int depth) throws XMLStreamException {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isArray()) {
                for (JsonNode item : f.getValue()) {
                    writeElement(w, f.getKey(), item, depth);
                }
            } else {
                writeElement(w, f.getKey(), f.getValue(), depth);
            }
        }
    }

    private static void writeElement(XMLStreamWriter w, String name, JsonNode value, int depth) throws XMLStreamException {
        if (value.isNull()) {
            return;
        }
        if (value.isArray()) {
            // a list of lists has no BLO XML form; the alert schema has none
            throw new XMLStreamException("field " + name + " is a list of lists");
        }
        newline(w, depth);
        w.writeStartElement(NAMESPACE, name);
        if (value.isObject()) {
            writeFields(w, value, depth + 1);
            newline(w, depth);
        } else {
            // numbers as Jackson writes them in JSON (BigDecimal keeps its scale), text as is
            w.writeCharacters(value.asText());
        }
        w.writeEndElement();
    }

    /** Indentation: whitespace-only text in container elements, which readers of BLO XML ignore. */
    private static void newline(XMLStreamWriter w, int depth) throws XMLStreamException {
        w.writeCharacters("\n" + "  ".repeat(depth));
    }
}
