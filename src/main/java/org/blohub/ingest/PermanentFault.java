package org.blohub.ingest;

import org.blohub.normalize.Problem;

import java.util.Optional;

/**
 * A failure no retry can fix: the input, or what the hub must make of it, is wrong in itself (invalid content, a
 * rendering that cannot be made from this alert, a kind or size the hub does not take). A stage throws it; the routes
 * catch it by this type and reject the alert at once, quarantined with a REJECTED receipt naming {@link #problem()},
 * instead of rolling back for a redelivery that would fail the same way. Every other exception is transient (a
 * broker, database or server down, a lock): rolled back and retried, then dead-lettered (docs/faults.md).
 */
public class PermanentFault extends RuntimeException {

    private final String field;

    /** @param field the field or aspect at fault ({@code rendering}, {@code headline}); "" when none */
    public PermanentFault(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field == null ? "" : field;
    }

    public String field() {
        return field;
    }

    /** What the office is told, in its REJECTED receipt. */
    public Problem problem() {
        return Problem.of(field, getMessage());
    }

    /** The permanent fault in {@code failure}'s cause chain, if there is one: then no retry can help. */
    public static Optional<PermanentFault> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentFault p) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code failure} is permanent (rejected at once) rather than transient (retried). */
    public static boolean isPermanent(Throwable failure) {
        return in(failure).isPresent();
    }
}
