package org.blohub.mail;

import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class MimeTextTest {

    static final Charset WINDOWS_874 = Charset.forName("windows-874");
    static final Charset WINDOWS_1258 = Charset.forName("windows-1258");

    static String b(String label, byte[] bytes) {
        return "=?" + label + "?B?" + Base64.getEncoder().encodeToString(bytes) + "?=";
    }

    @Test
    void encodedWordsAreDecodedWithTheLabelsSupersets() {
        assertThat(MimeText.decodeHeader(b("GB2312", "张喆".getBytes(Charset.forName("GBK"))), null)).isEqualTo("张喆");
        assertThat(MimeText.decodeHeader(b("TIS-620", "“เรือ”".getBytes(WINDOWS_874)), null)).isEqualTo("“เรือ”");
        assertThat(MimeText.decodeHeader("=?iso-8859-11?Q?=A1=E0?=", null)).isEqualTo("กเ");
    }

    @Test
    void adjacentWordsJoinWithoutTheirWhitespaceAndACharacterSplitAcrossWordsSurvives() {
        byte[] lao = "ນ້ຳພາວ".getBytes(StandardCharsets.UTF_8);
        String split = b("UTF-8", java.util.Arrays.copyOf(lao, 4)) + "\r\n  "
                + b("utf-8", java.util.Arrays.copyOfRange(lao, 4, lao.length));
        assertThat(MimeText.decodeHeader("Re: " + split + " (2)", null)).isEqualTo("Re: ນ້ຳພາວ (2)");
        assertThat(MimeText.decodeHeader("=?UTF-8?Q?a_b?= =?UTF-8?Q?c?=", null)).isEqualTo("a bc");
        assertThat(MimeText.decodeHeader("=?UTF-8*vi?Q?C=E1=BB=ADa?=", null)).isEqualTo("Cửa");
    }

    @Test
    void decomposedTextBecomesNfcAndFoldingBecomesSpaces() {
        String decomposed = "Pha\u0301t hi\u00ea\u0323n"; // as windows-1258 writes it
        assertThat(MimeText.decodeHeader(b("windows-1258", decomposed.getBytes(WINDOWS_1258)), null))
                .isEqualTo("Phát hiện");
        assertThat(MimeText.decodeHeader("=?UTF-8?Q?a=0Ab=09c?=", null)).isEqualTo("a b c");
    }

    @Test
    void otherControlsStayForTheAlertsCheckToRefuse() {
        assertThat(MimeText.decodeHeader("=?UTF-8?Q?Seizure=1B[2J_at_Lao_Cai?=", null)).isEqualTo("Seizure\u001b[2J at Lao Cai");
    }

    @Test
    void raw8bitHeadersAreUtf8WhenTheyAreElseTheOfficesCharset() {
        String utf8 = new String("ຂ່າວ".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertThat(MimeText.decodeHeader(utf8, WINDOWS_874)).isEqualTo("ຂ່າວ");
        String thai = new String("ข่าวด่วน".getBytes(WINDOWS_874), StandardCharsets.ISO_8859_1);
        assertThat(MimeText.decodeHeader(thai, WINDOWS_874)).isEqualTo("ข่าวด่วน");
    }

    @Test
    void anUnknownCharsetLeavesTheWordAsItIs() {
        assertThat(MimeText.decodeHeader("=?x-klingon?Q?abc?= ok", null)).isEqualTo("=?x-klingon?Q?abc?= ok");
    }

    @Test
    void formatFlowedIsUnwrappedButTheSignatureSeparatorIsNot() {
        String flowed = "description: a long \r\nline here\r\n  stuffed\r\n-- \r\nsig \r\nend\r\n";
        assertThat(new String(MimeText.unflow(flowed.getBytes(StandardCharsets.US_ASCII), false), StandardCharsets.US_ASCII))
                .isEqualTo("description: a long line here\r\n stuffed\r\n-- \r\nsig end\r\n");
        assertThat(new String(MimeText.unflow("a \nb\n".getBytes(StandardCharsets.US_ASCII), true), StandardCharsets.US_ASCII))
                .isEqualTo("ab\n");
    }

    @Test
    void vietnameseIsWrittenInWindows1258AsVietnameseWindowsWritesIt() {
        byte[] bytes = MimeText.encode("Mộc Bài", WINDOWS_1258).orElseThrow();
        assertThat(java.text.Normalizer.normalize(new String(bytes, WINDOWS_1258), java.text.Normalizer.Form.NFC))
                .isEqualTo("Mộc Bài");
        assertThat(MimeText.encode("河口", WINDOWS_874)).isEmpty();
    }
}
