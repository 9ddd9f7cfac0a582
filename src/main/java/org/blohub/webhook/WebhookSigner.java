package org.blohub.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The web hook signature (README "Receive alerts by web hook"): {@code X-BLO-Signature: sha256=<hex>}, the
 * HMAC-SHA256 with the agency's secret of
 * <pre>  &lt;X-BLO-Timestamp&gt; "." &lt;X-BLO-Alert-Id&gt; "." &lt;body bytes&gt;</pre>
 * where the timestamp is the send time in Unix seconds. Signing the time lets a receiver refuse replays (a
 * signature older than a few minutes); signing the alert id binds it to the body. The same alert sent again
 * (a retry) has the same alert id and body and a new timestamp.
 */
public final class WebhookSigner {

    public static final String SIGNATURE = "X-BLO-Signature";
    public static final String TIMESTAMP = "X-BLO-Timestamp";
    public static final String ALERT_ID = "X-BLO-Alert-Id";
    public static final String PREFIX = "sha256=";

    private WebhookSigner() {
    }

    /** {@code sha256=<lower-case hex>} over {@code timestamp.alertId.body}. */
    public static String sign(byte[] secret, long timestamp, String alertId, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + "." + alertId + ".").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(byte[] secret, String timestamp, String alertId, byte[] body, String signature) {
        if (timestamp == null || alertId == null || signature == null) {
            return false;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = sign(secret, ts, alertId, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
