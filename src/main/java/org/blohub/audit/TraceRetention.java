package org.blohub.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Deletes trace rows older than {@code blo.trace.retention} (default P90D), row by row by their time: an alert
 * whose trace spans the limit loses its oldest rows first (and drops out of the search once its RECEIVED rows are
 * gone). Runs every {@code blo.trace.retention-interval} (default PT1H), in chunks so that no run holds a long
 * lock; several hub instances may run it at once.
 */
public class TraceRetention {

    private static final Logger LOG = LoggerFactory.getLogger(TraceRetention.class);
    static final int CHUNK = 5_000;

    private final JdbcTemplate jdbc;
    private final Duration retention;
    private final Clock clock;

    public TraceRetention(JdbcTemplate jdbc, Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("blo.trace.retention must be positive, not " + retention);
        }
        this.jdbc = jdbc;
        this.retention = retention;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${blo.trace.retention-initial-delay:PT5M}",
            fixedDelayString = "${blo.trace.retention-interval:PT1H}")
    public void run() {
        try {
            int n = purge();
            if (n > 0) {
                LOG.info("trace retention: deleted {} row(s) older than {}", n, retention);
            }
        } catch (RuntimeException e) {
            LOG.warn("trace retention failed; it runs again later", e);
        }
    }

    /**
     * @return rows deleted: every row from before now minus the retention. Event by event, along the index on
     * (event, event_at) that the search uses too: an index on event_at alone, for this hourly run, cost every trace
     * row one more index entry to write.
     */
    public int purge() {
        Instant cutoff = clock.instant().minus(retention);
        OffsetDateTime before = OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC);
        int total = 0;
        for (TraceEvent.Event event : TraceEvent.Event.values()) {
            int n;
            do {
                n = jdbc.update("DELETE FROM alert_trace WHERE id IN (SELECT id FROM alert_trace WHERE event = ? "
                        + "AND event_at < ? LIMIT " + CHUNK + ")", event.name(), before);
                total += n;
            } while (n == CHUNK);
        }
        return total;
    }

    public Duration retention() {
        return retention;
    }
}
