package org.blohub.alert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CleanTextTest {

    @Test
    void tabLineFeedAndCarriageReturnAreText() {
        assertThat(CleanText.firstForbidden("a\tb\r\nc")).isEqualTo(-1);
        assertThat(CleanText.firstForbidden("Bắt giữ 12 kg")).isEqualTo(-1);
        assertThat(CleanText.firstForbidden(null)).isEqualTo(-1);
    }

    @Test
    void c0DelAndC1ControlsAreFound() {
        assertThat(CleanText.firstForbidden("head\u001bline")).isEqualTo(4);
        assertThat(CleanText.firstForbidden("x\u007f")).isEqualTo(1);
        assertThat(CleanText.firstForbidden("\u0085")).isZero();
        assertThat(CleanText.firstForbidden("\u00a0 no-break space is text")).isEqualTo(-1);
        assertThat(CleanText.name(0x1b)).isEqualTo("U+001B");
    }

    @Test
    void escapeMakesOnePrintableLine() {
        assertThat(CleanText.escape("report.csv")).isEqualTo("report.csv");
        assertThat(CleanText.escape("a\u001b[2Jb\r\nc\u0007")).isEqualTo("a\\u001b[2Jb\\u000d\\u000ac\\u0007");
        assertThat(CleanText.escape("C:\\x")).isEqualTo("C:\\u005cx");
        assertThat(CleanText.escape(null)).isNull();
    }
}
