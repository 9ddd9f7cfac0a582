package org.blohub.render;

import com.ctc.wstx.api.InvalidCharHandler;
import com.ctc.wstx.api.WstxOutputProperties;
import com.ctc.wstx.stax.WstxOutputFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Tlp;

import org.codehaus.stax2.XMLStreamWriter2;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.blohub.normalize.cap.CapVocabulary.*;

/**
 * Writes an alert as valid CAP 1.2 (DESIGN §4 "cap"), elements in the order of the OASIS schema.
 * What CAP has no element for travels in {@code urn:blo:*} parameters, so that
 * {@link org.blohub.normalize.cap.CapReader} restores the alert exactly.
 */
public final class CapRenderer implements AlertRenderer {

    private static final DateTimeFormatter CAP_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private final XMLOutputFactory factory;

    public CapRenderer() {
        factory = new WstxOutputFactory();
        factory.setProperty(XMLOutputFactory.IS_REPAIRING_NAMESPACES, false);
        // a character XML 1.0 cannot carry fails the rendering instead of producing a broken document
        factory.setProperty(WstxOutputProperties.P_OUTPUT_INVALID_CHAR_HANDLER, InvalidCharHandler.FailingHandler.getInstance());
        factory.setProperty(WstxOutputProperties.P_OUTPUT_ESCAPE_CR, true);
        factory.setProperty(WstxOutputProperties.P_USE_DOUBLE_QUOTES_IN_XML_DECL, true);
    }

    @Override
    public String name() {
        return "cap";
    }

    @Override
    public String mimeType() {
        return "application/common-alerting-protocol+xml";
    }

    @Override
    public String render(Alert alert) {
        require(alert.alertId(), "alertId");
        require(alert.office(), "office");
        require(alert.sentAt(), "sentAt");
        require(alert.status(), "status");
        require(alert.msgType(), "msgType");
        require(alert.tlp(), "tlp");
        require(alert.urgency(), "urgency");
        require(alert.severity(), "severity");
        require(alert.certainty(), "certainty");
        require(alert.language(), "language");
        StringWriter out = new StringWriter(4096);
        try {
            XMLStreamWriter w = factory.createXMLStreamWriter(out);
            Xml x = new Xml(w);
            w.writeStartDocument("UTF-8", "1.0");
            w.setDefaultNamespace(CAP_12);
            x.start("alert");
            w.writeDefaultNamespace(CAP_12);
            writeAlert(alert, AlertJson.toTree(alert), x);
            x.end();
            ((XMLStreamWriter2) w).writeSpace("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("alert " + alert.alertId() + " cannot be written as CAP: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("CAP needs the alert's " + field);
        }
    }

    private void writeAlert(Alert a, ObjectNode tree, Xml x) throws XMLStreamException {
        x.element("identifier", a.alertId());
        x.element("sender", a.office());
        x.element("sent", capDate(a.sentAt()));
        x.element("status", a.status().name());
        x.element("msgType", a.msgType().name());
        String handling = a.handlingCodes().stream().map(Enum::name).collect(Collectors.joining(" "));
        if (a.tlp() == Tlp.CLEAR) {
            x.element("scope", "Public");
        } else if (a.tlp() == Tlp.RED) {
            x.element("scope", "Private");
            if (!a.addressees().isEmpty()) {
                x.element("addresses", joinAddresses(a.addressees()));
            }
        } else {
            x.element("scope", "Restricted");
            x.element("restriction", a.tlp().label() + (handling.isEmpty() ? "" : "; handling " + handling));
        }
        x.element("code", a.tlp().label());
        if (!a.references().isEmpty()) {
            x.element("references", a.references().stream()
                    .map(r -> referencePart(r.office()) + "," + referencePart(r.sourceRef()))
                    .collect(Collectors.joining(" ")));
        }
        List<Parameter> parameters = parameters(a, tree, handling);
        writeInfo(a, a.language(), a.headline(), a.description(), parameters, x);
        for (Alert.Translation t : a.translations()) {
            writeInfo(a, t.language(), t.headline(), t.description(), parameters, x);
        }
    }

    /**
     * CAP separates references by spaces and their parts by commas, and forbids {@code <} and
     * {@code &} in identifiers: those are percent-encoded here so a CAP consumer splits the list
     * right. The exact values travel in {@code urn:blo:references}.
     */
    static String referencePart(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '%' || c == ',' || c == '<' || c == '&' || Character.isWhitespace(c)) {
                for (byte b : Character.toString(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** CAP dates: whole seconds, always an offset, and UTC as "-00:00" (CAP 1.2 §3.3.2). */
    static String capDate(OffsetDateTime t) {
        String s = t.truncatedTo(ChronoUnit.SECONDS).format(CAP_DATE);
        return s.endsWith("+00:00") ? s.substring(0, s.length() - 6) + "-00:00" : s;
    }

    private record Parameter(String name, String value) {
    }

    /** What CAP has no element for, losslessly, as the canonical JSON writes it. */
    private static List<Parameter> parameters(Alert a, ObjectNode tree, String handling) {
        List<Parameter> p = new ArrayList<>();
        addText(p, SCHEMA_VERSION, tree.get("schemaVersion"));
        addText(p, SOURCE_REF, tree.get("sourceRef"));
        addText(p, RECEIVED_AT, tree.get("receivedAt"));
        if (a.sentAt().getNano() != 0) {
            addText(p, SENT_AT, tree.get("sentAt"));
        }
        if (!handling.isEmpty()) {
            p.add(new Parameter(HANDLING_CODES, handling));
        }
        if (a.grading() != null) {
            p.add(new Parameter(GRADING, Objects.toString(a.grading().source(), "")
                    + Objects.toString(a.grading().information(), "")));
        }
        if (!a.countriesConcerned().isEmpty()) {
            p.add(new Parameter(COUNTRIES_CONCERNED, String.join(" ", a.countriesConcerned())));
        }
        if (a.tlp() != Tlp.RED && !a.addressees().isEmpty()) {
            p.add(new Parameter(ADDRESSEES, String.join(" ", a.addressees())));
        }
        addJson(p, REFERENCES, tree.get("references"));
        if (tree.get("subjects") != null) {
            tree.get("subjects").forEach(s -> addJson(p, SUBJECT, s));
        }
        if (tree.get("attachments") != null) {
            tree.get("attachments").forEach(s -> addJson(p, ATTACHMENT, s));
        }
        addJson(p, PROVENANCE, tree.get("provenance"));
        return p;
    }

    private static void addText(List<Parameter> p, String name, JsonNode value) {
        if (value != null && !value.asText().isEmpty()) {
            p.add(new Parameter(name, value.asText()));
        }
    }

    private static void addJson(List<Parameter> p, String name, JsonNode value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            p.add(new Parameter(name, AlertJson.mapper().writeValueAsString(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(name + " cannot be written as JSON", e);
        }
    }

    /** One info block; CAP wants category, event, assessment and areas in each, so every language repeats them. */
    private void writeInfo(Alert a, String language, String headline, String description, List<Parameter> parameters,
                           Xml x) throws XMLStreamException {
        x.start("info");
        x.element("language", language);
        boolean env = a.category().stream().anyMatch(Alert.Category::environmental);
        boolean security = a.category().isEmpty() || a.category().stream().anyMatch(c -> !c.environmental());
        if (security) {
            x.element("category", "Security");
        }
        if (env) {
            x.element("category", "Env");
        }
        x.element("event", headline != null && !headline.isEmpty() ? headline
                : a.category().stream().map(Enum::name).collect(Collectors.joining(", ")));
        x.element("urgency", a.urgency().name());
        x.element("severity", a.severity().name());
        x.element("certainty", a.certainty().name());
        for (Alert.Category c : a.category()) {
            x.pair("eventCode", CATEGORY, c.name());
        }
        if (headline != null && !headline.isEmpty()) {
            x.element("headline", headline);
        }
        if (description != null && !description.isEmpty()) {
            x.element("description", description);
        }
        for (Parameter p : parameters) {
            x.pair("parameter", p.name(), p.value());
        }
        for (Alert.Area area : a.areas()) {
            writeArea(area, x);
        }
        x.end();
    }

    private void writeArea(Alert.Area area, Xml x) throws XMLStreamException {
        x.start("area");
        x.element("areaDesc", Objects.toString(area.areaDesc(), ""));
        if (area.polygon() != null && !area.polygon().isEmpty()) {
            x.element("polygon", area.polygon());
        }
        if (area.circle() != null && !area.circle().isEmpty()) {
            x.element("circle", area.circle());
        }
        if (area.country() != null) {
            x.pair("geocode", GEO_COUNTRY, area.country());
        }
        if (area.unLocode() != null) {
            x.pair("geocode", GEO_UN_LOCODE, area.unLocode());
        }
        if (area.lat() != null || area.lon() != null) {
            x.pair("geocode", GEO_POINT, number(area.lat()) + "," + number(area.lon()));
        }
        x.end();
    }

    private static String number(Double d) {
        return d == null ? "" : BigDecimal.valueOf(d).toPlainString();
    }

    /** A thin indenting layer over the stream writer: every element in the CAP namespace. */
    private static final class Xml {
        private final XMLStreamWriter w;
        private int depth;

        Xml(XMLStreamWriter w) {
            this.w = w;
        }

        void start(String name) throws XMLStreamException {
            indent();
            w.writeStartElement(CAP_12, name);
            depth++;
        }

        void end() throws XMLStreamException {
            depth--;
            indent();
            w.writeEndElement();
        }

        void element(String name, String text) throws XMLStreamException {
            indent();
            w.writeStartElement(CAP_12, name);
            w.writeCharacters(text);
            w.writeEndElement();
        }

        void pair(String name, String valueName, String value) throws XMLStreamException {
            start(name);
            element("valueName", valueName);
            element("value", value);
            end();
        }

        private void indent() throws XMLStreamException {
            // writeSpace, unlike writeCharacters, is also allowed before the root element
            ((XMLStreamWriter2) w).writeSpace("\n" + "  ".repeat(depth));
        }
    }
}
