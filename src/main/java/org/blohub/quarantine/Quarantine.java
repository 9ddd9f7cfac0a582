package org.blohub.quarantine;

import org.blohub.ingest.Inbound;
import org.blohub.normalize.Outcome;

import java.util.stream.Collectors;

/**
 * Bad input is kept, never lost (DESIGN §7): {@code hub.quarantine} gets the original bytes with the
 * reason, the office, the channel and the original id as message properties. A message refused by its size
 * is kept without its body, which was never read: its size is property
 * {@value org.blohub.ingest.JmsIngress#REFUSED_SIZE}.
 */
public final class Quarantine {

    public static final String QUEUE = "hub.quarantine";
    public static final String REASON = "bloReason";
    /** The charset the transport declared for the original bytes (a JMS TextMessage's: UTF-8), when it declared one. */
    public static final String CHARSET = "bloCharset";

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
        // operations (issue 5): what re-submitting it as is needs, and who re-submitted it if it came back again
        if (inbound.charset() != null) {
            m.setHeader(CHARSET, inbound.charset().name());
        }
        String refusedSize = exchange.getProperty(org.blohub.ingest.JmsIngress.REFUSED_SIZE, String.class);
        if (refusedSize != null) {
            m.setHeader(org.blohub.ingest.JmsIngress.REFUSED_SIZE, refusedSize);
        }
        String resentBy = exchange.getProperty(org.blohub.ingest.JmsIngress.RESENT_BY, String.class);
        if (resentBy != null) {
            m.setHeader(org.blohub.ingest.JmsIngress.RESENT_BY, resentBy);
        }
    }

    /** The reason in one line, for the quarantine listing: every problem, with its place. */
    public String reason(Outcome.Rejected rejected) {
        return rejected.problems().stream()
                .map(p -> (p.at().known() ? p.at() + ": " : "") + p.text())
                .collect(Collectors.joining("; "));
    }
}
