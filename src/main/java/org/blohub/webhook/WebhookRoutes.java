package org.blohub.webhook;

import org.apache.camel.CamelContext;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.util.Map;

/** One {@code deliver-https} route per agency whose channel is https (routes/deliver-https.camel.yaml). */
public final class WebhookRoutes {

    private final CamelContext camel;
    private final AgencyRegistry agencies;

    public WebhookRoutes(CamelContext camel, AgencyRegistry agencies) {
        this.camel = camel;
        this.agencies = agencies;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void addRoutes() throws Exception {
        for (Agency a : agencies.all()) {
            if (a.delivery().channel() == Agency.Channel.HTTPS) {
                camel.addRouteFromTemplate("deliver-https-" + a.id(), "deliver-https", Map.of("agency", a.id()));
            }
        }
    }
}
