package org.blohub.receipts;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Problem;
import org.blohub.routing.Routed;

import java.util.List;

/** Builds receipts, and answers the synchronous channels (API) in place of the office's receipt queue. */
public final class Receipts {

    public Receipt accepted(Routed routed) {
        Alert a = routed.alert();
        return new Receipt(a.alertId(), a.sourceRef(), originalId(a), Receipt.Status.ACCEPTED,
                routed.decision().agencyIds(), List.of(), withheld(routed));
    }

    private static List<Receipt.Withheld> withheld(Routed routed) {
        return routed.decision().withheld().stream()
                .map(w -> new Receipt.Withheld(w.agencyId(), w.reason())).toList();
    }

    public Receipt duplicate(Alert alert, String firstAlertId) {
        return new Receipt(firstAlertId, alert.sourceRef(), originalId(alert), Receipt.Status.DUPLICATE, List.of(),
                List.of());
    }

    public Receipt rejected(Outcome.Rejected rejected) {
        return new Receipt(null, rejected.sourceRef(), rejected.originalId(), Receipt.Status.REJECTED, List.of(),
                rejected.problems().stream().map(Receipts::line).toList());
    }

    /** {@code LINE[:COL]: FIELD: message}, or without the place when it is not known. */
    static String line(Problem p) {
        return (p.at().known() ? p.at() + ": " : "") + p.text();
    }

    /**
     * Prepares the receipt for the office's queue {@code blo.receipts.<OFFICE>}, correlated to the inbound
     * message (exchange property {@code bloDestination}); for a synchronous channel (API) keeps it for the
     * answer instead, and sets no destination.
     */
    public void message(Receipt receipt, org.apache.camel.Exchange exchange) throws JsonProcessingException {
        Inbound inbound = exchange.getProperty(Inbound.PROPERTY, Inbound.class);
        exchange.removeProperty(org.blohub.delivery.Deliveries.DESTINATION);
        if (inbound.receipts() != null) {
            synchronized (inbound.receipts()) {
                inbound.receipts().add(receipt);
            }
            return;
        }
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(AlertJson.mapper().writeValueAsString(receipt));
        m.setHeader("JMSCorrelationID", inbound.originalId());
        m.setHeader("bloStatus", receipt.status().name());
        exchange.setProperty(org.blohub.delivery.Deliveries.DESTINATION, org.blohub.broker.BrokerTopology.receipts(inbound.office()));
    }

    private static String originalId(Alert a) {
        return a.provenance() == null ? null : a.provenance().originalId();
    }
}
