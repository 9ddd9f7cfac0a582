package org.blohub.monitor;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.blohub.audit.Trace;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each route did lately: exchanges completed and failed, the last failure (its kind and message, never a body)
 * and whether anything succeeded since. A delivery route whose last attempt failed is DOWN until one succeeds.
 */
public final class RouteActivity extends EventNotifierSupport {

    private final Clock clock;
    private final Map<String, Activity> routes = new ConcurrentHashMap<>();

    public RouteActivity(Clock clock) {
        this.clock = clock;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent e)) {
            return;
        }
        Exchange exchange = e.getExchange();
        String routeId = exchange.getFromRouteId();
        if (routeId == null) {
            return;
        }
        Activity a = routes.computeIfAbsent(routeId, id -> new Activity());
        long now = clock.millis();
        if (event instanceof CamelEvent.ExchangeFailedEvent) {
            Exception cause = exchange.getException();
            a.failed(now, cause == null ? "rolled back" : Trace.shortError(cause));
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent) {
            if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
                a.failed(now, "rolled back");
            } else {
                a.completed(now);
            }
        }
    }

    /** The activity of a route, or an idle one. */
    public Activity of(String routeId) {
        return routes.getOrDefault(routeId, new Activity());
    }

    /** One route's counts; a one-minute window of completions by second for its rate. */
    public static final class Activity {
        private long total;
        private long failed;
        private String lastError;
        private long lastErrorAt;
        private long lastSuccessAt;
        private final AtomicLongArray perSecond = new AtomicLongArray(60);
        private final long[] second = new long[60];

        synchronized void completed(long now) {
            total++;
            lastSuccessAt = now;
            tick(now);
        }

        synchronized void failed(long now, String error) {
            total++;
            failed++;
            lastError = error;
            lastErrorAt = now;
            tick(now);
        }

        private void tick(long now) {
            long s = now / 1000;
            int slot = (int) (s % 60);
            if (second[slot] != s) {
                second[slot] = s;
                perSecond.set(slot, 0);
            }
            perSecond.incrementAndGet(slot);
        }

        public synchronized long total() {
            return total;
        }

        public synchronized long failures() {
            return failed;
        }

        public synchronized String lastError() {
            return lastError;
        }

        public synchronized Instant lastErrorAt() {
            return lastErrorAt == 0 ? null : Instant.ofEpochMilli(lastErrorAt);
        }

        /** The last attempt failed and nothing succeeded since. */
        public synchronized boolean failing() {
            return lastErrorAt != 0 && lastErrorAt >= lastSuccessAt;
        }

        /** Exchanges in the last 60 s. */
        public synchronized double perMinute(long now) {
            long s = now / 1000;
            long sum = 0;
            for (int i = 0; i < 60; i++) {
                if (s - second[i] < 60) {
                    sum += perSecond.get(i);
                }
            }
            return sum;
        }
    }
}
