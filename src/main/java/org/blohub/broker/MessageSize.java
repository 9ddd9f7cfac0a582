package org.blohub.broker;

/**
 * How big an office's JMS message is, told from its encoded body without reading it: the one rule the broker's
 * {@link InboundSizeLimit} and the hub's JMS ingest both apply. A BytesMessage counts its bytes. A TextMessage's body
 * holds its text as UTF-16 (a null flag and an int length, then two bytes per char), so it counts its chars: a text of
 * more chars than the limit has more UTF-8 bytes than the limit too (every char is at least one byte in UTF-8).
 */
public final class MessageSize {

    /** The setting that bounds an office's document, on every channel. */
    public static final String SETTING = "blo.ingest.max-document-bytes";
    /** Its default: 10 MiB. */
    public static final long DEFAULT_LIMIT = 10L * 1024 * 1024;
    /** A TextMessage body's header before its chars: the null flag and the length. */
    private static final int TEXT_HEADER = 1 + 4;

    private MessageSize() {
    }

    /** The chars of a TextMessage whose encoded body is {@code bodyBytes} long. */
    public static long textChars(long bodyBytes) {
        return Math.max(0, (bodyBytes - TEXT_HEADER) / 2);
    }

    /** Whether a message of this measure (bytes, or a text's chars) is over the limit. */
    public static boolean over(long measure, long limit) {
        return measure > limit;
    }

    /** What the office is told: the size, in its unit, and the limit. */
    public static String refusal(long measure, boolean text, long limit) {
        return "message of " + measure + (text ? " characters" : " bytes") + " is over the limit of " + limit
                + " bytes (" + SETTING + ")";
    }
}
