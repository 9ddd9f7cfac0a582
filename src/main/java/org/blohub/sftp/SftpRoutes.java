package org.blohub.sftp;

import org.apache.camel.CamelContext;
import org.blohub.routing.Agency;
import org.blohub.routing.AgencyRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds the SFTP routes from their templates once Camel has loaded them: one {@code ingest-sftp-chunk} (a chunk's
 * transaction), per office {@code ingest-sftp} (its inbox), per SFTP agency {@code deliver-sftp} (its outbox), and one
 * {@code sftp-recovery}. All are templates, so that with {@code blo.sftp.enabled=false} (no SFTP beans at all) no
 * route names a bean that is not there.
 */
public final class SftpRoutes {

    private final CamelContext camel;
    private final SftpAccounts accounts;
    private final AgencyRegistry agencies;
    private final SftpEndpoints endpoints;
    private final SftpSettings settings;

    public SftpRoutes(CamelContext camel, SftpAccounts accounts, AgencyRegistry agencies, SftpEndpoints endpoints,
                      SftpSettings settings) {
        this.camel = camel;
        this.accounts = accounts;
        this.agencies = agencies;
        this.endpoints = endpoints;
        this.settings = settings;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void addRoutes() throws Exception {
        camel.addRouteFromTemplate("ingest-sftp-chunk", "ingest-sftp-chunk", Map.of());
        for (SftpAccount office : accounts.offices()) {
            Map<String, Object> p = connection();
            p.put("office", office.id());
            p.put("home", office.home());
            p.put("delay", settings.pollDelay().toMillis());
            p.put("readLockCheckInterval", settings.readLockCheckInterval().toMillis());
            p.put("readLockTimeout", settings.readLockTimeout().toMillis());
            camel.addRouteFromTemplate("ingest-sftp-" + office.id(), "ingest-sftp", p);
        }
        for (Agency a : agencies.all()) {
            if (a.delivery().channel() == Agency.Channel.SFTP) {
                Map<String, Object> p = connection();
                p.put("agency", a.id());
                p.put("directory", a.delivery().directory());
                p.put("extension", SftpDelivery.extension(a.delivery().rendering().configName()));
                camel.addRouteFromTemplate("deliver-sftp-" + a.id(), "deliver-sftp", p);
            }
        }
        camel.addRouteFromTemplate("sftp-recovery", "sftp-recovery",
                Map.of("period", settings.recoveryInterval().toMillis()));
    }

    private Map<String, Object> connection() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server", endpoints.server());
        p.put("password", endpoints.password());
        p.put("knownHosts", endpoints.knownHosts().toString());
        p.put("timeout", millis(endpoints.timeout()));
        return p;
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
