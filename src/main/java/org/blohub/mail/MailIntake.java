package org.blohub.mail;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Handler;
import org.blohub.alert.Alert.Channel;
import org.blohub.delivery.Deliveries;
import org.blohub.ingest.Inbound;
import org.blohub.ingest.JmsIngress;
import org.blohub.quarantine.Quarantine;

import java.time.Instant;
import java.util.List;

/**
 * The mail's steps inside its transaction (routes/mail.camel.yaml): each part handed to {@code direct:normalize} as an
 * {@link Inbound} of channel EMAIL whose receipts are kept for the one reply, or the whole mail to quarantine.
 */
public final class MailIntake {

    /** The parts to read, in mail order. */
    @Handler
    public List<MailPart> parts(@ExchangeProperty(MailJob.PROPERTY) MailJob job) {
        return job.parts();
    }

    /**
     * Prepares one part for {@code direct:normalize}: its {@link Inbound} (the office the sender belongs to, the part's
     * original id, bytes and declared charset; receipts kept in the part), or the reason it cannot be read at all.
     */
    public void part(MailPart part, Exchange exchange) {
        MailJob job = exchange.getProperty(MailJob.PROPERTY, MailJob.class);
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(part.bytes());
        exchange.setProperty(Inbound.PROPERTY, new Inbound(job.office().id(), Channel.EMAIL, part.originalId(),
                part.bytes(), part.charset(), part.receipts()));
        if (part.refusal() != null) {
            exchange.setProperty(JmsIngress.UNREADABLE_KIND, part.label() + ": " + part.refusal());
        } else {
            exchange.removeProperty(JmsIngress.UNREADABLE_KIND);
        }
    }

    /**
     * The quarantine message for a mail refused as a whole: its bytes as they came, the reason, and whence. Carries a
     * broker duplicate id, so a mail read again after a crash is not kept twice.
     */
    public void quarantine(Exchange exchange) {
        MailJob job = exchange.getProperty(MailJob.PROPERTY, MailJob.class);
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(job.raw());
        m.setHeader(Quarantine.REASON, job.refusal());
        if (job.office() != null && job.senderProven()) {
            m.setHeader("bloOffice", job.office().id()); // a mail whose sender is not proven is no office's
        }
        if (job.from() != null) {
            m.setHeader("bloSender", job.from());
        }
        m.setHeader("bloChannel", Channel.EMAIL.name());
        m.setHeader("bloOriginalId", job.originalId());
        m.setHeader("bloQuarantinedAt", Instant.now().toString());
        m.setHeader(Deliveries.DUPLICATE_ID, "mail-quarantine:" + job.key());
        exchange.removeProperty(Deliveries.DESTINATION);
    }
}
