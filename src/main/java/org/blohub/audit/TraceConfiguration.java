package org.blohub.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.blohub.routing.Router;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;
import java.time.Duration;

/** The trace's parts: the writer the routes use, the query the API and console use, and retention. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class TraceConfiguration {

    /** The writer's bean name, for routes: {@code bean: {ref: alertTrace, method: delivered(...)}}. */
    public static final String TRACE_BEAN = "alertTrace";
    /** The pipeline steps' bean name (routes/*.camel.yaml). */
    public static final String STEPS_BEAN = "traceSteps";

    @Bean(TRACE_BEAN)
    Trace alertTrace(JdbcTemplate jdbc, Router router, ObjectProvider<MeterRegistry> meters,
                     ObjectProvider<TraceListener> listener) {
        MeterRegistry registry = meters.getIfAvailable();
        Runnable onFailure = () -> { };
        if (registry != null) {
            Counter failures = Counter.builder("blo.trace.failures")
                    .description("trace writes that failed (logged; the alerts went on)").register(registry);
            onFailure = failures::increment;
        }
        return new Trace(jdbc, router.agencies(), Clock.systemUTC(), onFailure, listener.getIfAvailable(() -> TraceListener.NONE));
    }

    @Bean(STEPS_BEAN)
    TraceSteps traceSteps(Trace alertTrace) {
        return new TraceSteps(alertTrace);
    }

    @Bean
    TraceQuery traceQuery(JdbcTemplate jdbc) {
        return new TraceQuery(jdbc);
    }

    @Bean
    TraceRetention traceRetention(JdbcTemplate jdbc, @Value("${blo.trace.retention:P90D}") Duration retention) {
        return new TraceRetention(jdbc, retention, Clock.systemUTC());
    }
}
