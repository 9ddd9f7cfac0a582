package org.blohub.ingest;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.JmsMessage;
import org.blohub.alert.Alert.Channel;

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

    @Override
    public void process(Exchange exchange) throws JMSException {
        Message m = exchange.getIn(JmsMessage.class).getJmsMessage();
        String office = exchange.getProperty("bloOffice", String.class);
        String validated = m.getStringProperty(VALIDATED_USER);
        String sender = validated != null ? validated : office;
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
        exchange.setProperty(Inbound.PROPERTY, new Inbound(office, Channel.JMS, m.getJMSMessageID(), raw, charset, null));
    }
}
