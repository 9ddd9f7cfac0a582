package org.blohub.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.hub.HubTestSupport;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5, must show 4 and 5, and the channels' health: the hub's metrics tagged office, agency and channel, read
 * from /actuator/prometheus as a scraper would; health and its probes open, everything else refused without a login;
 * an agency's mail relay down shows its delivery channel DOWN while the hub stays UP, and UP again once it is back.
 */
@AutoConfigureObservability(tracing = false) // Spring Boot's tests leave metric export off unless asked
class MonitorEndToEndTest extends HubTestSupport {

    static final int RELAY_PORT = freePort();
    static volatile GreenMail relay;

    @DynamicPropertySource
    static void relay(DynamicPropertyRegistry registry) {
        registry.add("blo.mail.smtp.host", () -> "127.0.0.1");
        registry.add("blo.mail.smtp.port", () -> RELAY_PORT);
    }

    @Autowired
    HubMonitor monitor;

    final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void withoutALoginOnlyHealthIsOpen() throws Exception {
        awaitReady();
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        for (String path : new String[]{"/actuator/prometheus", "/actuator/metrics", "/actuator/info", "/api/alerts",
                "/api/dead-letters", "/api/quarantine"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/actuator/prometheus", "VN-LAOCAI").statusCode()).as("an office is no operator").isEqualTo(403);
    }

    @Test
    void aDeliveryChannelIsDownWhileItsServerIsAndTheHubStaysUpAndEveryMetricIsTagged() throws Exception {
        // the relay is down: VN-TIP (mail) cannot be reached
        String ref = uniqueRef("MON");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        receipt("VN-LAOCAI", sendText("VN-LAOCAI", json(ref)));
        await().atMost(Duration.ofSeconds(30)).until(() -> status("mail-deliver-VN-TIP").equals("DOWN"));
        ChannelState tip = channel("mail-deliver-VN-TIP");
        assertThat(tip.channel()).isEqualTo("EMAIL");
        assertThat(tip.direction()).isEqualTo("OUT");
        assertThat(tip.agency()).isEqualTo("VN-TIP");
        assertThat(tip.lastError()).isNotBlank().doesNotContain(ref);
        assertThat(status("ingest-jms-VN-LAOCAI")).isEqualTo("UP");

        awaitReady();
        HttpResponse<String> health = get("/actuator/health", Credentials.VIEWER);
        assertThat(health.statusCode()).as("the hub stays up: " + health.body()).isEqualTo(200);
        JsonNode h = AlertJson.mapper().readTree(health.body());
        assertThat(h.get("status").asText()).isEqualTo("UP");
        assertThat(h.at("/components/channels/details/mail-deliver-VN-TIP").asText()).startsWith("DOWN");
        assertThat(h.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(h.at("/components/jms/status").asText()).isEqualTo("UP");
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);

        // an XXE attempt, quarantined
        receipt("VN-LAOCAI", sendText("VN-LAOCAI", """
                <?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>"""));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = get("/actuator/prometheus", Credentials.OPERATOR).body();
            assertThat(value(metrics, "blo_alerts_received_total{channel=\"JMS\",office=\"VN-LAOCAI\"}")).isGreaterThanOrEqualTo(2);
            assertThat(value(metrics, "blo_alerts_delivered_total{agency=\"VN-FOCAL\",channel=\"JMS\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "blo_alerts_failed_total{agency=\"VN-TIP\",channel=\"SMTP\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "blo_alerts_quarantined_total{channel=\"JMS\",reason=\"HOSTILE_XML\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "blo_alert_latency_seconds_count{agency=\"VN-FOCAL\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "blo_queue_depth{agency=\"VN-FOCAL\",queue=\"agency.VN-FOCAL\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(metrics, "blo_dead_letters{agency=\"VN-TIP\"}")).isGreaterThanOrEqualTo(1);
            assertThat(metrics).contains("camel_exchanges_total{").contains("routeId=\"ingest-jms-VN-LAOCAI\"");
        });
        // the trace over the API: routed to three agencies or more, the JMS ones delivered, the mail one failed at
        // every attempt (and dead-lettered), nothing missing
        List<JsonNode> events = await().atMost(Duration.ofSeconds(20)).until(() -> trace(alertId),
                rows -> rows.stream().filter(e -> e.get("event").asText().equals("FAILED")).count() == 3);
        Function<String, List<JsonNode>> of = name -> events.stream().filter(e -> e.get("event").asText().equals(name)).toList();
        assertThat(of.apply("RECEIVED")).hasSize(1);
        assertThat(of.apply("NORMALIZED")).hasSize(1);
        List<String> routed = of.apply("ROUTED").stream().map(e -> e.get("agency").asText()).toList();
        assertThat(routed).hasSizeGreaterThanOrEqualTo(3).contains("VN-TIP", "VN-FOCAL");
        assertThat(of.apply("ROUTED")).allSatisfy(e -> assertThat(e.get("rule").asText()).isNotBlank());
        assertThat(of.apply("DELIVERED")).extracting(e -> e.get("agency").asText())
                .containsExactlyInAnyOrderElementsOf(routed.stream().filter(a -> !a.equals("VN-TIP")).toList());
        assertThat(of.apply("FAILED")).extracting(e -> e.get("agency").asText() + "#" + e.get("attempt").asInt())
                .containsExactly("VN-TIP#1", "VN-TIP#2", "VN-TIP#3");
        JsonNode item = AlertJson.mapper().readTree(get("/api/alerts?status=FAILED&sourceRef=" + ref, Credentials.VIEWER).body());
        assertThat(item.get("total").asLong()).isEqualTo(1);
        assertThat(item.at("/items/0/alertId").asText()).isEqualTo(alertId);

        assertThat(monitor.agencyQueues()).anySatisfy(q -> {
            assertThat(q.agency()).isEqualTo("VN-TIP");
            assertThat(q.queue()).isEqualTo("hub.outbox.VN-TIP");
            assertThat(q.deadLetters()).isGreaterThanOrEqualTo(1);
        });

        // the relay is back: the next alert gets through, and the channel is UP again
        relay = new GreenMail(new ServerSetup(RELAY_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        relay.start();
        receipt("VN-LAOCAI", sendText("VN-LAOCAI", json(uniqueRef("MON-BACK"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> status("mail-deliver-VN-TIP").equals("UP"));
        assertThat(relay.getReceivedMessages()).isNotEmpty();
        assertThat(alertId).isNotBlank();
    }

    List<JsonNode> trace(String alertId) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        AlertJson.mapper().readTree(get("/api/alerts/" + alertId + "/trace", Credentials.VIEWER).body())
                .path("events").forEach(events::add);
        return events;
    }

    /**
     * Camel's readiness holds each polling consumer (mailbox, SFTP inboxes) DOWN until its first poll, so a hub just
     * started is not ready for a few seconds: wait for that, as a load balancer would.
     */
    void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/actuator/health", null).statusCode() == 200);
    }

    private String status(String routeId) {
        return channel(routeId).status();
    }

    private ChannelState channel(String routeId) {
        return monitor.channels().stream().filter(c -> c.routeId().equals(routeId)).findFirst().orElseThrow();
    }

    /** A sample's value in the Prometheus text format, or -1. */
    static double value(String metrics, String sample) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String json(String ref) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":["TRAFFICKING_IN_PERSONS"],"urgency":"Immediate","severity":"Severe","certainty":"Observed",
                 "language":"vi","headline":"Hai phụ nữ bị đưa qua cửa khẩu",
                 "areas":[{"areaDesc":"Cửa khẩu quốc tế Lào Cai","country":"VN"}],"tlp":"TLP:AMBER"}
                """.formatted(ref);
    }
}
