package org.blohub.receipts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What the hub tells the office about one alert (DESIGN §1 "receipts back to the office"): sent to
 * {@code blo.receipts.<OFFICE>} with JMSCorrelationID = the inbound JMSMessageID, or returned by the API.
 *
 * @param alertId    the hub's id (for a DUPLICATE, the first alert's); null when nothing could be read
 * @param sourceRef  the office's own reference, when it could be read
 * @param originalId the inbound message's id (JMS message id, Message-ID, file#row)
 * @param routedTo   agencies it was handed to (ACCEPTED)
 * @param errors     what is wrong, one line each: {@code LINE[:COL]: FIELD: message} (REJECTED)
 * @param withheld   addressees and other agencies routing left out, and why (ACCEPTED): e.g. an addressee not
 *                   cleared for TLP:RED, or one that does not exist
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Receipt(String alertId, String sourceRef, String originalId, Status status, List<String> routedTo,
                      List<String> errors, List<Withheld> withheld) {

    public enum Status { ACCEPTED, REJECTED, DUPLICATE }

    public Receipt {
        routedTo = routedTo == null ? List.of() : List.copyOf(routedTo);
        errors = errors == null ? List.of() : List.copyOf(errors);
        withheld = withheld == null ? List.of() : List.copyOf(withheld);
    }

    /** A receipt that withholds no one. */
    public Receipt(String alertId, String sourceRef, String originalId, Status status, List<String> routedTo,
                   List<String> errors) {
        this(alertId, sourceRef, originalId, status, routedTo, errors, List.of());
    }

    /** An agency the alert did not go to, and why ("not cleared for TLP:RED (receives up to TLP:AMBER)"). */
    public record Withheld(String agency, String reason) {
    }
}
