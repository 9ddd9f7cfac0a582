package org.blohub.normalize.xml;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.exc.WstxLazyException;
import com.ctc.wstx.stax.WstxInputFactory;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Position;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;

import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one way BLO Hub parses XML. A DOCTYPE is refused outright, so no DTD, entity (internal or
 * external) or entity expansion is ever processed; nothing is fetched from the network or the
 * file system (no resolver, no XInclude, processing instructions such as xml-stylesheet ignored);
 * depth, text and attribute sizes are bounded.
 */
public final class SafeXml {

    private SafeXml() {
    }

    private static XMLInputFactory factory(InputLimits limits) {
        XMLInputFactory f = new WstxInputFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external resource refused: " + systemId);
        });
        f.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, limits.maxDepth());
        // the text the hub keeps is bounded per element below; content it only digests (a CAP derefUri) by the document
        f.setProperty(WstxInputProperties.P_MAX_TEXT_LENGTH, (int) Math.min(Integer.MAX_VALUE - 8,
                Math.max(limits.maxFieldChars(), limits.maxDocumentBytes())));
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTE_SIZE, limits.maxFieldChars());
        f.setProperty(WstxInputProperties.P_MAX_ATTRIBUTES_PER_ELEMENT, 64);
        // Woodstox's minimum is 1 (0 is refused when the factory is made); no entity is ever expanded anyway
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_COUNT, 1L);
        f.setProperty(WstxInputProperties.P_MAX_ENTITY_DEPTH, 1);
        return f;
    }

    /** Parses a decoded document into its element tree; every element's text is bounded by the field limit. */
    public static XmlElement parse(String text, InputLimits limits) throws UnreadableInputException {
        return parse(text, limits, Set.of());
    }

    /**
     * Parses a decoded document into its element tree. The text of an element named in {@code content} (CAP's
     * {@code derefUri}: an embedded file the hub digests but does not keep) is bounded only by the document's size;
     * every other element's text by the field limit.
     */
    public static XmlElement parse(String text, InputLimits limits, Set<String> content) throws UnreadableInputException {
        XMLStreamReader r = null;
        try {
            r = factory(limits).createXMLStreamReader(new StringReader(text));
            Deque<XmlElement> open = new ArrayDeque<>();
            XmlElement root = null;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new UnreadableInputException(Reason.DTD_REFUSED,
                            "DOCTYPE (DTD) is not allowed: DTDs and entities are never processed", at(r.getLocation()));
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new UnreadableInputException(Reason.DTD_REFUSED,
                            "entity reference &" + r.getLocalName() + "; is not allowed", at(r.getLocation()));
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (open.size() >= limits.maxDepth()) {
                            throw new UnreadableInputException(Reason.TOO_DEEP,
                                    "elements nested deeper than " + limits.maxDepth(), at(r.getLocation()));
                        }
                        Map<String, String> attrs = new LinkedHashMap<>();
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            attrs.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        XmlElement e = new XmlElement(r.getNamespaceURI(), r.getLocalName(), attrs, at(r.getLocation()));
                        if (open.isEmpty()) {
                            root = e;
                        } else {
                            open.peek().children().add(e);
                        }
                        open.push(e);
                    }
                    case XMLStreamConstants.END_ELEMENT -> open.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) {
                            XmlElement e = open.peek();
                            e.appendText(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                            if (e.textLength() > limits.maxFieldChars() && !content.contains(e.name())) {
                                throw new UnreadableInputException(Reason.TOO_LARGE, "the text of <" + e.name()
                                        + "> is longer than the limit of " + limits.maxFieldChars() + " characters",
                                        e.at());
                            }
                        }
                    }
                    default -> {
                        // comments and processing instructions (xml-stylesheet among them) are ignored
                    }
                }
            }
            if (root == null) {
                throw new UnreadableInputException(Reason.MALFORMED, "no root element", Position.line(1));
            }
            return root;
        } catch (XMLStreamException e) {
            throw refused(e);
        } catch (WstxLazyException e) {
            // Woodstox reports some limits (text size) lazily, unchecked, when the text is fetched
            throw refused(e.getCause() instanceof XMLStreamException x ? x : new XMLStreamException(e.getMessage()));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release for a string source
                }
            }
        }
    }

    private static UnreadableInputException refused(XMLStreamException e) {
        Position where = e.getLocation() == null ? Position.UNKNOWN : at(e.getLocation());
        String msg = e.getMessage() == null ? "malformed XML" : firstLine(e.getMessage());
        // Woodstox writes "Maximum Element Depth limit (32) Exceeded": compare without case
        String lower = msg.toLowerCase(java.util.Locale.ROOT);
        Reason reason = lower.contains("depth") ? Reason.TOO_DEEP
                : lower.contains("entity") ? Reason.DTD_REFUSED
                : lower.contains("length") || lower.contains("size") ? Reason.TOO_LARGE : Reason.MALFORMED;
        return new UnreadableInputException(reason, "malformed XML: " + msg, where, e);
    }

    private static Position at(Location l) {
        return l == null ? Position.UNKNOWN : new Position(l.getLineNumber(), l.getColumnNumber());
    }

    private static String firstLine(String s) {
        // Woodstox prefixes "ParseError at [row,col]:[r,c]\nMessage: ..." — keep the message only
        int m = s.indexOf("Message: ");
        String t = m >= 0 ? s.substring(m + 9) : s;
        int nl = t.indexOf('\n');
        return (nl >= 0 ? t.substring(0, nl) : t).trim();
    }
}
