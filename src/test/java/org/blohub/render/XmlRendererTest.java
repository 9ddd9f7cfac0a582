package org.blohub.render;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Area;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Certainty;
import org.blohub.alert.Alert.Grading;
import org.blohub.alert.Alert.MsgType;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Alert.Urgency;
import org.blohub.alert.Tlp;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XmlRendererTest {

    private final XmlRenderer renderer = new XmlRenderer();

    private static Alert minimal(String description) {
        return new Alert("1.0", "a-1", "LC-1", "VN-LAOCAI", OffsetDateTime.parse("2024-03-05T08:45:00+06:30"), null,
                Status.Actual, MsgType.Alert, null, List.of(Category.DRUG_TRAFFICKING, Category.OTHER),
                Urgency.Immediate, Severity.Severe, Certainty.Observed, "vi", "Xe tải", description, null,
                List.of(new Area("Lào Cai", "VN", null, 22.5, null, null, null), new Area("Hà Khẩu", "CN", null, null, null, null, null)),
                null, null, null, Tlp.AMBER, null, new Grading("B", 2), null, null);
    }

    @Test
    void namesAndMimeType() {
        assertThat(renderer.name()).isEqualTo("xml");
        assertThat(renderer.mimeType()).isEqualTo("application/xml");
    }

    @Test
    void writesTheTreeInTheBloNamespaceWithListsRepeatedAndObjectsNested() {
        String xml = renderer.render(minimal("Bắt giữ"));

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        assertThat(xml).contains("<alert xmlns=\"urn:blo:alert:1\">");
        assertThat(xml.replaceAll("\\s+<", "<"))
                .contains("<category>DRUG_TRAFFICKING</category><category>OTHER</category>")
                .contains("<areas><areaDesc>Lào Cai</areaDesc><country>VN</country><lat>22.5</lat></areas>"
                        + "<areas><areaDesc>Hà Khẩu</areaDesc><country>CN</country></areas>")
                .contains("<grading><source>B</source><information>2</information></grading>")
                .contains("<sentAt>2024-03-05T08:45:00+06:30</sentAt>")
                .contains("<tlp>TLP:AMBER</tlp>");
        // absent fields are not written, not even empty
        assertThat(xml).doesNotContain("receivedAt").doesNotContain("provenance").doesNotContain("<references");
    }

    @Test
    void fieldsComeInTheCanonicalOrder() {
        String xml = renderer.render(minimal("x"));
        List<String> order = List.of("<schemaVersion>", "<alertId>", "<sourceRef>", "<office>", "<sentAt>", "<status>",
                "<msgType>", "<category>", "<urgency>", "<severity>", "<certainty>", "<language>", "<headline>",
                "<description>", "<areas>", "<tlp>", "<grading>");
        int last = -1;
        for (String tag : order) {
            int at = xml.indexOf(tag);
            assertThat(at).as(tag).isGreaterThan(last);
            last = at;
        }
    }

    @Test
    void escapesMarkupAndCarriageReturns() {
        String xml = renderer.render(minimal("a < b & c ]]> d\r\ne"));

        assertThat(xml).contains("a &lt; b &amp; c ]]&gt; d&#xd;\ne").doesNotContain("\r");
    }

    @Test
    void refusesTextThatXmlCannotCarry() {
        assertThatThrownBy(() -> renderer.render(minimal("bell \u0007")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written as XML");
    }
}
