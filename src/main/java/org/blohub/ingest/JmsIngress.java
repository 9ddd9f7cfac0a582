package org.blohub.ingest;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.blohub.alert.Alert.Channel;
import org.blohub.broker.Credentials;

import java.nio.charset.StandardCharsets;

/**
 * Takes an office's JMS message in: the office is the queue's owner, which the broker lets no one
 * else send to, and which must match the broker-validated user when the broker stamps it. The body
 * is read raw (a BytesMessage's bytes, a TextMessage's text as UTF-8); an ObjectMessage or any other
 * kind is never deserialized, only quarantined. Every inbound header is dropped: nothing a sender
 * sets (a {@code Camel*} header in any letter case included) reaches a later stage.
 */
public final class JmsIngress implements Processor {

    /** Artemis' {@code populateValidatedUser}: the authenticated user who sent the message. */
    static final String VALIDATED_USER = "_AMQ_VALIDATED_USER";
    /** A message kind the hub does not read; its reason is the first thing the intake reports. */
    public static final String UNREADABLE_KIND = "bloUnreadableKind";
    /** Set by the hub on a message it re-sends for an office: the operator who replayed or re-submitted it. */
    public static final String RESENT_BY = "bloResentBy";
    /** With {@link #RESENT_BY}: REPLAY or RESUBMIT. */
    public static final String RESENT_ACTION = "bloResentAction";
    /** With {@link #RESENT_BY}: the id of the message the office originally sent (receipts correlate to it). */
    public static final String ORIGINAL_ID = "bloOriginalId";

    @Override
    public void process(Exchange exchange) throws JMSException {
        Message m = exchange.getIn(JmsMessage.class).getJmsMessage();
        String office = exchange.getProperty("bloOffice", String.class);
        String validated = m.getStringProperty(VALIDATED_USER);
        String sender = validated != null ? validated : office;
        String originalId = m.getJMSMessageID();
        // operations (issue 5): the hub re-sending an office's message for an operator (see the class comment)
        String resentBy = Credentials.HUB.equals(validated) ? m.getStringProperty(RESENT_BY) : null;
        if (resentBy != null && !resentBy.isBlank()) {
            sender = office;
            String original = m.getStringProperty(ORIGINAL_ID);
            if (original != null && !original.isBlank()) {
                originalId = original;
            }
            exchange.setProperty(RESENT_BY, resentBy);
        }
        byte[] raw;
        java.nio.charset.Charset charset = null;
        if (m instanceof BytesMessage b) {
            raw = new byte[(int) b.getBodyLength()];
            b.readBytes(raw);
        } else if (m instanceof TextMessage t) {
            String text = t.getText();
            raw = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
            charset = StandardCharsets.UTF_8;
        } else {
            raw = new byte[0];
            exchange.setProperty(UNREADABLE_KIND, m.getClass().getSimpleName()
                    + ": only TextMessage and BytesMessage are accepted (ObjectMessage never)");
        }
        if (!sender.equals(office)) {
            exchange.setProperty(UNREADABLE_KIND, "sent by '" + sender + "' to the queue of " + office);
        }
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(raw);
        exchange.setProperty(Inbound.PROPERTY, new Inbound(office, Channel.JMS, originalId, raw, charset, null));
    }
}
