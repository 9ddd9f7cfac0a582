package org.blohub.normalize.xml;

import org.blohub.normalize.Draft;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The reader decodes with the charset the document (or the transport) declares, strictly. */
class BloXmlReaderCharsetTest {

    private final BloXmlReader reader = new BloXmlReader();

    private static String document(String encoding, String headline) {
        return "<?xml version=\"1.0\" encoding=\"" + encoding + "\"?>\n"
                + "<alert xmlns=\"urn:blo:alert:1\">\n"
                + "  <sourceRef>REF-1</sourceRef>\n"
                + "  <headline>" + headline + "</headline>\n"
                + "</alert>\n";
    }

    @Test
    void thaiInWindows874() throws Exception {
        String thai = "พบยาบ้า ๒๐๐,๐๐๐ เม็ด ที่ด่านเชียงของ";
        Draft d = read(document("windows-874", thai).getBytes(Charset.forName("windows-874")), null);

        assertThat(d.fields().get("headline").asText()).isEqualTo(thai);
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("windows-874");
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void thaiDeclaredAsTis620IsReadAsWindows874() throws Exception {
        // “ ” and … exist in windows-874 only, not in TIS-620: offices' software writes them under the old label
        String thai = "“ยาบ้า” ซุกซ่อนในรถบรรทุก…";
        Draft d = read(document("TIS-620", thai).getBytes(Charset.forName("windows-874")), null);

        assertThat(d.fields().get("headline").asText()).isEqualTo(thai);
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("TIS-620");
    }

    @Test
    void vietnameseInWindows1258DecodesToCombiningMarksEquivalentToTheText() throws Exception {
        String vietnamese = "Phát hiện xe tải chở ma túy tại cửa khẩu Lào Cai; tài xế Nguyễn Văn Đức bị bắt giữ";
        Charset cp1258 = Charset.forName("windows-1258");
        byte[] bytes = encodeWithCombiningMarks(document("windows-1258", vietnamese), cp1258);

        Draft d = read(bytes, null);

        String decoded = d.fields().get("headline").asText();
        // windows-1258 has no precomposed ệ, ả, ở...: the tone marks come as combining characters,
        // which the Normalizer brings to NFC later; canonically it is the same text
        assertThat(decoded).isNotEqualTo(vietnamese).contains("\u0323"); // combining dot below
        assertThat(Normalizer.normalize(decoded, Normalizer.Form.NFC)).isEqualTo(vietnamese);
        assertThat(Normalizer.normalize(decoded, Normalizer.Form.NFD))
                .isEqualTo(Normalizer.normalize(vietnamese, Normalizer.Form.NFD));
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("windows-1258");
    }

    @Test
    void chineseInGbkDeclaredAsGb2312() throws Exception {
        // 镕 is in GBK but not in GB2312
        String chinese = "磨憨口岸查获冰毒，司机朱镕基被控制";
        assertThat(Charset.forName("GB2312").newEncoder().canEncode("镕")).isFalse();
        Draft d = read(document("GB2312", chinese).getBytes(Charset.forName("GBK")), null);

        assertThat(d.fields().get("headline").asText()).isEqualTo(chinese);
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("GB2312");
    }

    @Test
    void transportDeclarationWinsOverTheDocumentsOwn() throws Exception {
        String chinese = "磨憨口岸查获冰毒";
        Charset gbk = TextDecoding.charsetFor("GB2312").orElseThrow();
        // the document claims UTF-8 but the MIME part said GB2312, and the bytes are GBK
        Draft d = read(document("UTF-8", chinese).getBytes(gbk), gbk);

        assertThat(d.fields().get("headline").asText()).isEqualTo(chinese);
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo(gbk.name());
    }

    @Test
    void utf8WithByteOrderMark() throws Exception {
        String lao = "ພົບລົດບັນທຸກ ຢູ່ດ່ານຫ້ວຍຊາຍ";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.write(document("UTF-8", lao).getBytes(StandardCharsets.UTF_8));

        Draft d = read(out.toByteArray(), null);

        assertThat(d.fields().get("headline").asText()).isEqualTo(lao);
        assertThat(d.fields().get("sourceRef").asText()).isEqualTo("REF-1");
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void noDeclarationAnywhereFallsBackToUtf8AndRecordsNoCharset() throws Exception {
        String khmer = "រកឃើញរថយន្តដឹកគ្រឿងញៀន";
        String xml = "<alert xmlns=\"urn:blo:alert:1\"><headline>" + khmer + "</headline></alert>";

        Draft d = read(xml.getBytes(StandardCharsets.UTF_8), null);

        assertThat(d.fields().get("headline").asText()).isEqualTo(khmer);
        assertThat(d.fields().has("provenance")).isFalse();
    }

    @Test
    void documentsOwnProvenanceIsNotOverwritten() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"windows-874\"?>\n<alert xmlns=\"urn:blo:alert:1\">"
                + "<provenance><channel>JMS</channel><originalFormat>JSON</originalFormat>"
                + "<declaredCharset>UTF-8</declaredCharset></provenance></alert>";

        Draft d = read(xml.getBytes(Charset.forName("windows-874")), null);

        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("UTF-8");
        assertThat(d.fields().at("/provenance/channel").asText()).isEqualTo("JMS");
    }

    @Test
    void undecodableUtf8ByteIsRefusedNamingItsLine() {
        byte[] head = document("UTF-8", "Lào Cai").getBytes(StandardCharsets.UTF_8);
        String text = new String(head, StandardCharsets.UTF_8);
        int line4 = text.indexOf("<headline>") + "<headline>".length();
        byte[] prefix = text.substring(0, line4).getBytes(StandardCharsets.UTF_8);
        byte[] suffix = text.substring(line4).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte without its continuation
        out.writeBytes(suffix);

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read(out.toByteArray(), null));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.at().line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("0xC3").doesNotContain("line").contains("UTF-8");
    }

    @Test
    void byteUndefinedInWindows874IsRefusedNamingItsLine() {
        String xml = document("windows-874", "ยาบ้า") + "<!-- X -->\n";
        byte[] bytes = xml.getBytes(Charset.forName("windows-874"));
        int x = xml.indexOf('X');
        bytes[x] = (byte) 0xDB; // unassigned in windows-874

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class, () -> read(bytes, null));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.at().line()).isEqualTo(6);
    }

    @Test
    void unknownDeclaredCharsetIsRefused() {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read(document("x-no-such-charset", "x").getBytes(StandardCharsets.US_ASCII), null));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.getMessage()).contains("x-no-such-charset");
    }

    private Draft read(byte[] bytes, Charset declared) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(bytes), SampleAlerts.context(declared, null), drafts::add);
        assertThat(drafts).hasSize(1);
        return drafts.get(0);
    }

    /**
     * Encodes as Vietnamese software writes windows-1258: a precomposed letter the charset has
     * (â, ê, ô, ơ, ư, đ...) followed by the tone as a combining mark, where no precomposed form exists.
     */
    private static byte[] encodeWithCombiningMarks(String text, Charset charset) {
        CharsetEncoder enc = charset.newEncoder();
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            if (enc.canEncode(c)) {
                out.append(c);
                return;
            }
            String nfd = Normalizer.normalize(c, Normalizer.Form.NFD);
            String base = nfd.substring(0, 1);
            String marks = nfd.substring(1);
            for (int i = 0; i < marks.length(); i++) {
                String composed = Normalizer.normalize(base + marks.charAt(i), Normalizer.Form.NFC);
                String rest = marks.substring(0, i) + marks.substring(i + 1);
                if (composed.length() == 1 && enc.canEncode(composed) && enc.canEncode(rest)) {
                    out.append(composed).append(rest);
                    return;
                }
            }
            if (!enc.canEncode(nfd)) {
                throw new IllegalArgumentException("cannot write " + c + " in " + charset);
            }
            out.append(nfd);
        });
        return out.toString().getBytes(charset);
    }
}
