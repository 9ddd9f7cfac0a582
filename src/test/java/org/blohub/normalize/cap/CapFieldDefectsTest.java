package org.blohub.normalize.cap;

import org.blohub.alert.Alert;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Origin;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.Readers;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.blohub.office.OfficeRegistry;
import org.blohub.render.CapRenderer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.blohub.normalize.cap.CapTestSupport.LAO_CAI;

/**
 * CAP as it comes from the field (IPAWS, NOAA, UTF-16 exports), read through the hub's one way in (detect, read,
 * normalize), and written back as CAP 1.2 that the OASIS schema accepts.
 */
class CapFieldDefectsTest {

    private static final ReadContext LAO_CAI_CHANNEL = CapTestSupport.context(LAO_CAI, new OfficeRegistry(List.of(LAO_CAI)));

    static String cap(String infos) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>IPAWS-2024-0042</identifier>
                  <sender>w-nws.webmaster@noaa.gov</sender>
                  <sent>2024-03-01T09:15:30-05:00</sent>
                  <status>Actual</status>
                  <msgType>Alert</msgType>
                  <scope>Public</scope>
                """ + infos + "</alert>\n";
    }

    static String info(String language, String headline, String extra) {
        return """
                  <info>
                    <language>%s</language>
                    <category>Met</category>
                    <event>Flash Flood Warning</event>
                    <urgency>Immediate</urgency>
                    <severity>Severe</severity>
                    <certainty>Likely</certainty>
                    <headline>%s</headline>
                    %s
                  </info>
                """.formatted(language, headline, extra);
    }

    static List<Outcome> read(byte[] bytes) throws UnreadableInputException {
        List<Outcome> out = new ArrayList<>();
        new AlertIntake(Readers.all(), new Normalizer()).read(new ByteArrayInputStream(bytes), LAO_CAI_CHANNEL,
                new Origin(Alert.Channel.FILE, "field.cap", null, false), out::add);
        return out;
    }

    static Alert accepted(byte[] bytes) throws Exception {
        List<Outcome> out = read(bytes);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).as("%s", out.get(0)).isInstanceOf(Outcome.Accepted.class);
        Alert a = ((Outcome.Accepted) out.get(0)).alert();
        CapTestSupport.assertValidCap12(new CapRenderer().render(a));
        return a;
    }

    @Test
    void anEmbeddedResourceLargerThanAnyFieldIsKeptAsAttachmentMetadataNotInlined() throws Exception {
        byte[] audio = new byte[340_000];
        new Random(7).nextBytes(audio);
        String derefUri = Base64.getMimeEncoder().encodeToString(audio); // ~460,000 characters, in 76-char lines
        assertThat(derefUri.length()).isGreaterThan(450_000);
        String resources = """
                <resource>
                  <resourceDesc>EAS Broadcast Content</resourceDesc>
                  <mimeType>audio/x-ipaws-audio-mp3</mimeType>
                  <derefUri>%s</derefUri>
                </resource>
                <resource>
                  <resourceDesc>Map</resourceDesc>
                  <mimeType>image/png</mimeType>
                  <size>1234</size>
                  <uri>https://alerts.example.gov/maps/ffw-0042.png?v=2</uri>
                  <digest>%s</digest>
                </resource>
                <resource>
                  <resourceDesc>Web page</resourceDesc>
                  <mimeType>text/html</mimeType>
                  <uri>https://alerts.example.gov/ffw</uri>
                  <digest>da39a3ee5e6b4b0d3255bfef95601890afd80709</digest>
                </resource>
                """.formatted(derefUri, "ab".repeat(32));

        Alert a = accepted(cap(info("en-US", "Flash Flood Warning", resources)).getBytes(StandardCharsets.UTF_8));

        assertThat(a.attachments()).containsExactly(
                new Alert.Attachment("EAS Broadcast Content", "audio/x-ipaws-audio-mp3", (long) audio.length,
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(audio))),
                // named after its uri; CAP's size and a SHA-256 digest; the SHA-1-only link has no place
                new Alert.Attachment("ffw-0042.png", "image/png", 1234L, "ab".repeat(32)));
        assertThat(new CapRenderer().render(a)).doesNotContain(derefUri.substring(0, 76));
    }

    @Test
    void textTheHubKeepsIsStillBoundedAndSoIsTheDocument() {
        String huge = "x".repeat(200_001);
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read(cap(info("en-US", huge, "")).getBytes(StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("the text of <headline> is longer than the limit of 200000 characters");

        String tooBig = "<resource><resourceDesc>a</resourceDesc><derefUri>" + "A".repeat(11 * 1024 * 1024)
                + "</derefUri></resource>";
        assertThat(catchThrowableOfType(UnreadableInputException.class,
                () -> read(cap(info("en-US", "h", tooBig)).getBytes(StandardCharsets.UTF_8))).reason())
                .isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void noaaPolygonsWithAPlusSignAreAccepted() throws Exception {
        String area = """
                <area>
                  <areaDesc>Travis County</areaDesc>
                  <polygon>+30.25,-97.75 +30.35,-97.75 +30.35,-97.65 +30.25,-97.75</polygon>
                  <circle>+30.3,-97.7 +5</circle>
                </area>
                """;
        Alert a = accepted(cap(info("en-US", "Flash Flood Warning", area)).getBytes(StandardCharsets.UTF_8));
        assertThat(a.areas().get(0).polygon()).isEqualTo("30.25,-97.75 30.35,-97.75 30.35,-97.65 30.25,-97.75");
        assertThat(a.areas().get(0).circle()).isEqualTo("30.3,-97.7 5");
    }

    @Test
    void aPolygonThatIsNoneIsExplainedInWordsNeverByARegex() throws Exception {
        String area = "<area><areaDesc>x</areaDesc><polygon>30.25,-97.75 30.35</polygon></area>";
        List<Outcome> out = read(cap(info("en-US", "h", area)).getBytes(StandardCharsets.UTF_8));
        Problem p = ((Outcome.Rejected) out.get(0)).problems().get(0);
        assertThat(p.field()).isEqualTo("areas[0].polygon");
        assertThat(p.message()).startsWith("'30.25,-97.75 30.35' is not a polygon: at least four 'lat,lon' points")
                .doesNotContain("\\d").doesNotContain("^").doesNotContain("regex");
    }

    @Test
    void utf16WithoutAByteOrderMarkIsReadByItsXmlDeclaration() throws Exception {
        String xml = cap(info("vi", "Lũ quét ở Lào Cai", "")).replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            Alert a = accepted(xml.getBytes(cs));
            assertThat(a.headline()).isEqualTo("Lũ quét ở Lào Cai");
            assertThat(a.provenance().declaredCharset()).isEqualTo("UTF-16");
        }
    }

    @Test
    void oneInfoPerLanguageTheFirstOfEachIsKept() throws Exception {
        Alert a = accepted(cap(info("en-US", "First English", "") + info("es-US", "Primero", "")
                + info("en-US", "Second English", "") + info("ES-us", "Segundo", "")).getBytes(StandardCharsets.UTF_8));
        assertThat(a.headline()).isEqualTo("First English");
        assertThat(a.translations()).containsExactly(new Alert.Translation("es-US", "Primero", null));
    }

    @Test
    void aControlCharacterInCapTextNamesTheField() throws Exception {
        // XML 1.0 cannot carry ESC at all; a C1 control it can, and the hub refuses it by field
        List<Outcome> out = read(cap(info("en-US", "Flash\u0085Flood", "")).getBytes(StandardCharsets.UTF_8));
        Problem p = ((Outcome.Rejected) out.get(0)).problems().get(0);
        assertThat(p.text()).isEqualTo("headline: control character U+0085 at character 6 (only TAB, LF and CR are allowed)");
        assertThat(p.at().line()).isGreaterThan(1);
    }
}
