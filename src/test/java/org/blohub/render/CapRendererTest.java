package org.blohub.render;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Area;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.HandlingCode;
import org.blohub.alert.Alert.Provenance;
import org.blohub.alert.Alert.Reference;
import org.blohub.alert.Alert.Translation;
import org.blohub.alert.Tlp;
import org.blohub.normalize.cap.CapTestSupport;
import org.blohub.normalize.xml.SafeXml;
import org.blohub.normalize.xml.XmlElement;
import org.blohub.normalize.InputLimits;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CAP 1.2 rendering of DESIGN §4: schema-valid, CAP's date rule, scope from TLP, categories, info per language. */
class CapRendererTest {

    private final CapRenderer renderer = new CapRenderer();

    private static Alert alert(Tlp tlp, List<HandlingCode> handling, List<String> addressees, List<Category> categories,
                               OffsetDateTime sentAt, String headline, List<Translation> translations) {
        return new Alert("1.0", "0b7e4c1a-5f7d-4c2e-9a1b-3c4d5e6f7a8b", "LC/2024/0042", "VN-LAOCAI", sentAt,
                OffsetDateTime.parse("2024-03-01T02:16:00Z"), Alert.Status.Exercise, Alert.MsgType.Cancel,
                List.of(new Reference("VN-LAOCAI", "LC/2024/0041"), new Reference("LA-BOTEN", "BT 7,8")),
                categories, Alert.Urgency.Expected, Alert.Severity.Moderate, Alert.Certainty.Possible,
                "vi", headline, "Mô tả", translations,
                List.of(new Area("Cửa khẩu Lào Cai", "VN", "VN LCI", 22.5, 103.96, null, null)),
                List.of(), List.of(), List.of(), tlp, handling, null, addressees,
                new Provenance(Alert.Channel.API, Alert.OriginalFormat.JSON, null, null, null, null, null));
    }

    private static Alert simple(Tlp tlp, List<HandlingCode> handling, List<String> addressees) {
        return alert(tlp, handling, addressees, List.of(Category.DRUG_TRAFFICKING),
                OffsetDateTime.parse("2024-03-01T09:15:30+07:00"), "Phát hiện", List.of());
    }

    private static XmlElement parse(String xml) throws Exception {
        return SafeXml.parse(xml, InputLimits.DEFAULT);
    }

    @Test
    void namesItself() {
        assertThat(renderer.name()).isEqualTo("cap");
        assertThat(renderer.mimeType()).isEqualTo("application/common-alerting-protocol+xml");
    }

    @Test
    void writesUtf8Cap12WithADeclaration() throws Exception {
        String xml = renderer.render(simple(Tlp.AMBER, List.of(), List.of()));

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        CapTestSupport.assertValidCap12(xml);
        XmlElement alert = parse(xml);
        assertThat(alert.namespace()).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2");
        assertThat(alert.childText("identifier")).contains("0b7e4c1a-5f7d-4c2e-9a1b-3c4d5e6f7a8b");
        assertThat(alert.childText("sender")).contains("VN-LAOCAI");
        assertThat(alert.childText("status")).contains("Exercise");
        assertThat(alert.childText("msgType")).contains("Cancel");
        // CAP's references are space-separated "sender,identifier" items: spaces and commas inside are escaped
        assertThat(alert.childText("references")).contains("VN-LAOCAI,LC/2024/0041 LA-BOTEN,BT%207%2C8");
    }

    @Test
    void theSchemaCheckItselfRefusesAnInvalidCapMessage() throws Exception {
        String invalid = java.nio.file.Files.readString(CapTestSupport.shared("corpus/cap/invalid.cap"));

        assertThatThrownBy(() -> CapTestSupport.assertValidCap12(invalid))
                .isInstanceOf(org.xml.sax.SAXParseException.class).hasMessageContaining("scope");
    }

    @Test
    void capDatesHaveNoFractionsAndWriteUtcAsMinusZero() {
        assertThat(CapRenderer.capDate(OffsetDateTime.parse("2024-03-01T02:15:30.987Z"))).isEqualTo("2024-03-01T02:15:30-00:00");
        assertThat(CapRenderer.capDate(OffsetDateTime.parse("2024-03-01T08:45:30+06:30"))).isEqualTo("2024-03-01T08:45:30+06:30");
        assertThat(CapRenderer.capDate(OffsetDateTime.parse("2024-03-01T08:45:00-05:00"))).isEqualTo("2024-03-01T08:45:00-05:00");
    }

    @Test
    void scopeFollowsTlp() throws Exception {
        XmlElement clear = parse(renderer.render(simple(Tlp.CLEAR, List.of(HandlingCode.H0), List.of())));
        assertThat(clear.childText("scope")).contains("Public");
        assertThat(clear.child("restriction")).isEmpty();
        assertThat(clear.childText("code")).contains("TLP:CLEAR");

        XmlElement red = parse(renderer.render(simple(Tlp.RED, List.of(), List.of("VN-DRUG", "CN-FOCAL"))));
        assertThat(red.childText("scope")).contains("Private");
        assertThat(red.childText("addresses")).contains("VN-DRUG CN-FOCAL");
        assertThat(red.childText("code")).contains("TLP:RED");

        String strictXml = renderer.render(simple(Tlp.AMBER_STRICT, List.of(HandlingCode.H1, HandlingCode.H2), List.of("VN-DRUG")));
        CapTestSupport.assertValidCap12(strictXml);
        XmlElement strict = parse(strictXml);
        assertThat(strict.childText("scope")).contains("Restricted");
        assertThat(strict.childText("restriction")).contains("TLP:AMBER+STRICT; handling H1 H2");
        assertThat(strict.childText("code")).contains("TLP:AMBER+STRICT");
        assertThat(strict.child("addresses")).as("only a Private alert has addresses").isEmpty();

        XmlElement green = parse(renderer.render(simple(Tlp.GREEN, List.of(), List.of())));
        assertThat(green.childText("restriction")).contains("TLP:GREEN");
    }

    @Test
    void infoCategoryIsEnvForEnvironmentalCrimeAndBothWhenMixed() throws Exception {
        OffsetDateTime sent = OffsetDateTime.parse("2024-03-01T09:15:30+07:00");
        XmlElement env = parse(renderer.render(alert(Tlp.AMBER, List.of(), List.of(),
                List.of(Category.WILDLIFE_TRAFFICKING, Category.TIMBER_TRAFFICKING), sent, null, List.of())));
        XmlElement info = env.child("info").orElseThrow();
        assertThat(info.children("category")).extracting(XmlElement::text).containsExactly("Env");
        // no headline: the event names the categories
        assertThat(info.childText("event")).contains("WILDLIFE_TRAFFICKING, TIMBER_TRAFFICKING");
        assertThat(info.child("headline")).isEmpty();
        assertThat(info.children("eventCode")).extracting(c -> c.childText("value").orElse(""))
                .containsExactly("WILDLIFE_TRAFFICKING", "TIMBER_TRAFFICKING");

        XmlElement mixed = parse(renderer.render(alert(Tlp.AMBER, List.of(), List.of(),
                List.of(Category.ENVIRONMENTAL_CRIME, Category.CORRUPTION), sent, "x", List.of())));
        assertThat(mixed.child("info").orElseThrow().children("category")).extracting(XmlElement::text)
                .containsExactly("Security", "Env");
    }

    @Test
    void oneInfoPerLanguageEachComplete() throws Exception {
        String xml = renderer.render(alert(Tlp.AMBER, List.of(), List.of(), List.of(Category.DRUG_TRAFFICKING),
                OffsetDateTime.parse("2024-03-01T09:15:30.5+06:30"), "Phát hiện",
                List.of(new Translation("th", "พบยาบ้า", null), new Translation("my", null, "မူးယစ်ဆေးဝါး"))));
        CapTestSupport.assertValidCap12(xml);

        List<XmlElement> infos = parse(xml).children("info");
        assertThat(infos).extracting(i -> i.childText("language").orElse("")).containsExactly("vi", "th", "my");
        assertThat(infos).extracting(i -> i.childText("headline").orElse("-")).containsExactly("Phát hiện", "พบยาบ้า", "-");
        for (XmlElement info : infos) {
            assertThat(info.childText("urgency")).contains("Expected");
            assertThat(info.children("area")).hasSize(1);
            assertThat(info.children("parameter")).extracting(p -> p.childText("valueName").orElse(""))
                    .contains("urn:blo:sourceRef", "urn:blo:sentAt", "urn:blo:provenance");
        }
        assertThat(parse(xml).childText("sent")).contains("2024-03-01T09:15:30+06:30");
    }

    @Test
    void aCharacterXmlCannotCarryFailsTheRenderingInsteadOfBreakingTheDocument() {
        Alert bad = alert(Tlp.AMBER, List.of(), List.of(), List.of(Category.OTHER),
                OffsetDateTime.parse("2024-03-01T09:15:30+07:00"), "bell \u0007", List.of());

        assertThatThrownBy(() -> renderer.render(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(bad.alertId());
    }

    @Test
    void anAlertWithoutWhatCapRequiresIsRefusedByName() {
        Alert noTlp = simple(null, List.of(), List.of());

        assertThatThrownBy(() -> renderer.render(noTlp)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlp");
    }
}
