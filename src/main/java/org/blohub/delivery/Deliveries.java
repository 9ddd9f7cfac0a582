package org.blohub.delivery;

import org.blohub.broker.BrokerTopology;
import org.blohub.ingest.PermanentFault;
import org.blohub.render.AlertRenderer;
import org.blohub.render.Renderers;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.blohub.routing.Routed;

import java.util.List;

/** The deliver stage's logic: each recipient gets the alert in the rendering it asked for, on its own queue. */
public final class Deliveries {

    /** Artemis' duplicate-detection property (Message.HDR_DUPLICATE_DETECTION_ID). */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    /** Exchange property naming the queue a prepared message goes to. */
    public static final String DESTINATION = "bloDestination";
    /** Headers of every delivery message: the alert and the agency it is for. */
    public static final String ALERT_ID = "bloAlertId";
    public static final String AGENCY = "bloAgency";

    private final AgencyRegistry agencies;

    public Deliveries(AgencyRegistry agencies) {
        this.agencies = agencies;
    }

    public List<Delivery> of(Routed routed) {
        return routed.decision().agencyIds().stream().map(id -> delivery(routed, agencies.find(id).orElseThrow())).toList();
    }

    /** The JMS message for one delivery: the rendering, the broker's duplicate id, the queue to send to. */
    public void message(Delivery d, org.apache.camel.Exchange exchange) {
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(d.body());
        m.setHeader(DUPLICATE_ID, d.duplicateId());
        m.setHeader(ALERT_ID, d.alertId());
        m.setHeader(AGENCY, d.agencyId());
        m.setHeader("bloContentType", d.mimeType());
        exchange.setProperty(DESTINATION, d.queue());
    }

    /**
     * Renders the alert for the agency. Every recipient's rendering is made before any is sent ({@link #of}), so a
     * rendering that cannot be made rejects the whole alert before anyone has it: a {@link PermanentFault}, since a
     * renderer is a function of the alert alone and fails the same way each time.
     */
    private static Delivery delivery(Routed routed, Agency agency) {
        AlertRenderer renderer = Renderers.named(agency.delivery().rendering().configName()).orElseThrow();
        String body;
        try {
            body = renderer.render(routed.alert());
        } catch (RuntimeException e) {
            throw new PermanentFault("rendering", "the " + renderer.name() + " rendering for " + agency.id()
                    + " cannot be made: " + e.getMessage(), e);
        }
        String queue = agency.delivery().channel() == Agency.Channel.JMS
                ? agency.delivery().queue()
                : BrokerTopology.outbox(agency.id());
        String alertId = routed.alert().alertId();
        return new Delivery(agency.id(), alertId, queue, body, renderer.mimeType(),
                alertId + ":" + agency.id());
    }
}
