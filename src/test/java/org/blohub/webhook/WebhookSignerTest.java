package org.blohub.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature scheme the README documents, checked against a value computed with openssl. */
class WebhookSignerTest {

    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTimestampDotAlertIdDotBodyAsOpensslDoes() {
        // printf '%s.%s.' 1795431447 abc | cat - body.json | openssl dgst -sha256 -hmac s3cret
        assertThat(WebhookSigner.sign(SECRET, 1795431447L, "abc", BODY))
                .isEqualTo("sha256=1a660f8cf995e0554ebbeaa4550d21fa15ff413ecb10ef7c8cb2929c338efa1c");
    }

    @Test
    void aReceiverRefusesAnyChangeToTheSignedParts() {
        String sig = WebhookSigner.sign(SECRET, 1795431447L, "abc", BODY);
        assertThat(WebhookSigner.verify(SECRET, "1795431447", "abc", BODY, sig)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, "1795431448", "abc", BODY, sig)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1795431447", "abd", BODY, sig)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "1795431447", "abc", "{\"x\":2}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(WebhookSigner.verify("other".getBytes(StandardCharsets.UTF_8), "1795431447", "abc", BODY, sig)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, null, "abc", BODY, sig)).isFalse();
    }
}
