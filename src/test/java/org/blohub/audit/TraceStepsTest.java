package org.blohub.audit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.blohub.alert.Alert;
import org.blohub.alert.Tlp;
import org.blohub.audit.TraceEvent.Event;
import org.blohub.db.MutableClock;
import org.blohub.db.TestDatabases;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Outcome;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Routed;
import org.blohub.routing.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace's steps in a Camel route: what an attempt did is written at once, what it achieved only when its
 * exchange completes, never when it fails; a trace store that fails costs no message.
 */
class TraceStepsTest {

    static final Router ROUTER = Router.load(Path.of("config"), OfficeRegistry.load(Path.of("config")));

    CamelContext camel;
    JdbcTemplate jdbc;
    Trace trace;
    TraceQuery query;
    Alert alert;

    @BeforeEach
    void start() throws Exception {
        DataSource ds = TestDatabases.h2();
        TestDatabases.migrate(ds);
        jdbc = new JdbcTemplate(ds);
        trace = new Trace(jdbc, ROUTER.agencies(), new MutableClock(Instant.parse("2026-11-23T02:00:00Z")));
        query = new TraceQuery(jdbc);
        alert = alert();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(TraceConfiguration.STEPS_BEAN, new TraceSteps(trace));
        Routed routed = new Routed(alert, ROUTER.route(alert));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the shape of the hub's routes: intake, trace, split per alert, route, deliver, trace
                from("direct:in").setBody(constant(List.of(new Outcome.Accepted(alert))))
                        .bean(TraceConfiguration.STEPS_BEAN, "received")
                        .split(body())
                            .setBody(constant(routed))
                            .bean(TraceConfiguration.STEPS_BEAN, "routed")
                            .bean(TraceConfiguration.STEPS_BEAN, "handedOver")
                        .end()
                        .filter(exchangeProperty("fail"))
                            .throwException(new IllegalStateException("the receipt could not be sent"));
                from("direct:handedOverAlone").setBody(constant(routed)).bean(TraceConfiguration.STEPS_BEAN, "handedOver");
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        camel.stop();
        trace.close();
    }

    @Test
    void deliveriesAreRecordedWhenTheInboundExchangeCompletesInOneGo() {
        Exchange done = camel.createProducerTemplate().send("direct:in", inbound(false));
        assertThat(done.getException()).isNull();
        List<Event> events = written().trace(alert.alertId()).stream().map(TraceEvent::event).toList();
        int recipients = ROUTER.route(alert).recipients().size();
        assertThat(events).startsWith(Event.RECEIVED, Event.NORMALIZED);
        assertThat(events.stream().filter(e -> e == Event.ROUTED)).hasSize(recipients);
        assertThat(events.stream().filter(e -> e == Event.DELIVERED || e == Event.QUEUED)).hasSize(recipients);
        assertThat(events.get(events.size() - 1)).isIn(Event.DELIVERED, Event.QUEUED);
    }

    @Test
    void whenTheInboundExchangeFailsItsSendsAreUndoneAndNoDeliveryIsRecorded() {
        Exchange failed = camel.createProducerTemplate().send("direct:in", inbound(true));
        assertThat(failed.getException()).isInstanceOf(IllegalStateException.class);
        List<Event> events = written().trace(alert.alertId()).stream().map(TraceEvent::event).toList();
        assertThat(events).as("what the attempt did is on record").contains(Event.RECEIVED, Event.NORMALIZED, Event.ROUTED);
        assertThat(events).as("what it would have achieved is not").doesNotContain(Event.DELIVERED, Event.QUEUED);
        TraceItem item = written().search(TraceSearch.all()).items().get(0);
        assertThat(item.status()).isEqualTo(AlertStatus.ACCEPTED);
        assertThat(item.agencies()).allSatisfy(a -> assertThat(a.state()).isEqualTo("PENDING"));
    }

    @Test
    void aStageCalledOnItsOwnIsRecordedAtOnce() {
        camel.createProducerTemplate().sendBody("direct:handedOverAlone", null);
        assertThat(written().trace(alert.alertId())).extracting(TraceEvent::event).contains(Event.DELIVERED);
    }

    @Test
    void aTraceStoreThatFailsCostsNoMessageOnlyAGapThatIsCounted() throws InterruptedException {
        jdbc.execute("ALTER TABLE alert_trace RENAME TO alert_trace_away");
        Exchange done = camel.createProducerTemplate().send("direct:in", inbound(false));
        assertThat(done.getException()).as("the alert goes on").isNull();
        int recipients = ROUTER.route(alert).recipients().size();
        trace.flush(Duration.ofSeconds(10));
        assertThat(trace.failures()).as("RECEIVED, NORMALIZED, ROUTED and QUEUED/DELIVERED per recipient")
                .isEqualTo(2 + 2L * recipients);
        jdbc.execute("ALTER TABLE alert_trace_away RENAME TO alert_trace");
        assertThat(written().trace(alert.alertId())).isEmpty();
    }

    Exchange inbound(boolean fail) {
        Exchange e = new DefaultExchange(camel);
        e.setProperty(Inbound.PROPERTY, new Inbound("VN-LAOCAI", Alert.Channel.JMS, "ID:steps-1",
                "{}".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8, null));
        e.setProperty("fail", fail);
        return e;
    }

    static Alert alert() {
        OffsetDateTime t = OffsetDateTime.parse("2026-11-23T02:00:00Z").withOffsetSameInstant(ZoneOffset.UTC);
        return new Alert(Alert.SCHEMA_VERSION, Normalizer.alertId("VN-LAOCAI", "STEPS-1"), "STEPS-1", "VN-LAOCAI", t,
                t, Alert.Status.Actual, Alert.MsgType.Alert, List.of(),
                List.of(Alert.Category.DRUG_TRAFFICKING, Alert.Category.TRAFFICKING_IN_PERSONS), Alert.Urgency.Immediate,
                Alert.Severity.Severe, Alert.Certainty.Observed, "vi", "test", null, List.of(),
                List.of(new Alert.Area("Lào Cai", "VN", null, null, null, null, null)), List.of(), List.of(), List.of(),
                Tlp.AMBER, List.of(), null, List.of(),
                new Alert.Provenance(Alert.Channel.JMS, Alert.OriginalFormat.JSON, "ID:steps-1", null, null, null, null));
    }


    /** The query, once every event recorded so far is written (the trace writes on a thread of its own). */
    private TraceQuery written() {
        try {
            trace.flush(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return query;
    }
}
