package org.blohub.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Origin;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.Readers;
import org.blohub.normalize.cap.CapTestSupport;
import org.blohub.normalize.xml.BloXmlReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.TestOffices.LAOCAI;
import static org.blohub.TestOffices.OFFICES;

/**
 * Every character a valid alert can hold renders: each BMP code point but the controls, lone surrogates and
 * U+FFFE/U+FFFF, and characters outside the BMP, are put in alerts that pass the whole intake; their XML and CAP renderings are written, XSD-valid, and read
 * back to the same text; each character left out is refused by the intake, so it never reaches a renderer.
 */
class RenderAnyValidTextTest {

    private static final int CHUNK = 8_000;

    @Test
    void everyAcceptedCharacterRendersAsXmlAndCap() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            all.append((char) c);
        }
        all.append("\uD83D\uDC18\uD840\uDC0B\uDBFF\uDFFD"); // 🐘, a CJK extension B ideograph, the last plane's last
        int accepted = 0;
        int refused = 0;
        for (int start = 0; start < all.length(); start += CHUNK) {
            String chunk = all.substring(start, Math.min(all.length(), start + CHUNK));
            if (Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)) && start + CHUNK < all.length()) {
                chunk = chunk.substring(0, chunk.length() - 1); // keep the chunks made of whole characters
                start--;
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < chunk.length(); i++) {
                char c = chunk.charAt(i);
                boolean pair = Character.isHighSurrogate(c) && i + 1 < chunk.length()
                        && Character.isLowSurrogate(chunk.charAt(i + 1));
                if (pair) {
                    text.append(c).append(chunk.charAt(++i));
                    continue;
                }
                if (clean(c)) {
                    text.append(c);
                } else {
                    assertThat(normalize(" ok " + c + " ok ")).as("U+%04X", (int) c).isInstanceOf(Outcome.Rejected.class);
                    refused++;
                }
            }
            Alert a = accepted(normalize(text.toString()));
            accepted += text.length();
            String xml = new XmlRenderer().render(a);
            List<org.blohub.normalize.Draft> back = new ArrayList<>();
            new BloXmlReader().read(new ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    context(), back::add);
            assertThat(back.get(0).fields().get("description").asText()).isEqualTo(a.description());
            String cap = new CapRenderer().render(a);
            CapTestSupport.assertValidCap12(cap);
            assertThat(new JsonRenderer().render(a)).isNotEmpty();
        }
        // 65 controls (C0 but TAB, LF, CR; DEL; C1), 2046 lone surrogates (U+DBFF U+DC00 make a pair), U+FFFE, U+FFFF
        assertThat(refused).isEqualTo(29 + 1 + 32 + 2046 + 2);
        assertThat(accepted).isGreaterThan(63_000);
    }

    /** What XML 1.0 can carry, controls aside: the characters the intake must accept (and the renderers write). */
    private static boolean clean(char c) {
        return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && !(c >= 0x7f && c <= 0x9f)
                && !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }

    private static ReadContext context() {
        return new ReadContext("t.json", LAOCAI, OFFICES, null, null);
    }

    private static Outcome normalize(String description) throws Exception {
        ObjectNode f = AlertJson.mapper().createObjectNode();
        f.put("sourceRef", "RT-1").put("sentAt", "2026-11-23T09:15:00+07:00").put("status", "Actual")
                .put("msgType", "Alert").put("urgency", "Expected").put("severity", "Moderate").put("certainty", "Observed")
                .put("language", "vi").put("headline", "Kiểm tra").put("description", description).put("tlp", "TLP:GREEN");
        f.putArray("category").add("OTHER");
        f.putArray("areas").addObject().put("areaDesc", "Lào Cai").put("country", "VN");
        List<Outcome> out = new ArrayList<>();
        new AlertIntake(Readers.all(), new Normalizer()).read(new ByteArrayInputStream(
                AlertJson.mapper().writeValueAsBytes(f)), context(), new Origin(Alert.Channel.FILE, "t.json", null, false), out::add);
        return out.get(0);
    }

    private static Alert accepted(Outcome o) {
        assertThat(o).as("%s", o).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) o).alert();
    }
}
