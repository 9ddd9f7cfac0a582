package org.blohub.operations;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ids of the operations API: the JMS message id, URL-safe. Artemis' JMS ids are {@code ID:<uuid>} and become
 * the bare uuid; any other id becomes {@code _<base64url>}. A dead letter's id names its original queue as well
 * ({@code <queue>~<message>}, e.g. {@code agency.VN-DRUG~5f0c...}), so it is found without searching every
 * dead-letter queue; queue names are letters, digits, {@code .}, {@code _} and {@code -} (never {@code ::}).
 */
public final class MessageIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String JMS_PREFIX = "ID:";
    static final char QUEUE_SEPARATOR = '~';

    private MessageIds() {
    }

    /** The URL-safe form of a JMS message id (null stays null: such a message cannot be addressed). */
    public static String encode(String jmsMessageId) {
        if (jmsMessageId == null) {
            return null;
        }
        if (jmsMessageId.startsWith(JMS_PREFIX) && SAFE.matcher(jmsMessageId.substring(JMS_PREFIX.length())).matches()) {
            return jmsMessageId.substring(JMS_PREFIX.length());
        }
        return "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(jmsMessageId.getBytes(StandardCharsets.UTF_8));
    }

    /** The JMS message id an {@link #encode}d id stands for; empty if it is not one. */
    public static Optional<String> decode(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        if (id.startsWith("_")) {
            try {
                return Optional.of(new String(Base64.getUrlDecoder().decode(id.substring(1)), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return SAFE.matcher(id).matches() ? Optional.of(JMS_PREFIX + id) : Optional.empty();
    }

    /** A dead letter's id: its original queue and its message (null if either cannot be put in a URL as is). */
    public static String deadLetter(String queue, String jmsMessageId) {
        String m = encode(jmsMessageId);
        return m == null || !SAFE.matcher(queue).matches() ? null : queue + QUEUE_SEPARATOR + m;
    }

    /** A dead letter's id taken apart: (original queue, JMS message id); empty if it is not one. */
    public static Optional<String[]> decodeDeadLetter(String id) {
        int sep = id == null ? -1 : id.indexOf(QUEUE_SEPARATOR);
        if (sep <= 0) {
            return Optional.empty();
        }
        String queue = id.substring(0, sep);
        Optional<String> message = decode(id.substring(sep + 1));
        return SAFE.matcher(queue).matches() && message.isPresent()
                ? Optional.of(new String[]{queue, message.get()}) : Optional.empty();
    }

    /** A JMS selector for exactly this message id. */
    static String selector(String jmsMessageId) {
        return "JMSMessageID = '" + jmsMessageId.replace("'", "''") + "'";
    }
}
