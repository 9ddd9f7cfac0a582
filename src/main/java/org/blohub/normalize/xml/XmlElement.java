package org.blohub.normalize.xml;

import org.blohub.normalize.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One element of a parsed document: namespace, local name, attributes, direct text, children, position. */
public final class XmlElement {

    private final String namespace;
    private final String name;
    private final Map<String, String> attributes;
    private final Position at;
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlElement(String namespace, String name, Map<String, String> attributes, Position at) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = name;
        this.attributes = Map.copyOf(attributes);
        this.at = at;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public Position at() {
        return at;
    }

    public List<XmlElement> children() {
        return children;
    }

    /** The element's own text (not its children's), as written. */
    public String text() {
        return text.toString();
    }

    int textLength() {
        return text.length();
    }

    void appendText(char[] chars, int start, int length) {
        text.append(chars, start, length);
    }

    /** Children with this local name in the element's own namespace. */
    public List<XmlElement> children(String localName) {
        return children.stream().filter(c -> c.name.equals(localName) && c.namespace.equals(namespace)).toList();
    }

    public Optional<XmlElement> child(String localName) {
        return children.stream().filter(c -> c.name.equals(localName) && c.namespace.equals(namespace)).findFirst();
    }

    /** Trimmed text of the first such child; empty when absent or blank. */
    public Optional<String> childText(String localName) {
        return child(localName).map(c -> c.text().trim()).filter(s -> !s.isEmpty());
    }
}
