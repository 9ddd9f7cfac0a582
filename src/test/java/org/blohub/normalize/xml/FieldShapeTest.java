package org.blohub.normalize.xml;

import org.blohub.alert.AlertJson;
import org.blohub.normalize.xml.FieldShape.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shape comes from the shipped schema, $refs followed. */
class FieldShapeTest {

    private final FieldShape alert = FieldShape.alert();

    private Kind kind(String... path) {
        FieldShape s = alert;
        for (String p : path) {
            s = p.equals("[]") ? s.items() : s.property(p).orElseThrow(() -> new AssertionError("no " + p));
        }
        return s.kind();
    }

    @Test
    void listsObjectsAndNumbersAreThoseOfTheSchema() {
        assertThat(alert.kind()).isEqualTo(Kind.OBJECT);
        assertThat(kind("category")).isEqualTo(Kind.ARRAY);
        assertThat(kind("category", "[]")).isEqualTo(Kind.STRING);
        assertThat(kind("countriesConcerned", "[]")).isEqualTo(Kind.STRING); // via $ref country
        assertThat(kind("areas", "[]")).isEqualTo(Kind.OBJECT);
        assertThat(kind("areas", "[]", "lat")).isEqualTo(Kind.NUMBER);
        assertThat(kind("areas", "[]", "country")).isEqualTo(Kind.STRING);
        assertThat(kind("subjects", "[]", "quantity")).isEqualTo(Kind.NUMBER);
        assertThat(kind("attachments", "[]", "size")).isEqualTo(Kind.INTEGER);
        assertThat(kind("grading")).isEqualTo(Kind.OBJECT);
        assertThat(kind("grading", "information")).isEqualTo(Kind.INTEGER);
        assertThat(kind("sentAt")).isEqualTo(Kind.STRING); // via $ref dateTime
        assertThat(kind("provenance", "capIdentifier")).isEqualTo(Kind.STRING);
        assertThat(alert.property("colour")).isEmpty();
    }

    @Test
    void knowsEveryFieldOfTheAlertInCanonicalOrder() {
        assertThat(alert.properties().keySet()).containsExactly(
                "schemaVersion", "alertId", "sourceRef", "office", "sentAt", "receivedAt", "status", "msgType",
                "references", "category", "urgency", "severity", "certainty", "language", "headline", "description",
                "translations", "areas", "countriesConcerned", "subjects", "attachments", "tlp", "handlingCodes",
                "grading", "addressees", "provenance");
    }

    @Test
    void unresolvedReferenceIsAnError() throws Exception {
        var schema = AlertJson.mapper().readTree("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/none\"}}}");

        assertThatThrownBy(() -> FieldShape.of(schema, schema, 0)).hasMessageContaining("#/$defs/none");
    }
}
