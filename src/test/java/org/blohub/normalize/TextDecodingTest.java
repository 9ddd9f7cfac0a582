package org.blohub.normalize;

import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TextDecodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ISO-2022-JP | 象牙を押収しました | ESC $ B",
            "ISO-2022-KR | 상아 압수 | ESC $ ) C",
            "ISO-2022-CN | 查获 | ESC $ ) A"})
    void iso2022TextWithoutACharsetIsRefusedNamingWhatItLooksLike(String charset, String text, String sequence)
            throws Exception {
        // Java decodes ISO-2022-CN but cannot encode it: ESC $ ) A designates GB 2312, SO shifts to it, SI back
        byte[] bytes = charset.equals("ISO-2022-CN")
                ? "{\"headline\":\n\"\u001b$)A\u000e2i;q\u000f\"}".getBytes(StandardCharsets.US_ASCII)
                : ("{\"headline\":\n\"" + text + "\"}").getBytes(Charset.forName(charset));
        for (byte b : bytes) {
            assertThat(b).as("7-bit").isNotNegative();
        }
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> TextDecoding.decode(bytes, null, StandardCharsets.UTF_8, false));
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.getMessage()).isEqualTo("the text looks like " + charset + " (escape sequence " + sequence
                + ") but declares no charset: declare it (e.g. charset=" + charset + " in the Content-Type, or --charset "
                + charset + ")");
        assertThat(e.at().line()).isGreaterThanOrEqualTo(1);

        // declared by the transport, or the office's default: read as what it is
        assertThat(TextDecoding.decode(bytes, Charset.forName(charset), StandardCharsets.UTF_8, false).text()).contains(text);
        assertThat(TextDecoding.decode(bytes, null, Charset.forName(charset), false).text()).contains(text);
    }

    @Test
    void anEscapeThatIsNoIso2022DesignationIsLeftToTheFieldCheck() throws Exception {
        byte[] bytes = "{\"headline\":\"\u001b[31mred\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(TextDecoding.decode(bytes, null, StandardCharsets.UTF_8, false).text()).contains("\u001b[31m");
    }

    @Test
    void aDeclaredLegacyLabelKeepsItsNameAndDecodesAsItsSuperset() {
        Charset tis = TextDecoding.declaredCharset(" TIS-620 ").orElseThrow();
        assertThat(tis.name()).isEqualTo("TIS-620");
        assertThat(new String(new byte[]{(byte) 0x93, (byte) 0xA1, (byte) 0x94}, tis)).isEqualTo("“ก”");
        assertThat(TextDecoding.declaredCharset("utf-8").orElseThrow()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(TextDecoding.declaredCharset("klingon")).isEmpty();
    }

    @Test
    void utf16XmlWithoutAByteOrderMarkIsToldByItsFirstCharacters() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>Lào Cai</a>";
        for (Charset cs : new Charset[]{StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            TextDecoding.Decoded d = TextDecoding.decode(xml.getBytes(cs), null, StandardCharsets.UTF_8, true);
            assertThat(d.text()).isEqualTo(xml);
            assertThat(d.charset()).isEqualTo(cs);
            assertThat(d.declaredLabel()).isEqualTo("utf-16");
        }
    }
}
