package org.blohub.api;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.nio.charset.Charset;

import static org.assertj.core.api.Assertions.assertThat;

class PostedBodyTest {

    @Test
    void anUnknownCharsetIs415NamingIt() {
        PostedBody b = PostedBody.check("application/json; charset=x-evil", 10, 100);
        assertThat(b.refusal()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(b.reason()).contains("\"x-evil\"");
    }

    @Test
    void anIllegalOrEmptyCharsetNameIs415Too() {
        assertThat(PostedBody.check("application/json; charset=\"\"", 10, 100).refusal())
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        PostedBody controls = PostedBody.check("text/csv; charset=ut\u001bf-8", 10, 100);
        assertThat(controls.refusal()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(controls.reason()).contains("ut\\u001bf-8").doesNotContain("\u001b");
    }

    @Test
    void aKnownCharsetKeepsItsLabelAndDecodesAsItsSuperset() {
        PostedBody b = PostedBody.check("text/csv;Charset=\"ISO-8859-1\"", 10, 100);
        assertThat(b.refusal()).isNull();
        assertThat(b.charset().name()).isEqualTo("ISO-8859-1");
        byte[] quotes = {(byte) 0x93, 'x', (byte) 0x94}; // windows-1252's curly quotes, C1 controls in ISO-8859-1
        assertThat(new String(quotes, b.charset())).isEqualTo(new String(quotes, Charset.forName("windows-1252")));
        assertThat(PostedBody.check("application/json", 10, 100).charset()).isNull();
        assertThat(PostedBody.check(null, -1, 100).refusal()).isNull();
    }

    @Test
    void aContentLengthAboveTheLimitIs413() {
        PostedBody b = PostedBody.check("application/json", 101, 100);
        assertThat(b.refusal()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
        assertThat(b.reason()).contains("101").contains("100");
        assertThat(PostedBody.check("application/json", 100, 100).refusal()).isNull();
        assertThat(PostedBody.check("application/json", -1, 100).refusal()).as("chunked: read up to the limit").isNull();
    }
}
