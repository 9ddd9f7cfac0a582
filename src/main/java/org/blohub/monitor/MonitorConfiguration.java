package org.blohub.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.CamelContext;
import org.blohub.broker.EmbeddedBroker;
import org.blohub.routing.Router;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Route activity, the hub's metrics, the channels' and queues' state, and the channels' health. */
@Configuration(proxyBeanMethods = false)
public class MonitorConfiguration {

    /** An event notifier: Camel's Spring Boot starter adds it to the context. */
    @Bean
    RouteActivity routeActivity() {
        return new RouteActivity(Clock.systemUTC());
    }

    /** The trace's listener: every alert event counted. */
    @Bean
    AlertMetrics alertMetrics(MeterRegistry registry, Router router) {
        return new AlertMetrics(registry, router.agencies());
    }

    @Bean
    HubMonitor hubMonitor(CamelContext camel, RouteActivity activity, Router router,
                          ObjectProvider<EmbeddedBroker> broker) {
        return new HubMonitor(camel, activity, router.agencies(), Optional.ofNullable(broker.getIfAvailable()),
                Clock.systemUTC());
    }

    /** blo_queue_depth{agency,queue} and blo_dead_letters{agency}, read from the broker when scraped. */
    @Bean
    MeterBinder agencyQueueGauges(HubMonitor monitor, Router router, ObjectProvider<EmbeddedBroker> broker) {
        return registry -> {
            if (broker.getIfAvailable() == null) {
                return;
            }
            router.agencies().all().forEach(a -> {
                Gauge.builder("blo.queue.depth", () -> queue(monitor, a.id()).depth())
                        .description("messages waiting on the agency's queue")
                        .tag("agency", a.id()).tag("queue", queue(monitor, a.id()).queue()).register(registry);
                Gauge.builder("blo.dead.letters", () -> queue(monitor, a.id()).deadLetters())
                        .description("messages in the agency's dead-letter queue")
                        .tag("agency", a.id()).register(registry);
            });
        };
    }

    private static QueueState queue(HubMonitor monitor, String agency) {
        return monitor.agencyQueues().stream().filter(q -> q.agency().equals(agency)).findFirst()
                .orElse(new QueueState(agency, "", 0, 0));
    }

    /**
     * Each channel's status in the details. Itself UP while the hub runs: one agency's mail server being down must
     * not make the whole hub DOWN (a load balancer or Kubernetes would then stop or restart the hub that serves
     * everyone else); the operator sees the channel DOWN here, on the console and in the metrics.
     */
    @Bean
    HealthIndicator channelsHealthIndicator(HubMonitor monitor) {
        return () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            long down = 0;
            for (ChannelState c : monitor.channels()) {
                details.put(c.routeId(), c.lastError() == null || "UP".equals(c.status())
                        ? c.status() : c.status() + " (" + c.lastError() + ")");
                down += "DOWN".equals(c.status()) ? 1 : 0;
            }
            return Health.up().withDetail("down", down).withDetails(details).build();
        };
    }
}
