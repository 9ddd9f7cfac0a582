package org.blohub.operations;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.ingest.JmsIngress;
import org.blohub.operations.OperatorAudit.Action;
import org.blohub.operations.OperatorAudit.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Dead letters for operators, over plain JMS with the hub's connection factory (the same on the embedded broker and
 * an external one).
 *
 * <p>A delivery the broker could not hand over after its retries (every attempt rolled back, up to
 * {@code max-delivery-attempts}) is moved to {@code DLQ.<queue>} on the address {@value BrokerTopology#DEAD_LETTER_ADDRESS}
 * ({@link BrokerTopology#deadLettersFqqn}), stamped {@code _AMQ_ORIG_ADDRESS}/{@code _AMQ_ORIG_QUEUE}. The queues
 * that can dead-letter are found by asking the broker's management address which queues the dead-letter address has
 * (any queue of the hub: agency.&lt;ID&gt;, hub.outbox.&lt;ID&gt;, blo.inbound.&lt;OFFICE&gt;, the mail replies, ...);
 * should the broker not answer, the hub's known queues are looked at instead.
 *
 * <p>Replay and discard each run in one local JMS transaction: the dead letter is consumed by selector and (replay)
 * its copy sent to the original queue, and both commit together or neither does, so nothing is lost or doubled; two
 * operators acting on one dead letter at once cannot both succeed (the second finds nothing).
 *
 * <p><b>Duplicate ids.</b> A delivery carries the broker's duplicate id {@code _AMQ_DUPL_ID} ({@code alertId:agency}),
 * and the broker remembers the ids an address has seen (100,000 per address): a replay under the same id would be
 * dropped (or, in a transaction, roll the whole transaction back). So a replay goes out under a fresh id,
 * {@code <id>:replay:<n>}, where {@code <id>} is the first delivery's id and {@code n} counts this delivery's replays
 * ({@value #REPLAYS}): the second replay of the same delivery is {@code :replay:2}. Two copies of one replay can still
 * not both get through.
 *
 * <p><b>An office's own message</b> (a dead letter of {@code blo.inbound.<OFFICE>}) goes back marked as the hub's
 * re-send for the office ({@link JmsIngress#RESENT_BY} = the operator, {@link JmsIngress#ORIGINAL_ID} = the office's
 * message id), so the ingest takes it as the office's and its receipt correlates to what the office sent.
 *
 * <p>Every inspection and action is audited ({@link OperatorAudit}).
 */
public final class DeadLetters {

    /** How often this delivery was replayed (set on the replayed copy). */
    public static final String REPLAYS = "bloReplays";
    /** The error of the last failed attempt, when a consumer recorded one on the message. */
    public static final String LAST_ERROR = "bloLastError";
    static final String MANAGEMENT_ADDRESS = "activemq.management";
    private static final Pattern REPLAY_SUFFIX = Pattern.compile(":replay:\\d+$");
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Which dead letters to list; every part optional (null: any). */
    public record Filter(String queue, String agency, String office) {

        public static final Filter ALL = new Filter(null, null, null);

        boolean matches(String originalQueue) {
            return (blank(queue) || queue.equals(originalQueue))
                    && (blank(agency) || originalQueue.equals(BrokerTopology.agency(agency))
                    || originalQueue.equals(BrokerTopology.outbox(agency)))
                    && (blank(office) || originalQueue.equals(BrokerTopology.inbound(office)));
        }
    }

    /**
     * One dead letter, as listed.
     *
     * @param id              the API's id ({@link MessageIds#deadLetter}); null if the message has no JMS id
     * @param queue           the queue it failed on
     * @param deadLetterQueue where it is now ({@code DLA::DLQ.<queue>})
     * @param messageId       its JMS message id
     * @param alertId         the alert it carries (a delivery), or null
     * @param agency          the agency it was for (a delivery), or null
     * @param office          the office it came from (an office's inbound message), or null
     * @param duplicateId     the broker duplicate id it carries, or null
     * @param sentAt          when it was first sent
     * @param replays         how often it was replayed before
     * @param reason          why it is here
     * @param bodyBytes       its body's size
     */
    public record DeadLetter(String id, String queue, String deadLetterQueue, String messageId, String alertId,
                             String agency, String office, String duplicateId, Instant sentAt, int replays,
                             String reason, long bodyBytes) {
    }

    /** One dead letter with everything in it. */
    public record Detail(DeadLetter deadLetter, MessageView message) {
    }

    /** What a replay did: the dead letter {@code id} went to {@code queue} as {@code messageId}. */
    public record Replayed(String id, String queue, String messageId, String alertId, String duplicateId, int replay) {
    }

    private final Jms jms;
    private final OperatorAudit audit;
    private final Supplier<Collection<String>> knownQueues;
    private final Duration receiveTimeout;

    /**
     * @param knownQueues    the hub's queues that can dead-letter, looked at when the broker's management does not answer
     * @param receiveTimeout how long to wait for a dead letter the browser saw to be handed to the consumer
     */
    public DeadLetters(jakarta.jms.ConnectionFactory connectionFactory, OperatorAudit audit,
                       Supplier<Collection<String>> knownQueues, Duration receiveTimeout) {
        this.jms = new Jms(connectionFactory);
        this.audit = audit;
        this.knownQueues = knownQueues;
        this.receiveTimeout = receiveTimeout;
    }

    /** The dead letters, queue by queue (sorted by name), oldest first in each. */
    public Page<DeadLetter> list(Filter filter, int page, int size) {
        long first = Page.first(page, size);
        Filter f = filter == null ? Filter.ALL : filter;
        return jms.read(s -> {
            List<DeadLetter> items = new ArrayList<>();
            long n = 0;
            for (String queue : deadLetteredQueues(s)) {
                if (!f.matches(queue)) {
                    continue;
                }
                QueueBrowser browser = browser(s, queue, null);
                if (browser == null) {
                    continue;
                }
                try (browser) {
                    Enumeration<?> e = browser.getEnumeration();
                    while (e.hasMoreElements()) {
                        Message m = (Message) e.nextElement();
                        if (n >= first && items.size() < size) {
                            items.add(summary(queue, m));
                        }
                        n++;
                    }
                }
            }
            return new Page<>(items, page, size, n);
        });
    }

    /** Every header and property and the body of one dead letter (audited: an operator read an alert). */
    public Detail inspect(String id, String operator) {
        Optional<String[]> parsed = MessageIds.decodeDeadLetter(id);
        if (parsed.isEmpty()) {
            audit.record(operator, Action.INSPECT_DEAD_LETTER, null, id, null, Outcome.NOT_FOUND, "not a dead letter id");
            throw notFound(id);
        }
        String[] qm = parsed.get();
        Optional<Detail> found = jms.read(s -> {
            QueueBrowser browser = browser(s, qm[0], MessageIds.selector(qm[1]));
            if (browser == null) {
                return Optional.empty();
            }
            try (browser) {
                Enumeration<?> e = browser.getEnumeration();
                if (!e.hasMoreElements()) {
                    return Optional.empty();
                }
                Message m = (Message) e.nextElement();
                return Optional.of(new Detail(summary(qm[0], m), JmsMessages.view(m)));
            }
        });
        audit.record(operator, Action.INSPECT_DEAD_LETTER, qm[0], qm[1],
                found.map(d -> d.deadLetter().alertId()).orElse(null), found.isPresent() ? Outcome.OK : Outcome.NOT_FOUND,
                found.isPresent() ? null : "no such dead letter");
        return found.orElseThrow(() -> notFound(id));
    }

    /**
     * Puts the dead letter back on its original queue under a fresh duplicate id, and takes it off the dead-letter
     * queue, in one transaction.
     */
    public Replayed replay(String id, String operator) {
        String[] alertId = new String[1];
        long row = begin(operator, Action.REPLAY_DEAD_LETTER, id);
        try {
            String[] qm = decode(id);
            String queue = qm[0];
            Replayed r = jms.transacted(s -> {
                Message m = receive(s, queue, qm[1], id);
                alertId[0] = JmsMessages.string(m, "bloAlertId");
                String target = target(queue, m);
                Message copy = JmsMessages.copy(s, m);
                int replay = replays(m) + 1;
                copy.setIntProperty(REPLAYS, replay);
                String duplicateId = JmsMessages.string(m, JmsMessages.DUPLICATE_ID);
                String fresh = duplicateId == null ? null
                        : REPLAY_SUFFIX.matcher(duplicateId).replaceFirst("") + ":replay:" + replay;
                if (fresh != null) {
                    copy.setStringProperty(JmsMessages.DUPLICATE_ID, fresh);
                }
                if (queue.startsWith(BrokerTopology.INBOUND_PREFIX)) {
                    copy.setStringProperty(JmsIngress.RESENT_BY, operator);
                    copy.setStringProperty(JmsIngress.RESENT_ACTION, "REPLAY");
                    copy.setStringProperty(JmsIngress.ORIGINAL_ID, officeOriginalId(m));
                }
                try (MessageProducer p = s.createProducer(s.createQueue(target))) {
                    p.send(copy, DeliveryMode.PERSISTENT, m.getJMSPriority(), Message.DEFAULT_TIME_TO_LIVE);
                }
                return new Replayed(id, target, copy.getJMSMessageID(), alertId[0], fresh, replay);
            });
            finish(row, Outcome.OK, r.alertId(), "replayed to " + r.queue() + " as " + r.messageId()
                    + (r.duplicateId() == null ? "" : " with duplicate id " + r.duplicateId()));
            LOG.info("Operator {} replayed dead letter {} to {} as {}", operator, id, r.queue(), r.messageId());
            return r;
        } catch (OperationException.Failed e) {
            if (isDuplicate(e)) {
                var refused = new OperationException.Refused("the broker already took a replay of this delivery under "
                        + "the same duplicate id: nothing was sent and the dead letter is kept; discard it if the "
                        + "recipient has the message");
                finish(row, Outcome.REFUSED, alertId[0], refused.getMessage());
                throw refused;
            }
            finish(row, Outcome.FAILED, alertId[0], e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            finish(row, outcome(e), alertId[0], e.getMessage());
            throw e;
        }
    }

    /** Takes the dead letter off its dead-letter queue for good. */
    public void discard(String id, String operator) {
        String[] alertId = new String[1];
        long row = begin(operator, Action.DISCARD_DEAD_LETTER, id);
        try {
            String[] qm = decode(id);
            String reason = jms.transacted(s -> {
                Message m = receive(s, qm[0], qm[1], id);
                alertId[0] = JmsMessages.string(m, "bloAlertId");
                return reason(qm[0], m);
            });
            finish(row, Outcome.OK, alertId[0], "discarded from " + BrokerTopology.deadLettersFqqn(qm[0]) + "; it was "
                    + reason);
            LOG.info("Operator {} discarded dead letter {} (alert {})", operator, id, alertId[0]);
        } catch (RuntimeException e) {
            finish(row, outcome(e), alertId[0], e.getMessage());
            throw e;
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    /** The queues whose dead-letter queue exists, by their own name (not {@code DLQ.}), sorted. */
    List<String> deadLetteredQueues(Session s) throws JMSException {
        Optional<List<String>> asked = askBroker(s);
        if (asked.isPresent()) {
            return asked.get();
        }
        TreeSet<String> existing = new TreeSet<>();
        for (String q : knownQueues.get()) {
            QueueBrowser b = browser(s, q, null);
            if (b != null) {
                b.close();
                existing.add(q);
            }
        }
        return List.copyOf(existing);
    }

    /** The queue names of the dead-letter address, by the broker's management address; empty if it does not answer. */
    private Optional<List<String>> askBroker(Session s) {
        TemporaryQueue reply = null;
        try {
            reply = s.createTemporaryQueue();
            try (MessageProducer p = s.createProducer(s.createQueue(MANAGEMENT_ADDRESS));
                 MessageConsumer c = s.createConsumer(reply)) {
                Message request = s.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.ADDRESS + BrokerTopology.DEAD_LETTER_ADDRESS,
                        "queueNames");
                request.setJMSReplyTo(reply);
                p.send(request);
                Message answer = c.receive(receiveTimeout.toMillis());
                if (answer == null || !JMSManagementHelper.hasOperationSucceeded(answer)) {
                    LOG.debug("The broker's management did not list {}: {}", BrokerTopology.DEAD_LETTER_ADDRESS,
                            answer == null ? "no answer" : JMSManagementHelper.getResult(answer));
                    return Optional.empty();
                }
                Object result = JMSManagementHelper.getResult(answer);
                TreeSet<String> queues = new TreeSet<>();
                if (result instanceof Object[] names) {
                    for (Object n : names) {
                        String name = String.valueOf(n);
                        if (name.startsWith(BrokerTopology.DEAD_LETTER_PREFIX)) {
                            queues.add(name.substring(BrokerTopology.DEAD_LETTER_PREFIX.length()));
                        }
                    }
                }
                return Optional.of(List.copyOf(queues));
            }
        } catch (Exception e) {
            LOG.debug("The broker's management could not be asked for the dead-letter queues", e);
            return Optional.empty();
        } finally {
            if (reply != null) {
                try {
                    reply.delete();
                } catch (JMSException ignored) {
                    // the temporary queue goes with the connection anyway
                }
            }
        }
    }

    /** A browser on the dead-letter queue of {@code queue}, or null when that queue does not exist. */
    private static QueueBrowser browser(Session s, String queue, String selector) throws JMSException {
        jakarta.jms.Queue dlq = deadLetterQueue(s, queue);
        return dlq == null ? null : s.createBrowser(dlq, selector);
    }

    /**
     * The dead-letter queue of {@code queue}, or null when it does not exist (the broker creates it with the first
     * dead letter). Artemis' JMS client checks a fully qualified queue's existence when it is named, and says so with
     * a plain JMSException ("There is no queue with name ...").
     */
    private static jakarta.jms.Queue deadLetterQueue(Session s, String queue) throws JMSException {
        try {
            return s.createQueue(BrokerTopology.deadLettersFqqn(queue));
        } catch (jakarta.jms.InvalidDestinationException e) {
            return null;
        } catch (JMSException e) {
            if (String.valueOf(e.getMessage()).contains("no queue")) {
                return null;
            }
            throw e;
        }
    }

    /** Receives exactly this dead letter in the session's transaction, or throws NotFound. */
    private Message receive(Session s, String queue, String jmsMessageId, String id) throws JMSException {
        jakarta.jms.Queue dlq = deadLetterQueue(s, queue);
        if (dlq == null) {
            throw notFound(id);
        }
        try (MessageConsumer c = s.createConsumer(dlq, MessageIds.selector(jmsMessageId))) {
            Message m = c.receive(receiveTimeout.toMillis());
            if (m == null) {
                throw notFound(id);
            }
            return m;
        }
    }

    private DeadLetter summary(String queue, Message m) throws JMSException {
        String agency = JmsMessages.string(m, "bloAgency");
        if (agency == null && queue.startsWith(BrokerTopology.AGENCY_PREFIX)) {
            agency = queue.substring(BrokerTopology.AGENCY_PREFIX.length());
        } else if (agency == null && queue.startsWith(BrokerTopology.OUTBOX_PREFIX)) {
            agency = queue.substring(BrokerTopology.OUTBOX_PREFIX.length());
        }
        String office = queue.startsWith(BrokerTopology.INBOUND_PREFIX)
                ? queue.substring(BrokerTopology.INBOUND_PREFIX.length()) : null;
        byte[] body = JmsMessages.body(m);
        return new DeadLetter(MessageIds.deadLetter(queue, m.getJMSMessageID()), queue,
                BrokerTopology.deadLettersFqqn(queue), m.getJMSMessageID(), JmsMessages.string(m, "bloAlertId"), agency,
                office, JmsMessages.string(m, JmsMessages.DUPLICATE_ID),
                m.getJMSTimestamp() == 0 ? null : Instant.ofEpochMilli(m.getJMSTimestamp()), replays(m), reason(queue, m),
                body == null ? 0 : body.length);
    }

    /**
     * Why it is here. The broker records no error when it dead-letters (only that the attempts ran out); a consumer
     * may have recorded the last one in {@value #LAST_ERROR}.
     */
    static String reason(String queue, Message m) throws JMSException {
        String lastError = JmsMessages.string(m, LAST_ERROR);
        return "not delivered: every attempt to take it from " + queue + " failed and was rolled back, up to the broker's "
                + "maximum delivery attempts (the hub's log names the error of each)"
                + (lastError == null ? "" : "; last error: " + lastError);
    }

    /** The queue to replay to: the dead letter's original queue (by its full name if its address differs). */
    private static String target(String queue, Message m) throws JMSException {
        String address = JmsMessages.string(m, JmsMessages.ORIGINAL_ADDRESS);
        return address == null || address.equals(queue) ? queue : address + "::" + queue;
    }

    /**
     * The id of what the office originally sent: the dead letter's own JMS id (a dead-lettered copy keeps it), or,
     * when the dead letter was itself the hub's re-send for the office, the id that re-send named.
     */
    private static String officeOriginalId(Message m) throws JMSException {
        String original = JmsMessages.string(m, JmsIngress.ORIGINAL_ID);
        boolean hubSent = Credentials.HUB.equals(JmsMessages.string(m, JmsMessages.VALIDATED_USER));
        return hubSent && original != null ? original : m.getJMSMessageID();
    }

    private static int replays(Message m) throws JMSException {
        Object v = m.getObjectProperty(REPLAYS);
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? 0 : Integer.parseInt(v.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Artemis: "Duplicate message detected - message will not be routed" (at commit, in a transaction)
            if (t instanceof JMSException && String.valueOf(t.getMessage()).contains("Duplicate message detected")) {
                return true;
            }
        }
        return false;
    }

    /** The PENDING audit row of an action on the dead letter {@code id} (its queue and message id when it is one). */
    private long begin(String operator, Action action, String id) {
        Optional<String[]> qm = MessageIds.decodeDeadLetter(id);
        return audit.begin(operator, action, qm.map(q -> q[0]).orElse(null), qm.map(q -> q[1]).orElse(id), null);
    }

    private void finish(long row, Outcome outcome, String alertId, String detail) {
        try {
            audit.finish(row, outcome, alertId, detail);
        } catch (RuntimeException e) {
            // the action is done (or not) either way; the row stays PENDING and shows who started it
            LOG.error("Could not complete audit row {} ({}: {})", row, outcome, detail, e);
        }
    }

    static Outcome outcome(RuntimeException e) {
        if (e instanceof OperationException.NotFound) {
            return Outcome.NOT_FOUND;
        }
        return e instanceof OperationException.Refused ? Outcome.REFUSED : Outcome.FAILED;
    }

    private static String[] decode(String id) {
        return MessageIds.decodeDeadLetter(id).orElseThrow(() -> notFound(id));
    }

    private static OperationException.NotFound notFound(String id) {
        return new OperationException.NotFound("no dead letter " + id);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
