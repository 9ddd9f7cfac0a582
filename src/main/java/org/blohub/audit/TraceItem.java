package org.blohub.audit;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * One search result: an item (one alert as one inbound message carried it) and where it stands.
 *
 * @param itemId      the item's id in the trace (rows of an input without an alert id are found by it)
 * @param alertId     the alert; null for an input that never became one (QUARANTINED)
 * @param office      the sending office
 * @param sourceRef   the office's own reference, when it could be read
 * @param originalId  its id within its input (JMS id, Message-ID, file#row, API request id)
 * @param channel     the channel it came by
 * @param receivedAt  when the hub first received it
 * @param status      where it stands now ({@link AlertStatus})
 * @param reason      REJECTED, QUARANTINED: why
 * @param duplicateOf DUPLICATE: the alert first accepted with its (office, sourceRef)
 * @param agencies    the agencies it was routed to, each with its delivery state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceItem(String itemId, String alertId, String office, String sourceRef, String originalId,
                        String channel, Instant receivedAt, AlertStatus status, String reason, String duplicateOf,
                        List<AgencyState> agencies) {

    public TraceItem {
        agencies = agencies == null ? List.of() : List.copyOf(agencies);
    }

    /**
     * One recipient and its latest delivery event.
     *
     * @param agency  the agency
     * @param rule    the routing rule that chose it
     * @param state   PENDING (no delivery event yet), QUEUED, DELIVERED or FAILED
     * @param at      when it reached that state (null while PENDING)
     * @param attempt FAILED: the attempt that failed
     * @param error   FAILED: the error
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AgencyState(String agency, String rule, String state, Instant at, Integer attempt, String error) {
    }
}
