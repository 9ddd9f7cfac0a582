package org.blohub.normalize;

/**
 * The input as a whole cannot be read (bytes that do not decode, malformed or hostile XML,
 * too large, no known format): no alert can be taken from it, or from the rest of it.
 */
public class UnreadableInputException extends Exception {

    /** Why, in a word a metric or a quarantine listing can group by. */
    public enum Reason { CHARSET, MALFORMED, DTD_REFUSED, TOO_LARGE, TOO_DEEP, UNKNOWN_FORMAT, UNKNOWN_OFFICE, IO }

    private final Reason reason;
    private final Position at;

    public UnreadableInputException(Reason reason, String message, Position at) {
        super(message);
        this.reason = reason;
        this.at = at == null ? Position.UNKNOWN : at;
    }

    public UnreadableInputException(Reason reason, String message, Position at, Throwable cause) {
        this(reason, message, at);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    public Position at() {
        return at;
    }
}
