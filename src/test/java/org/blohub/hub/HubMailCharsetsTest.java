package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static java.text.Normalizer.Form.NFC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.hub.TestMail.headers;
import static org.blohub.hub.TestMail.mail;
import static org.blohub.hub.TestMail.text;
import static org.blohub.hub.TestMail.withHeader;

/**
 * Issue 4, must show 2: mails in the region's charsets, with encoded-word subjects, arrive at the agency (its own
 * mailbox) as the right NFC text. Each office mails a trafficking alert; its country's TIP agency takes mail.
 */
class HubMailCharsetsTest extends HubMailTestSupport {

    static final Charset WINDOWS_874 = Charset.forName("windows-874");
    static final Charset WINDOWS_1258 = Charset.forName("windows-1258");
    static final Charset GBK = Charset.forName("GBK");

    /**
     * @param bodyLabel    the charset the body part declares (null: none, the office's default applies)
     * @param subjectLabel the label of the subject's encoded-words (null: raw 8-bit UTF-8, RFC 6532)
     * @param encoding     the body's Content-Transfer-Encoding
     */
    record Case(String office, String agency, String language, Charset charset, String bodyLabel, String subjectLabel,
                String encoding, String subject, String description, String area) {
        @Override
        public String toString() {
            return office + " " + charset + (bodyLabel == null ? " (undeclared)" : " as " + bodyLabel) + ", " + encoding;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // TIS-620 read as windows-874: the quotes and the ellipsis exist only in the superset
                new Case("TH-CHIANGKHONG", "TH-TIP", "th", WINDOWS_874, "TIS-620", "TIS-620", "8bit",
                        "แรงงานถูกหลอกข้ามแดน “เรือประมง”", "ผู้หญิงสามคนถูกพาข้ามแม่น้ำโขง… ที่ท่าเรือบั๊ค",
                        "อำเภอเชียงของ"),
                // windows-1258 writes tone marks as combining characters: the agency gets them composed (NFC)
                new Case("VN-MOCBAI", "VN-TIP", "vi", WINDOWS_1258, "windows-1258", "windows-1258", "quoted-printable",
                        "Phát hiện đường dây đưa người qua biên giới", "Ba thanh niên bị dụ dỗ sang làm việc trái phép.",
                        "Cửa khẩu quốc tế Mộc Bài"),
                // GB2312 read as GBK: 喆 is in GBK only
                new Case("CN-HEKOU", "CN-TIP", "zh-Hans", GBK, "GB2312", "gb2312", "base64",
                        "河口口岸发现拐卖妇女线索（张喆）", "两名妇女被带过红河大桥，疑被拐卖。", "河口口岸"),
                new Case("LA-NAMPHAO", "LA-TIP", "lo", StandardCharsets.UTF_8, "utf-8", "UTF-8", "8bit",
                        "ພົບການຄ້າມະນຸດຢູ່ດ່ານນ້ຳພາວ", "ແມ່ຍິງສອງຄົນຖືກພາຂ້າມຊາຍແດນ", "ດ່ານສາກົນນ້ຳພາວ"),
                new Case("KH-BAVET", "KH-TIP", "km", StandardCharsets.UTF_8, "UTF-8", "utf-8", "base64",
                        "រកឃើញការជួញដូរមនុស្សនៅច្រកបាវិត", "ស្ត្រីពីរនាក់ត្រូវបាននាំឆ្លងព្រំដែន", "ច្រកព្រំដែនបាវិត"),
                // no charset declared (the office's default, UTF-8) and a raw UTF-8 subject
                new Case("MM-TACHILEIK", "MM-TIP", "my", StandardCharsets.UTF_8, null, null, "8bit",
                        "တာချီလိတ်နယ်စပ်တွင် လူကုန်ကူးမှု", "အမျိုးသမီးနှစ်ဦးကို နယ်စပ်ဖြတ်ကျော်ခေါ်ဆောင်", "တာချီလိတ်")
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theAgencyGetsTheRightNfcText(Case c) throws Exception {
        String ref = uniqueRef(c.office().substring(3, 6));
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        String from = c.office().toLowerCase() + "@offices.blo-hub.local";
        String form = """
                sourceRef: %s
                sentAt: 2026-11-23T09:15:00
                status: Actual
                msgType: Alert
                category: TRAFFICKING_IN_PERSONS
                urgency: Expected
                severity: Severe
                certainty: Likely
                language: %s
                areas: %s
                description: %s
                tlp: TLP:AMBER
                """.formatted(ref, c.language(), c.area(), c.description());
        byte[] bytes = encode(form.replace("\n", "\r\n"), c.charset());
        List<String> h = new ArrayList<>(headers(from, subjectHeader(c), msgId));
        h.add("Content-Type: text/plain" + (c.bodyLabel() == null ? "" : "; charset=" + c.bodyLabel()));
        h.add("Content-Transfer-Encoding: " + c.encoding());
        byte[] body = switch (c.encoding()) {
            case "base64" -> TestMail.base64Lines(bytes).getBytes(StandardCharsets.US_ASCII);
            case "quoted-printable" -> HubMailEndToEndTest.qp(bytes);
            default -> bytes;
        };
        mail.send(from, "alerts@blo-hub.local", mail(h, body));

        String alertId = Normalizer.alertId(c.office(), ref);
        MimeMessage m = mail.await(c.agency(), password(c.agency()), withHeader("X-BLO-Alert-Id", alertId)).get(0);
        JsonNode a = AlertJson.mapper().readTree(text(m));
        String headline = a.get("headline").asText();
        assertThat(headline).isEqualTo(nfc(c.subject()));
        assertThat(java.text.Normalizer.isNormalized(headline, NFC)).isTrue();
        assertThat(a.get("description").asText()).isEqualTo(nfc(c.description()));
        assertThat(a.at("/areas/0/areaDesc").asText()).isEqualTo(nfc(c.area()));
        assertThat(a.get("language").asText()).isEqualTo(c.language());
        if (c.bodyLabel() != null) {
            assertThat(a.at("/provenance/declaredCharset").asText()).isEqualToIgnoringCase(c.bodyLabel());
        }
        MimeMessage reply = mail.await(c.office(), password(c.office()), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(reply.getSubject()).isEqualTo("Re: " + nfc(c.subject()));
    }

    static String nfc(String s) {
        return java.text.Normalizer.normalize(s, NFC);
    }

    /** The subject as the office's mailer writes it: encoded-words in the case's charset, or raw UTF-8. */
    static String subjectHeader(Case c) {
        if (c.subjectLabel() == null) {
            return new String(c.subject().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        byte[] bytes = encode(c.subject(), c.charset());
        if (c.encoding().equals("quoted-printable")) {
            return "=?" + c.subjectLabel() + "?Q?" + q(bytes) + "?=";
        }
        if (c.charset().equals(StandardCharsets.UTF_8)) {
            // split in the middle of a character, across two encoded-words (and a folded line), as some mailers do
            int half = bytes.length / 2 + 1;
            return "=?" + c.subjectLabel() + "?B?" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, half))
                    + "?=\r\n =?" + c.subjectLabel() + "?B?"
                    + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, half, bytes.length)) + "?=";
        }
        return "=?" + c.subjectLabel() + "?B?" + Base64.getEncoder().encodeToString(bytes) + "?=";
    }

    /** RFC 2047 Q encoding. */
    static String q(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == ' ') {
                sb.append('_');
            } else if (c > 32 && c < 127 && c != '=' && c != '?' && c != '_') {
                sb.append((char) c);
            } else {
                sb.append(String.format("=%02X", c));
            }
        }
        return sb.toString();
    }

    static byte[] encode(String text, Charset cs) {
        return TestMail.encode(text, cs);
    }

    @org.junit.jupiter.api.Test
    void theLegacyCasesNeedTheSupersets() {
        // read by the labels' own JDK charsets, the Chinese and Thai texts would not survive
        assertThat(Charset.forName("GB2312").newEncoder().canEncode('喆')).isFalse();
        assertThat(Charset.forName("TIS-620").newEncoder().canEncode('“')).isFalse();
        // and the Vietnamese is written decomposed, so NFC is the hub's doing
        assertThat(new String(encode("Phát hiện", WINDOWS_1258), WINDOWS_1258)).isNotEqualTo("Phát hiện");
    }
}
