package org.blohub.ingest;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.blohub.alert.Alert.Channel;
import org.blohub.alert.CleanText;
import org.blohub.broker.Credentials;
import org.blohub.broker.MessageSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Takes an office's JMS message in, its size checked before its body is read ({@link MessageSize}: a BytesMessage's
 * length, a TextMessage's chars, both from the encoded body's size, which Artemis knows without loading a large
 * message): above {@value MessageSize#SETTING} it is refused with a REJECTED receipt naming the size and the limit,
 * and quarantined without its body (docs/faults.md). The broker refuses such sends from offices already
 * ({@code InboundSizeLimit}); this holds for the rest (the hub's own re-sends, an external broker). Then: the office
 * is the queue's owner, which the broker lets no one else send to, and which must match the broker-validated user
 * when the broker stamps it. The body is read raw (a BytesMessage's bytes, a TextMessage's text as UTF-8); an
 * ObjectMessage or any other kind is never deserialized, only quarantined. Every inbound header is dropped: nothing a sender
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
    /**
     * The size of a message refused by its size, whose body was not read ("N bytes"): an exchange property here, a
     * property of its quarantine entry after.
     */
    public static final String REFUSED_SIZE = "bloRefusedSize";
    private static final Logger LOG = LoggerFactory.getLogger(JmsIngress.class);

    private final long maxDocumentBytes;

    public JmsIngress(long maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
    }

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
                originalId = CleanText.escape(original);
            }
            exchange.setProperty(RESENT_BY, CleanText.escape(resentBy));
        }
        byte[] raw = new byte[0];
        java.nio.charset.Charset charset = null;
        String refused = null;
        if (m instanceof BytesMessage b) {
            long size = b.getBodyLength();
            if (MessageSize.over(size, maxDocumentBytes)) {
                refused = refuse(exchange, size, false, size + " bytes");
            } else {
                raw = new byte[(int) size];
                b.readBytes(raw);
            }
        } else if (m instanceof TextMessage t) {
            charset = StandardCharsets.UTF_8;
            long chars = textChars(m);
            if (MessageSize.over(chars, maxDocumentBytes)) {
                refused = refuse(exchange, chars, true, chars + " characters");
            } else {
                String text = t.getText();
                raw = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
                if (MessageSize.over(raw.length, maxDocumentBytes)) {
                    // read, and bounded (at most the limit in chars): refused by its UTF-8 length, kept whole
                    refused = MessageSize.refusal(raw.length, false, maxDocumentBytes);
                }
            }
        } else {
            refused = m.getClass().getSimpleName()
                    + ": only TextMessage and BytesMessage are accepted (ObjectMessage never)";
        }
        if (refused != null) {
            exchange.setProperty(UNREADABLE_KIND, refused);
        }
        if (!sender.equals(office)) {
            exchange.setProperty(UNREADABLE_KIND, "sent by '" + CleanText.escape(sender) + "' to the queue of " + office);
        }
        if (exchange.getProperty(REFUSED_SIZE) != null) {
            LOG.warn("Refused JMS message {} from {} unread: {}", CleanText.escape(originalId), CleanText.escape(office),
                    exchange.getProperty(UNREADABLE_KIND));
        }
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(raw);
        exchange.setProperty(Inbound.PROPERTY, new Inbound(office, Channel.JMS, originalId, raw, charset, null));
    }

    private String refuse(Exchange exchange, long measure, boolean text, String size) {
        exchange.setProperty(REFUSED_SIZE, size);
        return MessageSize.refusal(measure, text, maxDocumentBytes) + "; its body was not read";
    }

    /** A TextMessage's chars from its encoded body's size (a large message's size as the broker announced it). */
    private static long textChars(Message m) throws JMSException {
        if (!(m instanceof ActiveMQMessage a)) {
            return 0;
        }
        ClientMessage core = a.getCoreMessage();
        long body = core.containsProperty(org.apache.activemq.artemis.api.core.Message.HDR_LARGE_BODY_SIZE)
                ? core.getLongProperty(org.apache.activemq.artemis.api.core.Message.HDR_LARGE_BODY_SIZE)
                : core.getBodySize();
        return MessageSize.textChars(body);
    }
}
