package org.blohub.normalize;

import org.blohub.alert.Alert;

import java.util.List;

/** What normalizing one draft gave: an alert, or the problems that keep it out. */
public sealed interface Outcome {

    /** The office's own reference, when it could be read (for receipts), else null. */
    String sourceRef();

    record Accepted(Alert alert) implements Outcome {
        @Override
        public String sourceRef() {
            return alert.sourceRef();
        }
    }

    /** Problems are in input order; {@code office} is the office id when known. */
    record Rejected(String sourceRef, String office, String originalId, Position at, List<Problem> problems)
            implements Outcome {
    }
}
