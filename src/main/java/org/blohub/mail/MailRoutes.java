package org.blohub.mail;

import org.apache.camel.CamelContext;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.util.Map;

/**
 * Adds the mail channel's routes from the templates in routes/mail.camel.yaml once Camel has loaded them: the mailbox
 * poller ({@value #IN}) and its transaction ({@value #INGEST}), the reply sender ({@value #REPLY}), and one delivery
 * route per agency that takes mail ({@value #DELIVER}, from agencies.yaml). With {@code blo.mail.enabled=false} there is
 * no MailRoutes and so none of them.
 */
public final class MailRoutes {

    public static final String IN = "mail-in";
    public static final String INGEST = "mail-ingest";
    public static final String REPLY = "mail-reply";
    public static final String DELIVER = "mail-deliver";
    private static final Logger LOG = LoggerFactory.getLogger(MailRoutes.class);

    private final MailSettings settings;
    private final AgencyRegistry agencies;
    private final CamelContext camel;

    public MailRoutes(MailSettings settings, AgencyRegistry agencies, CamelContext camel) {
        this.settings = settings;
        this.agencies = agencies;
        this.camel = camel;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void addRoutes() throws Exception {
        camel.addRouteFromTemplate(INGEST, INGEST, Map.of());
        camel.addRouteFromTemplate(REPLY, REPLY, Map.of("smtp", settings.smtpUri()));
        int n = 0;
        for (Agency a : agencies.all()) {
            if (a.delivery().channel() == Agency.Channel.SMTP) {
                camel.addRouteFromTemplate(DELIVER + "-" + a.id(), DELIVER, Map.of("agency", a.id(), "smtp", settings.smtpUri()));
                n++;
            }
        }
        camel.addRouteFromTemplate(IN, IN, Map.of("uri", settings.imapUri()));
        LOG.info("Mail channel: {}; {} agencies by mail", settings, n);
    }
}
