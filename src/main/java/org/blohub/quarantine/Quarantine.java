package org.blohub.quarantine;

import org.blohub.ingest.Inbound;
import org.blohub.normalize.Outcome;

import java.util.stream.Collectors;

/**
 * Bad input is kept, never lost (DESIGN §7): {@code hub.quarantine} gets the original bytes with the
 * reason, the office, the channel and the original id as message properties.
 */
public final class Quarantine {

    public static final String QUEUE = "hub.quarantine";
    public static final String REASON = "bloReason";

    /** The quarantine message: the original bytes, with why and whence as properties. */
    public void message(Outcome.Rejected rejected, org.apache.camel.Exchange exchange) {
        Inbound inbound = exchange.getProperty(Inbound.PROPERTY, Inbound.class);
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(inbound.raw());
        m.setHeader(REASON, reason(rejected));
        m.setHeader("bloOffice", inbound.office());
        m.setHeader("bloChannel", inbound.channel().name());
        m.setHeader("bloOriginalId", inbound.originalId());
        if (rejected.originalId() != null) {
            m.setHeader("bloItem", rejected.originalId());
        }
        m.setHeader("bloQuarantinedAt", java.time.Instant.now().toString());
    }

    /** The reason in one line, for the quarantine listing: every problem, with its place. */
    public String reason(Outcome.Rejected rejected) {
        return rejected.problems().stream()
                .map(p -> (p.at().known() ? p.at() + ": " : "") + p.text())
                .collect(Collectors.joining("; "));
    }
}
