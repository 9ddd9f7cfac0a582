package org.blohub.audit;

/**
 * Where an item stands now: the status {@link TraceQuery#search} reports and filters by. An item is one alert
 * as one inbound message carried it (a re-send of the same alert is an item of its own).
 *
 * <p>The status is the item's <em>latest</em> state, taken from its last recorded stage event (RECEIVED,
 * NORMALIZED, DUPLICATE, ROUTED, REJECTED, QUARANTINED; a redelivered message adds a later attempt) and, once it
 * is routed, from the last recorded delivery event (QUEUED, DELIVERED, FAILED) of each agency it was routed to
 * ("last recorded": rows are appended in the order things happen to an item):
 * <ul>
 *   <li>{@link #QUARANTINED}: the input did not become an alert; it is kept in hub.quarantine</li>
 *   <li>{@link #REJECTED}: the alert was read but refused (it may go to nobody); kept in hub.quarantine</li>
 *   <li>{@link #DUPLICATE}: its (office, sourceRef) was accepted before; delivered to no one again</li>
 *   <li>{@link #FAILED}: routed, and the latest delivery event of at least one agency is FAILED</li>
 *   <li>{@link #DELIVERED}: routed, and the latest delivery event of every agency routed to is DELIVERED</li>
 *   <li>{@link #ACCEPTED}: everything else: in the pipeline, or routed with deliveries still pending or queued
 *       for a mail/SFTP/HTTPS channel</li>
 * </ul>
 * A FAILED delivery that later succeeds turns the item DELIVERED again.
 */
public enum AlertStatus {
    ACCEPTED, DELIVERED, FAILED, DUPLICATE, REJECTED, QUARANTINED
}
