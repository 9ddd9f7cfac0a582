package org.blohub.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.blohub.routing.Router;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import javax.sql.DataSource;

import java.time.Clock;
import java.time.Duration;

/** The trace's parts: its database, the writer the routes use, the query the API and console use, and retention. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class TraceConfiguration {

    /** The writer's bean name, for routes: {@code bean: {ref: alertTrace, method: delivered(...)}}. */
    public static final String TRACE_BEAN = "alertTrace";
    /** The pipeline steps' bean name (routes/*.camel.yaml). */
    public static final String STEPS_BEAN = "traceSteps";

    /**
     * The trace's database: {@code blo.trace.datasource.url} (standalone: an H2 file of its own), or, when that is
     * empty (the production profile), the hub's own database.
     */
    @Bean
    @DependsOnDatabaseInitialization // sharing the hub's database: after its Flyway, which wants to find it empty
    TraceStore traceStore(DataSource hub, @Value("${blo.trace.datasource.url:}") String url,
                          @Value("${blo.trace.datasource.username:}") String username,
                          @Value("${blo.trace.datasource.password:}") String password) {
        return url.isBlank() ? TraceStore.shared(hub) : TraceStore.own(url, username, password);
    }

    @Bean(TRACE_BEAN)
    Trace alertTrace(TraceStore store, Router router, ObjectProvider<MeterRegistry> meters,
                     ObjectProvider<TraceListener> listener) {
        MeterRegistry registry = meters.getIfAvailable();
        Runnable onFailure = () -> { };
        if (registry != null) {
            Counter failures = Counter.builder("blo.trace.failures")
                    .description("trace writes that failed (logged; the alerts went on)").register(registry);
            onFailure = failures::increment;
        }
        return new Trace(store.jdbc(), router.agencies(), Clock.systemUTC(), onFailure, listener.getIfAvailable(() -> TraceListener.NONE));
    }

    @Bean(STEPS_BEAN)
    TraceSteps traceSteps(Trace alertTrace) {
        return new TraceSteps(alertTrace);
    }

    @Bean
    TraceQuery traceQuery(TraceStore store) {
        return new TraceQuery(store.jdbc());
    }

    @Bean
    TraceRetention traceRetention(TraceStore store, @Value("${blo.trace.retention:P90D}") Duration retention) {
        return new TraceRetention(store.jdbc(), retention, Clock.systemUTC());
    }
}
