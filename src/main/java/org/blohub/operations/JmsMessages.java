package org.blohub.operations;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Reading and copying JMS messages for operators; an ObjectMessage is never deserialized. */
final class JmsMessages {

    /** Artemis' duplicate-detection property (same as org.blohub.delivery.Deliveries.DUPLICATE_ID). */
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Stamped by Artemis on a dead-lettered (or expired) copy. */
    static final String ORIGINAL_ADDRESS = "_AMQ_ORIG_ADDRESS";
    static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    static final String VALIDATED_USER = "_AMQ_VALIDATED_USER";
    /** Broker-internal properties: never copied onto a message the hub sends. */
    static final String BROKER_INTERNAL_PREFIX = "_AMQ_";

    private JmsMessages() {
    }

    static MessageView view(Message m) throws JMSException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("JMSMessageID", m.getJMSMessageID());
        headers.put("JMSTimestamp", m.getJMSTimestamp() == 0 ? null : Instant.ofEpochMilli(m.getJMSTimestamp()).toString());
        headers.put("JMSCorrelationID", m.getJMSCorrelationID());
        headers.put("JMSType", m.getJMSType());
        headers.put("JMSDeliveryMode", m.getJMSDeliveryMode());
        headers.put("JMSPriority", m.getJMSPriority());
        headers.put("JMSRedelivered", m.getJMSRedelivered());
        headers.put("JMSExpiration", m.getJMSExpiration());
        headers.put("JMSDestination", name(m.getJMSDestination()));
        headers.put("JMSReplyTo", name(m.getJMSReplyTo()));
        byte[] body = body(m);
        String text = m instanceof TextMessage t ? t.getText() : body == null ? null : new String(body, StandardCharsets.UTF_8);
        return new MessageView(headers, properties(m), kind(m), body == null ? 0 : body.length, text, body);
    }

    /** Every property, sorted by name; binary values as base64. */
    static Map<String, Object> properties(Message m) throws JMSException {
        Map<String, Object> props = new TreeMap<>();
        for (Object n : Collections.list(m.getPropertyNames())) {
            String name = n.toString();
            props.put(name, value(m.getObjectProperty(name)));
        }
        return props;
    }

    /** A property as a string (binary as UTF-8), or null. */
    static String string(Message m, String name) throws JMSException {
        Object v = m.getObjectProperty(name);
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return v == null ? null : v.toString();
    }

    /** The body's bytes (a TextMessage's text as UTF-8); null for a message without a readable body. */
    static byte[] body(Message m) throws JMSException {
        if (m instanceof BytesMessage b) {
            b.reset();
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            b.reset();
            return bytes;
        }
        if (m instanceof TextMessage t) {
            return t.getText() == null ? new byte[0] : t.getText().getBytes(StandardCharsets.UTF_8);
        }
        return null;
    }

    static String kind(Message m) {
        if (m instanceof TextMessage) {
            return "Text";
        }
        if (m instanceof BytesMessage) {
            return "Bytes";
        }
        for (Class<?> c : m.getClass().getInterfaces()) {
            if (c.getName().startsWith("jakarta.jms.") && !c.equals(Message.class)) {
                return c.getSimpleName().replace("Message", "");
            }
        }
        return "Message";
    }

    /**
     * A new message with the same body, correlation id, type and user properties as {@code m}: the broker's own
     * {@code _AMQ_*} properties (duplicate id, validated user, original address, ...) and {@code JMSX*} are not
     * copied. Only Text, Bytes and body-less messages can be copied; anything else is refused.
     */
    static Message copy(Session s, Message m) throws JMSException {
        Message copy;
        if (m instanceof TextMessage t) {
            copy = s.createTextMessage(t.getText());
        } else if (m instanceof BytesMessage) {
            BytesMessage b = s.createBytesMessage();
            b.writeBytes(body(m));
            copy = b;
        } else if ("Message".equals(kind(m))) {
            copy = s.createMessage();
        } else {
            throw new OperationException.Refused("a " + kind(m) + "Message cannot be replayed (only Text and Bytes)");
        }
        copy.setJMSCorrelationID(m.getJMSCorrelationID());
        copy.setJMSType(m.getJMSType());
        for (Object n : Collections.list(m.getPropertyNames())) {
            String name = n.toString();
            if (!name.startsWith(BROKER_INTERNAL_PREFIX) && !name.startsWith("JMSX")) {
                copy.setObjectProperty(name, m.getObjectProperty(name));
            }
        }
        return copy;
    }

    private static Object value(Object v) {
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return v instanceof Number || v instanceof Boolean || v == null ? v : v.toString();
    }

    private static String name(Destination d) {
        return d == null ? null : d.toString();
    }
}
