package org.blohub.broker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The size rule the broker and the JMS ingest share: bytes for a BytesMessage, chars for a TextMessage. */
class MessageSizeTest {

    @Test
    void aTextBodyOfTwoBytesPerCharCountsItsChars() {
        // a nullable string: a flag byte, an int length, two bytes per char
        assertThat(MessageSize.textChars(1 + 4 + 2L * 1_000)).isEqualTo(1_000);
        assertThat(MessageSize.textChars(0)).isZero();
    }

    @Test
    void overIsStrictlyAbove() {
        assertThat(MessageSize.over(1_048_576, 1_048_576)).isFalse();
        assertThat(MessageSize.over(1_048_577, 1_048_576)).isTrue();
    }

    @Test
    void aTextOfMoreCharsThanTheLimitHasMoreUtf8BytesThanTheLimit() {
        String thai = "ก".repeat(11);
        String ascii = "a".repeat(11);
        for (String s : new String[]{thai, ascii, "😀".repeat(6)}) {
            assertThat(s.getBytes(StandardCharsets.UTF_8).length).isGreaterThanOrEqualTo(s.length());
        }
    }

    @Test
    void theRefusalNamesTheSizeAndTheLimit() {
        assertThat(MessageSize.refusal(52_428_800, false, 10_485_760))
                .isEqualTo("message of 52428800 bytes is over the limit of 10485760 bytes (blo.ingest.max-document-bytes)");
        assertThat(MessageSize.refusal(12, true, 10)).startsWith("message of 12 characters");
    }
}
