package org.blohub.operations;

/** Why an operator's action did nothing. Nothing was changed when one of these is thrown. */
public class OperationException extends RuntimeException {

    OperationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message is not (or no longer) there: someone else replayed or discarded it, or the id is wrong. */
    public static final class NotFound extends OperationException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /** The action cannot be taken on this message (e.g. a quarantined message with no known office). */
    public static final class Refused extends OperationException {
        public Refused(String message) {
            super(message, null);
        }
    }

    /** The broker failed the action; its transaction was rolled back. Trying again may work. */
    public static final class Failed extends OperationException {
        public Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
