package org.blohub.audit;

import org.blohub.alert.Alert;
import org.blohub.alert.Sha256;
import org.blohub.audit.TraceEvent.Event;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Outcome;
import org.blohub.quarantine.Quarantine;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.blohub.routing.Routed;
import org.blohub.routing.RoutingDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the trace of every alert (DESIGN §7): one method per event, its rows handed to a {@link TraceWriter},
 * which commits many callers' rows at once on its own thread. Table {@code alert_trace} (db/trace/V1__alert_trace.sql, in the {@link TraceStore}); read
 * by {@link TraceQuery}.
 *
 * <p><b>A trace failure never costs an alert.</b> The trace is written by JDBC outside the broker's transaction
 * (a crash loses the few rows still queued), and no method here throws: a row not written is logged (with the
 * alert and the event, so the gap itself is on record), counted ({@link #failures()}, metric {@code blo.trace.failures}) and the alert goes on. Failing the
 * transaction instead would make every alert's delivery depend on the audit store: an audit-store problem (a
 * full disk, a lock held by a long retention run, a value it refuses) would stop all deliveries and, after the
 * broker's redeliveries, push every alert into a dead-letter queue, where it waits for an operator. The broker's
 * transaction and duplicate detection guarantee the alert; the trace records it as well as it can.
 *
 * <p>Called from the routes through {@link TraceSteps}; the mail, SFTP and HTTPS delivery routes call
 * {@link #delivered(String, String, String)} and {@link #failed(String, String, int, String)} directly (bean
 * {@value TraceConfiguration#TRACE_BEAN}).
 */
public class Trace {

    private static final Logger LOG = LoggerFactory.getLogger(Trace.class);

    static final String INSERT = "INSERT INTO alert_trace (event_at, event, item_id, alert_id, office, source_ref, "
            + "original_id, channel, agency, rule_name, attempt, duplicate_of, raw_sha256, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The quarantine's own wording of a rejection, so the trace and the quarantine listing agree. */
    private static final Quarantine REASON = new Quarantine();

    private final TraceWriter writer;
    private final AgencyRegistry agencies;
    private final Clock clock;
    private final AtomicLong failures = new AtomicLong();
    private final Runnable onFailure;
    private final TraceListener listener;

    public Trace(JdbcTemplate jdbc, AgencyRegistry agencies, Clock clock) {
        this(jdbc, agencies, clock, () -> { });
    }

    /** @param onFailure called once per failed write (a metric) */
    public Trace(JdbcTemplate jdbc, AgencyRegistry agencies, Clock clock, Runnable onFailure) {
        this(jdbc, agencies, clock, onFailure, TraceListener.NONE);
    }

    /** @param listener told of every row recorded (the hub's metrics) */
    public Trace(JdbcTemplate jdbc, AgencyRegistry agencies, Clock clock, Runnable onFailure, TraceListener listener) {
        this.listener = listener;
        this.writer = new TraceWriter(jdbc, INSERT, Trace::bind, this::notWritten);
        this.agencies = agencies;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    // ---- the events ---------------------------------------------------------------------------------------

    /**
     * RECEIVED for every item of an inbound message, and NORMALIZED for each that became an alert (one batch).
     * An input that yielded nothing at all gets a RECEIVED row of its own.
     */
    public void received(Inbound inbound, List<Outcome> outcomes) {
        write(receivedRows(inbound, outcomes));
    }

    /** DUPLICATE: the item's (office, sourceRef) was accepted before as {@code firstAlertId}. */
    public void duplicate(String office, String originalId, String sourceRef, String alertId, String firstAlertId) {
        write(List.of(duplicateRow(office, originalId, sourceRef, alertId, firstAlertId)));
    }

    /** ROUTED per recipient (with its rule) and WITHHELD per agency left out (with rule and reason): one batch. */
    public void routed(Routed routed) {
        write(routedRows(routed));
    }

    /**
     * The alert was handed to every recipient's queue: DELIVERED for an agency that reads agency.&lt;ID&gt; over
     * JMS, QUEUED for one the hub delivers to through hub.outbox.&lt;ID&gt; (its channel route then records
     * {@link #delivered} or {@link #failed}). One batch.
     */
    public void handedOver(Routed routed) {
        write(handedOverRows(routed));
    }

    /** Delivered to one agency by its channel route (mail, SFTP, HTTPS): {@code channel} e.g. SMTP. */
    public void delivered(String alertId, String agency, String channel) {
        write(List.of(delivery(Event.DELIVERED, now(), alertId, agency, channel, null, null)));
    }

    /** A delivery attempt to one agency failed ({@code attempt} 1 = the first); it is retried, then dead-lettered. */
    public void failed(String alertId, String agency, int attempt, String error) {
        write(List.of(delivery(Event.FAILED, now(), alertId, agency, null, attempt, error)));
    }

    /**
     * REJECTED (the alert {@code alertId} was read but refused) or, with {@code alertId} null, QUARANTINED (the
     * input did not become an alert). The reason is every problem, with its place.
     */
    public void rejected(Outcome.Rejected rejected, String alertId, Inbound inbound) {
        write(List.of(rejectedRow(rejected, alertId, inbound)));
    }

    /** The channel an agency takes its alerts by (agencies.yaml), for its DELIVERED rows. */
    String channelOf(String agency) {
        return agencies.find(agency).map(a -> a.delivery().channel().name()).orElse(null);
    }

    /** A failure in a few words, for the trace: the exception's kind and message, never a message body. */
    public static String shortError(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return cut(text.replaceAll("\\s+", " "), 500);
    }

    /** Rows not written since start (each logged): the trace has a gap, the alerts did not. */
    public long failures() {
        return failures.get();
    }

    // ---- rows -------------------------------------------------------------------------------------------------

    List<TraceEvent> receivedRows(Inbound inbound, List<Outcome> outcomes) {
        Instant now = now();
        List<TraceEvent> rows = new ArrayList<>(outcomes.size() * 2 + 1);
        String channel = inbound.channel() == null ? null : inbound.channel().name();
        String inputHash = null;
        if (outcomes.isEmpty()) {
            String office = inbound.office();
            rows.add(new TraceEvent(now, Event.RECEIVED, itemId(office, inbound.originalId(), null), null, office,
                    null, inbound.originalId(), channel, null, null, null, null, Sha256.hex(inbound.raw()),
                    "no alert in the input"));
            return rows;
        }
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Accepted a) {
                Alert alert = a.alert();
                Alert.Provenance p = alert.provenance();
                String originalId = p != null && p.originalId() != null ? p.originalId() : inbound.originalId();
                String hash = p != null ? p.rawSha256() : null;
                if (hash == null) {
                    inputHash = inputHash != null ? inputHash : Sha256.hex(inbound.raw());
                    hash = inputHash;
                }
                String item = itemId(alert.office(), originalId, alert.alertId());
                Instant at = alert.receivedAt() != null ? alert.receivedAt().toInstant() : now;
                rows.add(new TraceEvent(at.isAfter(now) ? now : at, Event.RECEIVED, item, alert.alertId(),
                        alert.office(), alert.sourceRef(), originalId, channel, null, null, null, null, hash, null));
                rows.add(new TraceEvent(now, Event.NORMALIZED, item, alert.alertId(), alert.office(),
                        alert.sourceRef(), originalId, null, null, null, null, null, null, null));
            } else if (o instanceof Outcome.Rejected r) {
                inputHash = inputHash != null ? inputHash : Sha256.hex(inbound.raw());
                String office = r.office() != null ? r.office() : inbound.office();
                String originalId = r.originalId() != null ? r.originalId() : inbound.originalId();
                rows.add(new TraceEvent(now, Event.RECEIVED, itemId(office, originalId, null), null, office,
                        r.sourceRef(), originalId, channel, null, null, null, null, inputHash, null));
            }
        }
        return rows;
    }

    TraceEvent duplicateRow(String office, String originalId, String sourceRef, String alertId, String firstAlertId) {
        return new TraceEvent(now(), Event.DUPLICATE, itemId(office, originalId, alertId), alertId, office, sourceRef,
                originalId, null, null, null, null, firstAlertId, null, null);
    }

    List<TraceEvent> routedRows(Routed routed) {
        Instant now = now();
        Alert alert = routed.alert();
        String originalId = originalId(alert);
        String item = itemId(alert.office(), originalId, alert.alertId());
        RoutingDecision d = routed.decision();
        List<TraceEvent> rows = new ArrayList<>(d.recipients().size() + d.withheld().size());
        for (RoutingDecision.Recipient r : d.recipients()) {
            rows.add(new TraceEvent(now, Event.ROUTED, item, alert.alertId(), alert.office(), alert.sourceRef(),
                    originalId, null, r.agencyId(), r.rule(), null, null, null, null));
        }
        for (RoutingDecision.Withheld w : d.withheld()) {
            rows.add(new TraceEvent(now, Event.WITHHELD, item, alert.alertId(), alert.office(), alert.sourceRef(),
                    originalId, null, w.agencyId(), w.rule(), null, null, null, w.reason()));
        }
        return rows;
    }

    List<TraceEvent> handedOverRows(Routed routed) {
        Instant now = now();
        String alertId = routed.alert().alertId();
        List<TraceEvent> rows = new ArrayList<>();
        for (String id : routed.decision().agencyIds()) {
            Agency.Channel channel = agencies.find(id).map(a -> a.delivery().channel()).orElse(Agency.Channel.JMS);
            rows.add(channel == Agency.Channel.JMS
                    ? delivery(Event.DELIVERED, now, alertId, id, channel.name(), null, null)
                    : delivery(Event.QUEUED, now, alertId, id, channel.name(), null,
                    org.blohub.broker.BrokerTopology.outbox(id)));
        }
        return rows;
    }

    TraceEvent rejectedRow(Outcome.Rejected rejected, String alertId, Inbound inbound) {
        String office = rejected.office() != null ? rejected.office() : inbound == null ? null : inbound.office();
        String originalId = rejected.originalId() != null ? rejected.originalId()
                : inbound == null ? null : inbound.originalId();
        String reason = REASON.reason(rejected);
        return new TraceEvent(now(), alertId == null ? Event.QUARANTINED : Event.REJECTED,
                itemId(office, originalId, alertId), alertId, office, rejected.sourceRef(), originalId,
                inbound == null || inbound.channel() == null ? null : inbound.channel().name(), null,
                null, null, null, null, reason);
    }

    private static TraceEvent delivery(Event event, Instant at, String alertId, String agency, String channel,
                                       Integer attempt, String detail) {
        return new TraceEvent(at, event, null, alertId, null, null, null, channel, agency, null, attempt, null, null,
                detail);
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** Queues rows for the writer, which commits them moments later ({@link TraceWriter}). Never throws. */
    void write(List<TraceEvent> rows) {
        if (!rows.isEmpty()) {
            writer.add(rows);
            try {
                listener.recorded(rows);
            } catch (RuntimeException e) {
                LOG.warn("trace: a listener failed on {} row(s); the alert goes on", rows.size(), e);
            }
        }
    }

    /** Waits (at most {@code timeout}) until every event recorded so far is in the database: for readers that must see it. */
    public void flush(Duration timeout) throws InterruptedException {
        writer.flush(timeout);
    }

    /** Writes the events still queued; the hub calls it on a graceful stop. */
    public void close() throws InterruptedException {
        writer.close();
    }

    /** Rows the writer could not write: logged with the alert and the event, so the gap itself is on record. */
    private void notWritten(List<TraceEvent> rows, RuntimeException e) {
        failures.incrementAndGet();
        try {
            onFailure.run();
        } catch (RuntimeException ignored) {
            // a metric must not hide a logged gap
        }
        TraceEvent first = rows.get(0);
        LOG.error("trace: {} row(s) not recorded ({} of alert {} item {}, ...); the alert goes on", rows.size(),
                first.event(), first.alertId(), first.originalId(), e);
    }

    private static void bind(PreparedStatement ps, TraceEvent r) throws SQLException {
        ps.setObject(1, OffsetDateTime.ofInstant(r.at(), ZoneOffset.UTC));
        ps.setString(2, r.event().name());
        ps.setString(3, r.itemId());
        ps.setString(4, cut(r.alertId(), 36));
        ps.setString(5, cut(r.office(), 64));
        ps.setString(6, cut(r.sourceRef(), 200));
        ps.setString(7, cut(r.originalId(), 1000));
        ps.setString(8, cut(r.channel(), 16));
        ps.setString(9, cut(r.agency(), 64));
        ps.setString(10, cut(r.rule(), 100));
        if (r.attempt() == null) {
            ps.setNull(11, Types.INTEGER);
        } else {
            ps.setInt(11, r.attempt());
        }
        ps.setString(12, cut(r.duplicateOf(), 36));
        ps.setString(13, cut(r.rawSha256(), 64));
        ps.setString(14, cut(r.detail(), 4000));
    }

    /** A value longer than its column is cut, not refused: a long error text must not cost the row. */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 2)) ? max - 2 : max - 1;
        return s.substring(0, end) + "…";
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * The item a row belongs to: one alert as one inbound message carried it. Name-based, so every attempt at the
     * same message (a redelivery) is the same item; an input without an alert id is keyed by office and original id.
     */
    public static String itemId(String office, String originalId, String alertId) {
        return UUID.nameUUIDFromBytes(("urn:blo:trace-item:" + office + "\n" + originalId + "\n"
                + (alertId == null ? "" : alertId)).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String originalId(Alert alert) {
        return alert.provenance() == null ? null : alert.provenance().originalId();
    }

    private Instant now() {
        return clock.instant();
    }

}
