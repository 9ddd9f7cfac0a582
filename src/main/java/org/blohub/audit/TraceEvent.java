package org.blohub.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One row of an alert's trace (table {@code alert_trace}, db/trace/V1__alert_trace.sql): what happened, when, and the
 * fields that event has (the others are null).
 *
 * @param at          when it happened (UTC)
 * @param event       what happened
 * @param itemId      the item (one alert as one inbound message carried it); null on delivery rows
 * @param alertId     the alert; null for an input rejected before it had one
 * @param office      the sending office (item rows)
 * @param sourceRef   the office's own reference, when it could be read (item rows)
 * @param originalId  the item's id within its input: JMS id, Message-ID, file#row, API request id (item rows)
 * @param channel     RECEIVED: the channel it came by; QUEUED/DELIVERED: the agency's delivery channel
 * @param agency      ROUTED, WITHHELD, QUEUED, DELIVERED, FAILED: the agency
 * @param rule        ROUTED, WITHHELD: the routing rule
 * @param attempt     FAILED: the delivery attempt (1 = first)
 * @param duplicateOf DUPLICATE: the alert first accepted with this (office, sourceRef)
 * @param rawSha256   RECEIVED: SHA-256 of the inbound bytes
 * @param detail      WITHHELD, REJECTED, QUARANTINED: why; FAILED: the last error; QUEUED: the outbox queue
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceEvent(Instant at, Event event, String itemId, String alertId, String office, String sourceRef,
                         String originalId, String channel, String agency, String rule, Integer attempt,
                         String duplicateOf, String rawSha256, String detail) {

    /** The events of a trace, in the order an alert usually meets them. */
    public enum Event {
        /** an item reached the hub */
        RECEIVED,
        /** it became an alert */
        NORMALIZED,
        /** its (office, sourceRef) was accepted before */
        DUPLICATE,
        /** one recipient, with the rule that chose it */
        ROUTED,
        /** one agency left out, with the rule and why */
        WITHHELD,
        /** handed to hub.outbox.&lt;AGENCY&gt; for delivery by mail, SFTP or HTTPS */
        QUEUED,
        /** delivered to one agency */
        DELIVERED,
        /** a delivery attempt to one agency failed */
        FAILED,
        /** an alert the hub refused after reading it (it may go to nobody) */
        REJECTED,
        /** an input that did not become an alert (unreadable, invalid, oversized, ...) */
        QUARANTINED
    }
}
