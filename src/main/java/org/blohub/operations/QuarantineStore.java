package org.blohub.operations;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.blohub.alert.Sha256;
import org.blohub.broker.BrokerTopology;
import org.blohub.ingest.JmsIngress;
import org.blohub.office.OfficeRegistry;
import org.blohub.operations.OperatorAudit.Action;
import org.blohub.operations.OperatorAudit.Outcome;
import org.blohub.quarantine.Quarantine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/**
 * The quarantine ({@value Quarantine#QUEUE}) for operators, over plain JMS with the hub's connection factory: bad
 * input kept with its original bytes and reason ({@link Quarantine}: properties bloReason, bloOffice, bloChannel,
 * bloOriginalId, bloItem, bloQuarantinedAt).
 *
 * <p><b>Re-submission</b> puts the input - corrected by the operator, or as it was - back through the whole pipeline
 * as the office's: on the office's own queue {@code blo.inbound.<OFFICE>}, sent by the hub and marked
 * {@link JmsIngress#RESENT_BY} = the operator and {@link JmsIngress#ORIGINAL_ID} = what the office originally sent.
 * The broker stamps the hub as the validated user, which no office can be, so the ingest takes the mark only from the
 * hub and then treats the message as the office's (see {@link JmsIngress}); the office's receipt (ACCEPTED, DUPLICATE
 * or REJECTED again) goes to {@code blo.receipts.<OFFICE>} correlated to the office's original message id, whatever
 * channel the input first came by. Input whose office is not known (e.g. a mail from an unknown sender) cannot be
 * re-submitted: no one may speak for an office the hub cannot name.
 *
 * <p>Re-submit and discard each run in one local JMS transaction (consume by selector, and send), so nothing is lost
 * or doubled. Every inspection and action is audited ({@link OperatorAudit}).
 */
public final class QuarantineStore {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineStore.class);

    /** Which quarantined messages to list; every part optional. */
    public record Filter(String office, String channel) {

        public static final Filter ALL = new Filter(null, null);

        String selector() {
            List<String> parts = new ArrayList<>();
            if (office != null && !office.isBlank()) {
                parts.add("bloOffice = '" + office.replace("'", "''") + "'");
            }
            if (channel != null && !channel.isBlank()) {
                parts.add("bloChannel = '" + channel.replace("'", "''") + "'");
            }
            return parts.isEmpty() ? null : String.join(" AND ", parts);
        }
    }

    /**
     * One quarantined input, as listed.
     *
     * @param id            the API's id ({@link MessageIds#encode} of its JMS id)
     * @param messageId     its JMS message id in the quarantine
     * @param office        the office it came from (null if not known)
     * @param channel       the channel it came by
     * @param originalId    the id of what the office sent (JMS id, Message-ID, file name, API request id)
     * @param item          which item of it was rejected (file#row, a JSON array's #n), if not the whole
     * @param reason        why it was rejected
     * @param quarantinedAt when
     * @param resentBy      the operator who re-submitted it before, when it was rejected again
     * @param bodyBytes     the original bytes' size
     */
    public record Quarantined(String id, String messageId, String office, String channel, String originalId,
                              String item, String reason, String quarantinedAt, String resentBy, long bodyBytes) {
    }

    /** One quarantined input with everything in it. */
    public record Detail(Quarantined quarantined, MessageView message) {
    }

    /** What a re-submission did: {@code id} went to {@code queue} as {@code messageId} for {@code office}. */
    public record Resubmitted(String id, String office, String queue, String messageId, String originalId,
                              boolean corrected, long bodyBytes) {
    }

    private final Jms jms;
    private final OperatorAudit audit;
    private final OfficeRegistry offices;
    private final Duration receiveTimeout;

    public QuarantineStore(ConnectionFactory connectionFactory, OperatorAudit audit, OfficeRegistry offices,
                           Duration receiveTimeout) {
        this.jms = new Jms(connectionFactory);
        this.audit = audit;
        this.offices = offices;
        this.receiveTimeout = receiveTimeout;
    }

    /** The quarantined input, oldest first. */
    public Page<Quarantined> list(Filter filter, int page, int size) {
        long first = Page.first(page, size);
        String selector = (filter == null ? Filter.ALL : filter).selector();
        return jms.read(s -> {
            List<Quarantined> items = new ArrayList<>();
            long n = 0;
            try (QueueBrowser b = s.createBrowser(s.createQueue(Quarantine.QUEUE), selector)) {
                Enumeration<?> e = b.getEnumeration();
                while (e.hasMoreElements()) {
                    Message m = (Message) e.nextElement();
                    if (n >= first && items.size() < size) {
                        items.add(summary(m));
                    }
                    n++;
                }
            }
            return new Page<>(items, page, size, n);
        });
    }

    /** Every header and property, the reason and the original bytes of one quarantined input (audited). */
    public Detail inspect(String id, String operator) {
        Optional<Detail> found = find(id, m -> new Detail(summary(m), JmsMessages.view(m)));
        audit.record(operator, Action.INSPECT_QUARANTINED, Quarantine.QUEUE, jmsId(id), null,
                found.isPresent() ? Outcome.OK : Outcome.NOT_FOUND, found.isPresent() ? null : "no such quarantined message");
        return found.orElseThrow(() -> notFound(id));
    }

    /** The original bytes, exactly as the office sent them (a JMS TextMessage's text as UTF-8) (audited). */
    public byte[] original(String id, String operator) {
        Optional<byte[]> found = find(id, m -> {
            byte[] b = JmsMessages.body(m);
            return b == null ? new byte[0] : b;
        });
        audit.record(operator, Action.READ_QUARANTINED_ORIGINAL, Quarantine.QUEUE, jmsId(id), null,
                found.isPresent() ? Outcome.OK : Outcome.NOT_FOUND,
                found.map(b -> b.length + " bytes").orElse("no such quarantined message"));
        return found.orElseThrow(() -> notFound(id));
    }

    /**
     * Sends the input back through the pipeline as its office's, and takes it out of quarantine, in one transaction.
     *
     * @param corrected the operator's corrected bytes, or null to send the original as it is
     * @param charset   the charset the operator declared for the corrected bytes (then they go as text), or null
     *                  (they go as bytes, read like an office's BytesMessage)
     */
    public Resubmitted resubmit(String id, byte[] corrected, Charset charset, String operator) {
        long row = audit.begin(operator, Action.RESUBMIT_QUARANTINED, Quarantine.QUEUE, jmsId(id), null);
        try {
            // refusals are found out before anything is consumed (a rolled-back receive counts as a delivery attempt)
            if (corrected != null && charset != null) {
                text(corrected, charset).orElseThrow(() -> new OperationException.Refused(
                        "the corrected body is not " + charset.name() + " text"));
            }
            // an input refused by its size was kept without its body: only a corrected one can go
            Optional<String> refusedSize = find(id, q -> {
                officeOf(q);
                return Optional.ofNullable(JmsMessages.string(q, JmsIngress.REFUSED_SIZE));
            }).orElseThrow(() -> notFound(id));
            if (corrected == null && refusedSize.isPresent()) {
                throw new OperationException.Refused("its body (" + refusedSize.get() + ") was refused by its size and not "
                        + "kept: re-submit it with a corrected body");
            }
            Resubmitted r = jms.transacted(s -> {
                Message q = receive(s, id);
                String office = officeOf(q);
                String originalId = JmsMessages.string(q, "bloOriginalId");
                Message out = body(s, q, corrected, charset);
                out.setStringProperty(JmsIngress.RESENT_BY, operator);
                out.setStringProperty(JmsIngress.RESENT_ACTION, "RESUBMIT");
                if (originalId != null) {
                    out.setStringProperty(JmsIngress.ORIGINAL_ID, originalId);
                }
                String queue = BrokerTopology.inbound(office);
                try (MessageProducer p = s.createProducer(s.createQueue(queue))) {
                    p.send(out, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, Message.DEFAULT_TIME_TO_LIVE);
                }
                long size = corrected != null ? corrected.length : JmsMessages.body(q).length;
                return new Resubmitted(id, office, queue, out.getJMSMessageID(), originalId, corrected != null, size);
            });
            finish(row, Outcome.OK, "re-submitted " + (r.corrected() ? "with a corrected body" : "as it was") + " ("
                    + r.bodyBytes() + " bytes" + (r.corrected() ? ", sha256 " + Sha256.hex(corrected) : "") + ") to "
                    + r.queue() + " as " + r.messageId() + " for " + r.office() + ", original id " + r.originalId());
            LOG.info("Operator {} re-submitted quarantined {} to {} as {}", operator, id, r.queue(), r.messageId());
            return r;
        } catch (RuntimeException e) {
            finish(row, DeadLetters.outcome(e), e.getMessage());
            throw e;
        }
    }

    /** Takes the input out of quarantine for good. */
    public void discard(String id, String operator) {
        long row = audit.begin(operator, Action.DISCARD_QUARANTINED, Quarantine.QUEUE, jmsId(id), null);
        try {
            String what = jms.transacted(s -> {
                Message q = receive(s, id);
                return "office " + JmsMessages.string(q, "bloOffice") + ", channel " + JmsMessages.string(q, "bloChannel")
                        + ", original id " + JmsMessages.string(q, "bloOriginalId") + ", reason: "
                        + JmsMessages.string(q, Quarantine.REASON);
            });
            finish(row, Outcome.OK, "discarded (" + what + ")");
            LOG.info("Operator {} discarded quarantined {}", operator, id);
        } catch (RuntimeException e) {
            finish(row, DeadLetters.outcome(e), e.getMessage());
            throw e;
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    /**
     * The message to send: the corrected bytes (as text when the operator declared their charset, else as bytes), or
     * the original as it was (as text when the transport had declared its charset: the ingest reads a TextMessage as
     * that text, so a UTF-8 text is not misread in an office's default charset).
     */
    private static Message body(Session s, Message q, byte[] corrected, Charset charset) throws JMSException {
        byte[] bytes = corrected != null ? corrected : JmsMessages.body(q);
        Charset declared = corrected != null ? charset : charsetOf(JmsMessages.string(q, Quarantine.CHARSET));
        Optional<String> text = declared == null ? Optional.empty() : text(bytes, declared);
        if (text.isPresent()) {
            return s.createTextMessage(text.get());
        }
        // no charset declared (or the original is not text in it): the bytes as they are
        BytesMessage b = s.createBytesMessage();
        b.writeBytes(bytes);
        return b;
    }

    /** The bytes decoded strictly, or empty if they are not text in that charset. */
    private static Optional<String> text(byte[] bytes, Charset charset) {
        try {
            return Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The known office a quarantined input came from, or Refused: no one may speak for an office the hub cannot name. */
    private String officeOf(Message q) throws JMSException {
        String office = JmsMessages.string(q, "bloOffice");
        if (office == null || offices.find(office).isEmpty()) {
            throw new OperationException.Refused("it cannot be re-submitted: "
                    + (office == null ? "the office it came from is not known" : "'" + office + "' is no office")
                    + " (" + JmsMessages.string(q, Quarantine.REASON) + "); discard it instead");
        }
        return office;
    }

    private static Charset charsetOf(String name) {
        try {
            // a declared label (TIS-620) is read as its superset again, as when the item first came in
            return name == null ? null : org.blohub.normalize.TextDecoding.declaredCharset(name).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private interface Read<T> {
        T from(Message m) throws JMSException;
    }

    private <T> Optional<T> find(String id, Read<T> read) {
        Optional<String> jmsId = MessageIds.decode(id);
        if (jmsId.isEmpty()) {
            return Optional.empty();
        }
        return jms.read(s -> {
            try (QueueBrowser b = s.createBrowser(s.createQueue(Quarantine.QUEUE), MessageIds.selector(jmsId.get()))) {
                Enumeration<?> e = b.getEnumeration();
                return e.hasMoreElements() ? Optional.of(read.from((Message) e.nextElement())) : Optional.empty();
            }
        });
    }

    private Message receive(Session s, String id) throws JMSException {
        String jmsId = MessageIds.decode(id).orElseThrow(() -> notFound(id));
        try (MessageConsumer c = s.createConsumer(s.createQueue(Quarantine.QUEUE), MessageIds.selector(jmsId))) {
            Message m = c.receive(receiveTimeout.toMillis());
            if (m == null) {
                throw notFound(id);
            }
            return m;
        }
    }

    private static Quarantined summary(Message m) throws JMSException {
        byte[] body = JmsMessages.body(m);
        return new Quarantined(MessageIds.encode(m.getJMSMessageID()), m.getJMSMessageID(),
                JmsMessages.string(m, "bloOffice"), JmsMessages.string(m, "bloChannel"),
                JmsMessages.string(m, "bloOriginalId"), JmsMessages.string(m, "bloItem"),
                JmsMessages.string(m, Quarantine.REASON), JmsMessages.string(m, "bloQuarantinedAt"),
                JmsMessages.string(m, JmsIngress.RESENT_BY), body == null ? 0 : body.length);
    }

    private void finish(long row, Outcome outcome, String detail) {
        try {
            audit.finish(row, outcome, null, detail);
        } catch (RuntimeException e) {
            LOG.error("Could not complete audit row {} ({}: {})", row, outcome, detail, e);
        }
    }

    private static String jmsId(String id) {
        return MessageIds.decode(id).orElse(id);
    }


    private static OperationException.NotFound notFound(String id) {
        return new OperationException.NotFound("no quarantined message " + id);
    }
}
