package org.blohub.monitor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.blohub.audit.TraceEvent;
import org.blohub.audit.TraceListener;
import org.blohub.routing.AgencyRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's own metrics, counted from the trace rows as they are recorded (every alert event passes there):
 * {@code blo_alerts_received_total{office,channel}}, {@code blo_alerts_delivered_total{agency,channel}},
 * {@code blo_alerts_failed_total{agency,channel}}, {@code blo_alerts_quarantined_total{reason,channel}},
 * {@code blo_alerts_duplicate_total{office}} and {@code blo_alert_latency_seconds{agency}}, from the alert's
 * NORMALIZED row to its DELIVERED row (alerts received before a restart have no latency). Tags come from the
 * configuration and from {@link QuarantineReason}, never from what a sender wrote.
 */
public final class AlertMetrics implements TraceListener {

    /** Alerts whose reception time is kept for their latency; the oldest go first. */
    private static final int PENDING_LATENCIES = 50_000;

    private final MeterRegistry registry;
    private final AgencyRegistry agencies;
    private final Map<String, Instant> received = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                    return size() > PENDING_LATENCIES;
                }
            });

    public AlertMetrics(MeterRegistry registry, AgencyRegistry agencies) {
        this.registry = registry;
        this.agencies = agencies;
    }

    @Override
    public void recorded(List<TraceEvent> rows) {
        for (TraceEvent row : rows) {
            switch (row.event()) {
                case RECEIVED -> counter("blo.alerts.received", "inputs and alerts received, per office and channel",
                        "office", row.office(), "channel", row.channel()).increment();
                case NORMALIZED -> {
                    if (row.alertId() != null) {
                        received.putIfAbsent(row.alertId(), row.at());
                    }
                }
                case DELIVERED -> {
                    counter("blo.alerts.delivered", "alerts delivered, per agency and channel",
                            "agency", row.agency(), "channel", row.channel()).increment();
                    Instant since = row.alertId() == null ? null : received.get(row.alertId());
                    if (since != null) {
                        Timer.builder("blo.alert.latency")
                                .description("from reception to delivery, per agency")
                                .tag("agency", tag(row.agency()))
                                .publishPercentileHistogram()
                                .register(registry)
                                .record(Duration.between(since, row.at()));
                    }
                }
                case FAILED -> counter("blo.alerts.failed", "delivery attempts that failed, per agency and channel",
                        "agency", row.agency(), "channel", channelOf(row.agency())).increment();
                case QUARANTINED, REJECTED -> counter("blo.alerts.quarantined",
                        "inputs quarantined and alerts rejected, per reason and channel",
                        "reason", QuarantineReason.of(row.detail()).name(), "channel", row.channel()).increment();
                case DUPLICATE -> counter("blo.alerts.duplicate", "alerts received again, per office",
                        "office", row.office()).increment();
                default -> { }
            }
        }
    }

    private String channelOf(String agency) {
        return agencies.find(agency).map(a -> a.delivery().channel().name()).orElse(null);
    }

    private Counter counter(String name, String description, String... tags) {
        String[] clean = tags.clone();
        for (int i = 1; i < clean.length; i += 2) {
            clean[i] = tag(clean[i]);
        }
        return Counter.builder(name).description(description).tags(clean).register(registry);
    }

    private static String tag(String value) {
        return value == null ? "unknown" : value;
    }
}
