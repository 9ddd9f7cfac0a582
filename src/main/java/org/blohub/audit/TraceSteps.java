package org.blohub.audit;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.blohub.delivery.Deliveries;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Outcome;
import org.blohub.receipts.Receipt;
import org.blohub.routing.Routed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The trace's steps in the routes (bean {@value TraceConfiguration#STEPS_BEAN}): each takes what the stage has and
 * hands it to {@link Trace}. None changes the message or throws.
 *
 * <p>What an attempt <em>did</em> (RECEIVED, NORMALIZED, ROUTED) is written at once: a redelivered message shows
 * each attempt. What it <em>achieved</em> (DELIVERED, QUEUED, DUPLICATE, REJECTED, QUARANTINED: sends that share
 * the inbound message's JMS transaction) is written when the inbound exchange completes, in one batch, and not at
 * all when it fails: then its sends are rolled back and the broker redelivers it, so the trace never reports a
 * delivery that was undone. (The rows are written just before the consumer commits; a crash between the two makes
 * the redelivery write them again, as any attempt does.) Without an inbound exchange to wait for (a stage called
 * on its own), they are written at once.
 */
public class TraceSteps {

    private static final Logger LOG = LoggerFactory.getLogger(TraceSteps.class);

    /** Exchange property: the rows waiting for the inbound exchange to complete. */
    static final String PENDING = "bloTracePending";
    /** Exchange property: the id of the alert the route stage refused (its rejection is REJECTED, not QUARANTINED). */
    static final String REFUSED_ALERT = "bloTraceRefusedAlertId";

    private final Trace trace;

    public TraceSteps(Trace trace) {
        this.trace = trace;
    }

    /** normalize, after the intake: RECEIVED and NORMALIZED rows; later rows of this message wait for its end. */
    public void received(List<Outcome> outcomes, Exchange exchange) {
        try {
            Inbound inbound = exchange.getProperty(Inbound.PROPERTY, Inbound.class);
            if (exchange.getProperty(PENDING) == null) {
                Pending pending = new Pending(trace, inbound == null ? null : inbound.originalId());
                exchange.setProperty(PENDING, pending);
                exchange.getExchangeExtension().addOnCompletion(pending);
            }
            trace.received(inbound, outcomes);
        } catch (RuntimeException e) {
            LOG.error("trace: received not recorded; the alert goes on", e);
        }
    }

    /** dedupe, DUPLICATE branch: the receipt names the first alert. */
    public void duplicate(Receipt receipt, Exchange exchange) {
        try {
            Inbound inbound = exchange.getProperty(Inbound.PROPERTY, Inbound.class);
            String office = inbound.office();
            // the duplicate's own id: alert ids are name-based on (office, sourceRef), as the Normalizer gives them
            String alertId = Normalizer.alertId(office, receipt.sourceRef());
            defer(exchange, List.of(trace.duplicateRow(office, receipt.originalId(), receipt.sourceRef(), alertId,
                    receipt.alertId())));
        } catch (RuntimeException e) {
            LOG.error("trace: duplicate not recorded; the alert goes on", e);
        }
    }

    /** route, after the decision: ROUTED and WITHHELD rows; a refused alert is remembered for the reject step. */
    public void routed(Object decision, Exchange exchange) {
        try {
            if (decision instanceof Routed routed) {
                trace.routed(routed);
            } else if (decision instanceof Outcome.Rejected r && r.office() != null && r.sourceRef() != null) {
                exchange.setProperty(REFUSED_ALERT, Normalizer.alertId(r.office(), r.sourceRef()));
            }
        } catch (RuntimeException e) {
            LOG.error("trace: routing not recorded; the alert goes on", e);
        }
    }

    /** deliver, after every recipient's send: DELIVERED (JMS agencies) or QUEUED (hub.outbox) per agency. */
    public void handedOver(Routed routed, Exchange exchange) {
        try {
            defer(exchange, trace.handedOverRows(routed));
        } catch (RuntimeException e) {
            LOG.error("trace: deliveries not recorded; the alert goes on", e);
        }
    }

    /** quarantine: REJECTED (an alert the route stage refused) or QUARANTINED (an input that was no alert). */
    public void rejected(Outcome.Rejected rejected, Exchange exchange) {
        try {
            String alertId = exchange.getProperty(REFUSED_ALERT, String.class);
            defer(exchange, List.of(trace.rejectedRow(rejected, alertId,
                    exchange.getProperty(Inbound.PROPERTY, Inbound.class))));
        } catch (RuntimeException e) {
            LOG.error("trace: rejection not recorded; the input is quarantined all the same", e);
        }
    }

    /**
     * A delivery route (mail, SFTP, HTTPS), first step: DELIVERED when the outbox message's exchange completes, FAILED
     * with its attempt (JMSXDeliveryCount) and a short error when it fails (the broker then redelivers or
     * dead-letters it). Read here, first, because the channel steps replace the message's headers.
     */
    public void delivery(Exchange exchange) {
        try {
            String alertId = exchange.getMessage().getHeader(Deliveries.ALERT_ID, String.class);
            String agency = exchange.getMessage().getHeader(Deliveries.AGENCY, String.class);
            Integer attempt = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
            exchange.getExchangeExtension().addOnCompletion(
                    new Delivery(trace, alertId, agency, attempt == null ? 1 : attempt));
        } catch (RuntimeException e) {
            LOG.error("trace: delivery not watched; the alert goes on", e);
        }
    }

    private void defer(Exchange exchange, List<TraceEvent> rows) {
        Pending pending = exchange.getProperty(PENDING, Pending.class);
        if (pending == null) {
            trace.write(rows);
        } else {
            pending.add(rows);
        }
    }

    /** The rows of one inbound message that wait for its exchange (shared by the split's copies). */
    static final class Pending extends SynchronizationAdapter {

        private final Trace trace;
        private final String inputId;
        private final List<TraceEvent> rows = new ArrayList<>();

        Pending(Trace trace, String inputId) {
            this.trace = trace;
            this.inputId = inputId;
        }

        synchronized void add(List<TraceEvent> more) {
            rows.addAll(more);
        }

        private synchronized List<TraceEvent> drain() {
            List<TraceEvent> out = List.copyOf(rows);
            rows.clear();
            return out;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                onFailure(exchange);
                return;
            }
            trace.write(drain());
        }

        @Override
        public void onFailure(Exchange exchange) {
            List<TraceEvent> undone = drain();
            if (!undone.isEmpty()) {
                LOG.warn("trace: {} outcome row(s) of input {} not recorded: its processing failed and was rolled back "
                        + "({}); a redelivery records them again", undone.size(), inputId,
                        exchange.getException() == null ? "no exception" : exchange.getException().toString());
            }
        }
    }

    /** The outcome of one delivery attempt, recorded when its exchange is done. */
    private static final class Delivery extends SynchronizationAdapter {

        private final Trace trace;
        private final String alertId;
        private final String agency;
        private final int attempt;

        Delivery(Trace trace, String alertId, String agency, int attempt) {
            this.trace = trace;
            this.alertId = alertId;
            this.agency = agency;
            this.attempt = attempt;
        }

        @Override
        public void onComplete(Exchange exchange) {
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                onFailure(exchange);
                return;
            }
            trace.delivered(alertId, agency, trace.channelOf(agency));
        }

        @Override
        public void onFailure(Exchange exchange) {
            Exception e = exchange.getException();
            trace.failed(alertId, agency, attempt, e == null ? "rolled back" : Trace.shortError(e));
        }
    }
}
