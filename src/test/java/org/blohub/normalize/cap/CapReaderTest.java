package org.blohub.normalize.cap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.blohub.normalize.cap.CapTestSupport.LAO_CAI;

/** Mapping rules of DESIGN §5.3 on small hand-written CAP messages. */
class CapReaderTest {

    private static final OfficeRegistry OFFICES = new OfficeRegistry(List.of(LAO_CAI));
    /** No channel office: only the payload can name one. */
    private static final ReadContext PAYLOAD_ONLY = CapTestSupport.context(null, OFFICES);

    private static String cap(String namespace, String prefix, String header, String... infos) {
        String p = prefix.isEmpty() ? "" : prefix + ":";
        String body = """
                <?xml version="1.0" encoding="UTF-8"?>
                <%salert xmlns%s="%s">
                  <%sidentifier>LC-2024-0042</%sidentifier>
                  <%ssender>VN-LAOCAI</%ssender>
                  <%ssent>2024-03-01T09:15:30+07:00</%ssent>
                  <%sstatus>Actual</%sstatus>
                  <%smsgType>Alert</%smsgType>
                """.formatted(p, prefix.isEmpty() ? "" : ":" + prefix, namespace, p, p, p, p, p, p, p, p, p, p)
                + header + String.join("", infos) + "</" + p + "alert>\n";
        return body.replace("<cap:", "<" + p).replace("</cap:", "</" + p);
    }

    private static String info(String language, String extra) {
        return """
                  <cap:info>
                    %s<cap:category>Security</cap:category>
                    <cap:event>Seizure</cap:event>
                    <cap:urgency>Immediate</cap:urgency>
                    <cap:severity>Severe</cap:severity>
                    <cap:certainty>Very Likely</cap:certainty>
                    %s
                  </cap:info>
                """.formatted(language == null ? "" : "<cap:language>" + language + "</cap:language>", extra);
    }

    @Test
    void cap11WithAnyPrefixIsReadAndVeryLikelyBecomesLikely() throws Exception {
        String xml = cap(CapVocabulary.CAP_11, "c", "<cap:scope>Public</cap:scope>\n", info(null, ""));

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        assertThat(draft.problems()).isEmpty();
        ObjectNode f = draft.fields();
        assertThat(f.get("certainty").asText()).isEqualTo("Likely");
        assertThat(f.get("language").asText()).isEqualTo("en-US");
        assertThat(f.get("headline").asText()).as("the event names a foreign alert without headline").isEqualTo("Seizure");
        assertThat(f.get("sourceRef").asText()).isEqualTo("LC-2024-0042");
        // the registry knows the sender: it is the office, and an alert without areas is placed there
        assertThat(f.get("office").asText()).isEqualTo("VN-LAOCAI");
        assertThat(f.at("/areas/0/areaDesc").asText()).isEqualTo("BLO Lào Cai");
        assertThat(f.at("/areas/0/country").asText()).isEqualTo("VN");
    }

    @Test
    void anUnknownSenderIsNoOffice() throws Exception {
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n", info("vi", ""))
                .replace(">VN-LAOCAI<", ">TH-NOWHERE<");

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        assertThat(draft.fields().has("office")).isFalse();
        assertThat(draft.fields().at("/provenance/capSender").asText()).isEqualTo("TH-NOWHERE");
        assertThat(draft.problems()).extracting(Problem::field).containsExactly("areas");
    }

    @Test
    void privateScopeIsTlpRedWithTheAddressesAsAddressees() throws Exception {
        String xml = cap(CapVocabulary.CAP_12, "cap",
                "<cap:scope>Private</cap:scope>\n<cap:addresses>VN-DRUG \"Lao Cai customs\"  CN-FOCAL</cap:addresses>\n",
                info("vi", ""));

        ObjectNode f = CapTestSupport.readOne(xml, PAYLOAD_ONLY).fields();

        assertThat(f.get("tlp").asText()).isEqualTo("TLP:RED");
        assertThat(f.get("addressees")).extracting(n -> n.asText()).containsExactly("VN-DRUG", "Lao Cai customs", "CN-FOCAL");
    }

    @Test
    void restrictedScopeIsAmberAndATlpCodeWinsAsWritten() throws Exception {
        String restricted = cap(CapVocabulary.CAP_12, "", "<cap:scope>Restricted</cap:scope>\n"
                + "<cap:addresses>VN-DRUG</cap:addresses>\n", info("vi", ""));
        ObjectNode amber = CapTestSupport.readOne(restricted, PAYLOAD_ONLY).fields();
        assertThat(amber.get("tlp").asText()).isEqualTo("TLP:AMBER");
        assertThat(amber.has("addressees")).as("addresses only name addressees of a Private alert").isFalse();

        String coded = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n<cap:code>profile:x</cap:code>\n"
                + "<cap:code>TLP:WHITE</cap:code>\n", info("vi", ""));
        assertThat(CapTestSupport.readOne(coded, PAYLOAD_ONLY).fields().get("tlp").asText())
                .as("the normalizer maps TLP:WHITE").isEqualTo("TLP:WHITE");
    }

    @Test
    void anUnknownScopeIsAProblem() throws Exception {
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Secret</cap:scope>\n", info("vi", ""));

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        assertThat(draft.problems()).extracting(Problem::field).containsExactly("scope");
        assertThat(draft.problems().get(0).message()).contains("'Secret'");
    }

    @Test
    void categoriesComeFromBloEventCodesAndAreasFromGeocodes() throws Exception {
        String extra = """
                <cap:eventCode><cap:valueName>urn:blo:category</cap:valueName><cap:value>DRUG_TRAFFICKING</cap:value></cap:eventCode>
                <cap:eventCode><cap:valueName>SAME</cap:valueName><cap:value>XYZ</cap:value></cap:eventCode>
                <cap:eventCode><cap:valueName>urn:blo:category</cap:valueName><cap:value>CORRUPTION</cap:value></cap:eventCode>
                <cap:area>
                  <cap:areaDesc>Boten – Mohan</cap:areaDesc>
                  <cap:polygon>21.1,101.6 21.2,101.7 21.1,101.8 21.1,101.6</cap:polygon>
                  <cap:polygon>21.3,101.6 21.4,101.7 21.3,101.8 21.3,101.6</cap:polygon>
                  <cap:circle>21.18,101.68 2</cap:circle>
                  <cap:geocode><cap:valueName>ISO3166-1</cap:valueName><cap:value>LA</cap:value></cap:geocode>
                  <cap:geocode><cap:valueName>UN/LOCODE</cap:valueName><cap:value>LA BTN</cap:value></cap:geocode>
                  <cap:geocode><cap:valueName>urn:blo:point</cap:valueName><cap:value>21.18,101.68</cap:value></cap:geocode>
                </cap:area>
                <cap:area><cap:areaDesc>Lào Cai</cap:areaDesc><cap:circle>22.5,103.9 1</cap:circle></cap:area>
                """;
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n", info("lo", extra));

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        assertThat(draft.problems()).isEmpty();
        ObjectNode f = draft.fields();
        assertThat(f.get("category")).extracting(n -> n.asText()).containsExactly("DRUG_TRAFFICKING", "CORRUPTION");
        // two polygons and a circle: one area per shape, each with the area's description and geocodes
        assertThat(f.get("areas")).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(f.at("/areas/" + i + "/areaDesc").asText()).isEqualTo("Boten – Mohan");
            assertThat(f.at("/areas/" + i + "/country").asText()).isEqualTo("LA");
            assertThat(f.at("/areas/" + i + "/unLocode").asText()).isEqualTo("LA BTN");
            assertThat(f.at("/areas/" + i + "/lat").decimalValue()).isEqualByComparingTo("21.18");
            assertThat(f.at("/areas/" + i + "/lon").isNumber()).isTrue();
        }
        assertThat(f.at("/areas/0/polygon").asText()).startsWith("21.1,101.6");
        assertThat(f.at("/areas/1/polygon").asText()).startsWith("21.3,101.6");
        assertThat(f.at("/areas/2/circle").asText()).isEqualTo("21.18,101.68 2");
        assertThat(f.at("/areas/2").has("polygon")).isFalse();
        // no ISO3166-1 geocode: the office's country
        assertThat(f.at("/areas/3/country").asText()).isEqualTo("VN");
        assertThat(draft.where().find("/areas/1/polygon").line())
                .isGreaterThan(draft.where().find("/areas/0/polygon").line());
    }

    @Test
    void furtherInfoBlocksAreTranslationsAndEachMustBeComplete() throws Exception {
        String th = info("th", "<cap:headline>พบรถบรรทุก</cap:headline><cap:description>ยาบ้า</cap:description>")
                .replace("<cap:urgency>Immediate</cap:urgency>", "");
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n",
                info("vi", "<cap:headline>Phát hiện xe tải</cap:headline>"), th, info("zh-Hans", ""));

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        ObjectNode f = draft.fields();
        assertThat(f.get("headline").asText()).isEqualTo("Phát hiện xe tải");
        assertThat(f.get("translations")).hasSize(2);
        assertThat(f.at("/translations/0/language").asText()).isEqualTo("th");
        assertThat(f.at("/translations/0/headline").asText()).isEqualTo("พบรถบรรทุก");
        assertThat(f.at("/translations/0/description").asText()).isEqualTo("ยาบ้า");
        assertThat(f.at("/translations/1/language").asText()).isEqualTo("zh-Hans");
        assertThat(draft.problems()).extracting(Problem::text)
                .containsExactly("urgency: CAP element <urgency> is missing (info 2)");
    }

    @Test
    void aBadGradingParameterIsAProblemOnItsField() throws Exception {
        String extra = """
                <cap:parameter><cap:valueName>urn:blo:sourceRef</cap:valueName><cap:value>LC 42</cap:value></cap:parameter>
                <cap:parameter><cap:valueName>urn:blo:grading</cap:valueName><cap:value>Bx</cap:value></cap:parameter>
                <cap:parameter><cap:valueName>urn:blo:subject</cap:valueName><cap:value>{"type":</cap:value></cap:parameter>
                """;
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n", info("vi", extra));

        Draft draft = CapTestSupport.readOne(xml, PAYLOAD_ONLY);

        // the hub's own rendering: the identifier is the alertId, the parameter the office's reference
        assertThat(draft.fields().get("alertId").asText()).isEqualTo("LC-2024-0042");
        assertThat(draft.fields().get("sourceRef").asText()).isEqualTo("LC 42");
        assertThat(draft.fields().at("/grading/source").asText()).isEqualTo("B");
        assertThat(draft.problems()).extracting(Problem::field).containsExactly("subjects[0]", "grading.information");
    }

    @Test
    void thaiDeclaredAsTis620IsReadAsWindows874() throws Exception {
        String xml = cap(CapVocabulary.CAP_12, "", "<cap:scope>Public</cap:scope>\n",
                info("th", "<cap:headline>พบยาบ้า ๒๐๐,๐๐๐ เม็ด</cap:headline>"))
                .replace("encoding=\"UTF-8\"", "encoding=\"TIS-620\"");
        byte[] bytes = xml.getBytes(Charset.forName("windows-874"));

        ObjectNode f = CapTestSupport.readOne(bytes, PAYLOAD_ONLY).fields();

        assertThat(f.get("headline").asText()).isEqualTo("พบยาบ้า ๒๐๐,๐๐๐ เม็ด");
        assertThat(f.at("/provenance/declaredCharset").asText()).isEqualTo("TIS-620");
    }

    @Test
    void aDocumentThatIsNoCapAlertIsUnreadable() {
        String xml = "<?xml version=\"1.0\"?><alert xmlns=\"urn:blo:alert:1\"><sourceRef>x</sourceRef></alert>";

        UnreadableInputException e = catchThrowableOfType(() -> CapTestSupport.readOne(xml, PAYLOAD_ONLY),
                UnreadableInputException.class);

        assertThat(e.reason()).isEqualTo(UnreadableInputException.Reason.UNKNOWN_FORMAT);
        assertThat(e.getMessage()).contains("urn:blo:alert:1");
    }

    @Test
    void addressesSplitOnWhitespaceAndQuotesGroup() {
        assertThat(CapVocabulary.splitAddresses(" a  \"b c\"\td \"\" e"))
                .containsExactly("a", "b c", "d", "e");
        assertThat(CapVocabulary.splitAddresses(CapVocabulary.joinAddresses(List.of("VN-DRUG", "Lao Cai customs"))))
                .containsExactly("VN-DRUG", "Lao Cai customs");
    }
}
