package org.blohub.ingest;

import org.apache.camel.CamelContext;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.util.Map;

/**
 * Adds one route per office from the {@code ingest-jms} route template (routes/ingest-jms.camel.yaml),
 * so that each office's queue has its own consumers and the offices come from offices.yaml alone.
 * Added once Camel has loaded the template, before the hub reports itself ready.
 */
public final class IngestRoutes {

    public static final String TEMPLATE = "ingest-jms";

    private final OfficeRegistry offices;
    private final CamelContext camel;

    public IngestRoutes(OfficeRegistry offices, CamelContext camel) {
        this.offices = offices;
        this.camel = camel;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void addRoutes() throws Exception {
        for (Office o : offices.all()) {
            camel.addRouteFromTemplate(TEMPLATE + "-" + o.id(), TEMPLATE, Map.of("office", o.id()));
        }
    }
}
