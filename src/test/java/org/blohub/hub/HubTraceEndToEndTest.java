package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.audit.TraceStore;
import org.blohub.broker.Credentials;
import org.blohub.dedupe.Ledger;
import org.blohub.normalize.Normalizer;
import org.blohub.routing.Router;
import org.blohub.routing.RoutingDecision;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Every alert has a trace (DESIGN §7), as operators read it over HTTP: received, normalized, routed (to whom, by
 * which rule; withheld and why), delivered or queued per agency; duplicates, rejected and quarantined inputs; and
 * the search by office, sourceRef, agency, status, received time, in pages.
 */
class HubTraceEndToEndTest extends HubTestSupport {

    @Autowired
    Router router;
    @Autowired
    Ledger ledger;
    @Autowired
    TraceStore traceStore;
    @Autowired
    JdbcTemplate hubJdbc;
    @Value("${blo.data-path}")
    String dataPath;

    @Test
    void anAlertRoutedToSeveralAgenciesShowsReceivedNormalizedRoutedWithRulesAndDeliveredPerAgency() throws Exception {
        String ref = uniqueRef("TR");
        String jmsId = sendAccepted(ref);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        RoutingDecision decision = router.route(ledger.find(alertId).orElseThrow());
        assertThat(decision.agencyIds()).containsExactlyInAnyOrder("VN-FOCAL", "VN-DRUG", "VN-CUSTOMS", "CN-FOCAL");

        List<JsonNode> events = awaitTrace(alertId, decision.recipients().size() * 2 + 2);
        assertThat(events).extracting(e -> e.get("event").asText()).startsWith("RECEIVED", "NORMALIZED");
        JsonNode received = events.get(0);
        assertThat(received.get("channel").asText()).isEqualTo("JMS");
        assertThat(received.get("office").asText()).isEqualTo("VN-LAOCAI");
        assertThat(received.get("sourceRef").asText()).isEqualTo(ref);
        assertThat(received.get("originalId").asText()).isEqualTo(jmsId);
        assertThat(received.get("rawSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(of(events, "ROUTED")).extracting(e -> tuple(e.get("agency").asText(), e.get("rule").asText()))
                .containsExactlyElementsOf(decision.recipients().stream()
                        .map(r -> tuple(r.agencyId(), r.rule())).toList());
        assertThat(of(events, "ROUTED")).extracting(e -> e.get("rule").asText())
                .contains("default", "counterpart-focal-point");
        assertThat(of(events, "DELIVERED")).extracting(e -> tuple(e.get("agency").asText(), e.get("channel").asText()))
                .containsExactlyInAnyOrder(tuple("VN-FOCAL", "JMS"), tuple("VN-DRUG", "JMS"),
                        tuple("VN-CUSTOMS", "JMS"), tuple("CN-FOCAL", "JMS"));
        assertThat(events).extracting(e -> Instant.parse(e.get("at").asText())).isSorted();

        JsonNode page = search("sourceRef=" + ref);
        assertThat(page.get("total").asLong()).isEqualTo(1);
        JsonNode item = page.get("items").get(0);
        assertThat(item.get("alertId").asText()).isEqualTo(alertId);
        assertThat(item.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(item.get("agencies")).extracting(a -> a.get("state").asText()).containsOnly("DELIVERED").hasSize(4);
    }

    @Test
    void theStandaloneTraceIsAnH2FileOfItsOwnNotTheLedgersDatabase() throws Exception {
        String ref = uniqueRef("TS");
        sendAccepted(ref);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        awaitTrace(alertId, 2);

        assertThat(Path.of(dataPath, "trace.mv.db")).isRegularFile();
        assertThat(traceStore.jdbc().queryForObject("SELECT COUNT(*) FROM alert_trace WHERE alert_id = ?", Long.class,
                alertId)).isPositive();
        // the ledger's database (every commit written at once) holds no trace rows to re-write at each commit
        assertThat(hubJdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'alert_trace'",
                Long.class)).isZero();
        assertThat(hubJdbc.queryForObject("SELECT COUNT(*) FROM alert_ledger WHERE alert_id = ?", Long.class, alertId))
                .isEqualTo(1);
    }

    @Test
    void anAlertPostedOverTheApiIsTracedAsItsChannelCommits() throws Exception {
        String ref = uniqueRef("TRA");
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/alerts"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("VN-LAOCAI:" + password("VN-LAOCAI")).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HubJmsEndToEndTest.json(ref))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        List<JsonNode> events = awaitTrace(alertId, 10);
        assertThat(events.get(0).get("channel").asText()).isEqualTo("API");
        assertThat(events.get(0).get("originalId").asText()).startsWith("api:");
        assertThat(of(events, "DELIVERED")).hasSize(4);
        assertThat(item("sourceRef=" + ref).get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void withheldAgenciesHaveTheirReasonAndAMailAgencyIsQueuedUntilItsChannelRecordsTheDelivery() throws Exception {
        String ref = uniqueRef("TRW");
        String jmsId = sendText("VN-LAOCAI", json(ref, "\"DRUG_TRAFFICKING\",\"TRAFFICKING_IN_PERSONS\"",
                "TLP:AMBER+STRICT", "VN", ""));
        assertThat(receipt("VN-LAOCAI", jmsId).get("status").asText()).isEqualTo("ACCEPTED");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        RoutingDecision decision = router.route(ledger.find(alertId).orElseThrow());
        assertThat(decision.agencyIds()).contains("VN-TIP").doesNotContain("VN-CUSTOMS");

        List<JsonNode> events = awaitTrace(alertId,
                2 + decision.recipients().size() * 2 + decision.withheld().size());
        assertThat(of(events, "WITHHELD")).extracting(e -> e.get("agency").asText())
                .containsExactlyElementsOf(decision.withheld().stream().map(RoutingDecision.Withheld::agencyId).toList());
        JsonNode customs = of(events, "WITHHELD").stream().filter(e -> e.get("agency").asText().equals("VN-CUSTOMS"))
                .findFirst().orElseThrow();
        assertThat(customs.get("detail").asText()).contains("not cleared for TLP:AMBER+STRICT");
        assertThat(customs.get("rule").asText()).isNotBlank();
        JsonNode queued = of(events, "QUEUED").get(0);
        assertThat(queued.get("agency").asText()).isEqualTo("VN-TIP");
        assertThat(queued.get("channel").asText()).isEqualTo("SMTP");
        assertThat(queued.get("detail").asText()).isEqualTo("hub.outbox.VN-TIP");

        // the mail route records the delivery once the standalone SMTP server took the mail
        List<JsonNode> delivered = await().atMost(Duration.ofSeconds(20))
                .until(() -> of(trace(alertId), "DELIVERED"), l -> l.stream().anyMatch(e -> e.get("agency").asText().equals("VN-TIP")));
        JsonNode tipDelivered = delivered.stream().filter(e -> e.get("agency").asText().equals("VN-TIP")).findFirst().orElseThrow();
        assertThat(tipDelivered.get("channel").asText()).isEqualTo("SMTP");
        JsonNode tip = await().atMost(Duration.ofSeconds(20)).until(() -> agency(item("sourceRef=" + ref), "VN-TIP"),
                a -> a.get("state").asText().equals("DELIVERED"));
        assertThat(tip.get("rule").asText()).isNotBlank();
        assertThat(item("sourceRef=" + ref).get("status").asText()).isEqualTo("DELIVERED");
    }

    static JsonNode agency(JsonNode item, String agency) {
        return StreamSupport.stream(item.get("agencies").spliterator(), false)
                .filter(a -> a.get("agency").asText().equals(agency)).findFirst().orElseThrow();
    }

    @Test
    void aDuplicateIsTracedNamingTheFirstAlertAndIsAnItemOfItsOwn() throws Exception {
        String ref = uniqueRef("TRD");
        String first = sendText("VN-LAOCAI", HubJmsEndToEndTest.json(ref));
        assertThat(receipt("VN-LAOCAI", first).get("status").asText()).isEqualTo("ACCEPTED");
        String again = sendText("VN-LAOCAI", HubJmsEndToEndTest.json(ref));
        assertThat(receipt("VN-LAOCAI", again).get("status").asText()).isEqualTo("DUPLICATE");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);

        JsonNode duplicate = await().atMost(Duration.ofSeconds(20)).until(
                () -> of(trace(alertId), "DUPLICATE"), l -> !l.isEmpty()).get(0);
        assertThat(duplicate.get("duplicateOf").asText()).isEqualTo(alertId);
        assertThat(duplicate.get("originalId").asText()).isEqualTo(again);
        JsonNode items = search("sourceRef=" + ref).get("items");
        assertThat(items).extracting(i -> tuple(i.get("originalId").asText(), i.get("status").asText()))
                .containsExactly(tuple(again, "DUPLICATE"), tuple(first, "DELIVERED"));
        assertThat(item("sourceRef=" + ref + "&status=DUPLICATE").get("duplicateOf").asText()).isEqualTo(alertId);
    }

    @Test
    void aRejectedInputIsQuarantinedWithItsReasonAndARefusedAlertIsRejectedWithItsId() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String bad = sendText("VN-CAUTREO", "{\"sourceRef\": \"oops\", ");
        assertThat(receipt("VN-CAUTREO", bad).get("status").asText()).isEqualTo("REJECTED");
        JsonNode quarantined = item("office=VN-CAUTREO&status=QUARANTINED&from=" + start);
        assertThat(quarantined.has("alertId")).isFalse();
        assertThat(quarantined.get("originalId").asText()).isEqualTo(bad);
        assertThat(quarantined.get("channel").asText()).isEqualTo("JMS");
        assertThat(quarantined.get("reason").asText()).contains("malformed JSON");

        String ref = uniqueRef("TRR");
        String red = sendText("VN-LAOCAI", json(ref, "\"TRAFFICKING_IN_PERSONS\"", "TLP:RED", "VN", "\"VN-TIP\""));
        assertThat(receipt("VN-LAOCAI", red).get("status").asText()).isEqualTo("REJECTED");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        List<JsonNode> events = awaitTrace(alertId, 3);
        assertThat(events).extracting(e -> e.get("event").asText()).containsExactly("RECEIVED", "NORMALIZED", "REJECTED");
        assertThat(events.get(2).get("detail").asText()).contains("VN-TIP").contains("not cleared for TLP:RED");
        JsonNode rejected = item("sourceRef=" + ref + "&status=REJECTED");
        assertThat(rejected.get("alertId").asText()).isEqualTo(alertId);
    }

    @Test
    void searchFiltersByOfficeSourceRefAgencyStatusReceivedTimeAndPages() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String a = uniqueRef("SA");
        String b = uniqueRef("SB");
        String c = uniqueRef("SC");
        accepted("VN-MOCBAI", HubJmsEndToEndTest.json(a).replace("Cửa khẩu quốc tế Lào Cai", "Mộc Bài"));
        accepted("VN-MOCBAI", json(b, "\"TRAFFICKING_IN_PERSONS\"", "TLP:AMBER", "VN", ""));
        awaitStatus(b, "DELIVERED"); // VN-TIP by mail too
        awaitStatus(a, "DELIVERED");
        Instant mid = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> Instant.now().isAfter(mid));
        accepted("KH-BAVET", json(c, "\"DRUG_TRAFFICKING\"", "TLP:AMBER", "KH", ""));
        String d = sendText("KH-BAVET", "this is not an alert");
        assertThat(receipt("KH-BAVET", d).get("status").asText()).isEqualTo("REJECTED");
        awaitStatus(c, "DELIVERED");

        String since = "from=" + start;
        assertThat(refs(since + "&office=VN-MOCBAI")).containsExactly(b, a);
        assertThat(refs(since + "&office=KH-BAVET")).containsExactly(null, c);
        assertThat(refs(since + "&sourceRef=" + a)).containsExactly(a);
        assertThat(refs("sourceRef=" + c)).containsExactly(c);
        assertThat(refs(since + "&agency=VN-DRUG")).containsExactly(a);
        assertThat(refs(since + "&agency=VN-TIP")).containsExactly(b);
        assertThat(refs(since + "&agency=KH-DRUG")).containsExactly(c);
        assertThat(refs(since + "&agency=KH-FOCAL")).as("counterpart focal point").containsExactly(c, b, a);
        assertThat(refs(since + "&status=DELIVERED")).containsExactly(c, b, a);
        assertThat(refs(since + "&status=ACCEPTED")).isEmpty();
        assertThat(refs(since + "&status=quarantined")).containsExactly((String) null);
        assertThat(refs(since + "&status=DUPLICATE")).isEmpty();
        assertThat(refs("from=" + mid)).containsExactly(null, c);
        assertThat(refs(since + "&to=" + mid)).containsExactly(b, a);
        assertThat(refs(since + "&office=VN-MOCBAI&agency=VN-DRUG&status=DELIVERED")).containsExactly(a);
        assertThat(refs(since + "&office=VN-MOCBAI&agency=VN-TIP&status=DELIVERED")).containsExactly(b);

        JsonNode first = search(since + "&page=0&size=3");
        assertThat(first.get("total").asLong()).isEqualTo(4);
        assertThat(first.get("page").asInt()).isZero();
        assertThat(first.get("size").asInt()).isEqualTo(3);
        assertThat(sourceRefs(first)).containsExactly(null, c, b);
        JsonNode second = search(since + "&page=1&size=3");
        assertThat(second.get("total").asLong()).isEqualTo(4);
        assertThat(sourceRefs(second)).containsExactly(a);

        assertThat(get("/api/alerts?status=LOST", Credentials.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?from=yesterday", Credentials.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?size=100000", Credentials.VIEWER).statusCode()).isEqualTo(400);
        assertThat(get("/api/alerts?office=VN-MOCBAI", Credentials.OPERATOR).statusCode()).isEqualTo(200);
        assertThat(get("/api/alerts?office=VN-MOCBAI", "VN-MOCBAI").statusCode()).as("an office may not read").isEqualTo(403);
        assertThat(get("/api/alerts/" + Normalizer.alertId("VN-MOCBAI", a) + "/trace", "VN-DRUG").statusCode())
                .as("nor an agency").isEqualTo(403);
        assertThat(get("/api/alerts/no-such-alert/trace", Credentials.VIEWER).statusCode()).isEqualTo(404);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static String json(String ref, String categories, String tlp, String country, String addressees) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":[%s],"urgency":"Immediate","severity":"Severe","certainty":"Observed",
                 "language":"en","headline":"trace test",
                 "areas":[{"areaDesc":"border crossing","country":"%s"}],"tlp":"%s","addressees":[%s]}
                """.formatted(ref, categories, country, tlp, addressees);
    }

    void accepted(String office, String body) throws Exception {
        String id = sendText(office, body);
        assertThat(receipt(office, id).get("status").asText()).isEqualTo("ACCEPTED");
    }

    /** The alert's trace over HTTP, once it has at least {@code rows} rows. */
    List<JsonNode> awaitTrace(String alertId, int rows) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> trace(alertId), l -> l.size() >= rows);
    }

    List<JsonNode> trace(String alertId) throws Exception {
        HttpResponse<String> r = get("/api/alerts/" + alertId + "/trace", Credentials.VIEWER);
        if (r.statusCode() == 404) {
            return List.of();
        }
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = AlertJson.mapper().readTree(r.body());
        assertThat(body.get("alertId").asText()).isEqualTo(alertId);
        List<JsonNode> out = new ArrayList<>();
        body.get("events").forEach(out::add);
        return out;
    }

    static List<JsonNode> of(List<JsonNode> events, String event) {
        return events.stream().filter(e -> e.get("event").asText().equals(event)).toList();
    }

    void awaitStatus(String ref, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> refs("sourceRef=" + ref + "&status=" + status).size() == 1);
    }

    JsonNode search(String query) throws Exception {
        HttpResponse<String> r = get("/api/alerts?" + encode(query), Credentials.VIEWER);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return AlertJson.mapper().readTree(r.body());
    }

    /** The only item the search finds. */
    JsonNode item(String query) throws Exception {
        JsonNode page = search(query);
        assertThat(page.get("total").asLong()).as(query).isEqualTo(1);
        return page.get("items").get(0);
    }

    List<String> refs(String query) throws Exception {
        JsonNode page = search(query);
        assertThat(page.get("total").asLong()).isEqualTo(page.get("items").size());
        return sourceRefs(page);
    }

    static List<String> sourceRefs(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.has("sourceRef") ? i.get("sourceRef").asText() : null));
        return out;
    }

    HttpResponse<String> get(String path, String user) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Encodes each value of a {@code k=v&k=v} query. */
    static String encode(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            params.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Sends a drug alert as VN-LAOCAI over JMS and waits for its ACCEPTED receipt; the JMS message id. */
    private String sendAccepted(String ref) throws Exception {
        String jmsId = sendText("VN-LAOCAI", HubJmsEndToEndTest.json(ref));
        assertThat(receipt("VN-LAOCAI", jmsId).get("status").asText()).isEqualTo("ACCEPTED");
        return jmsId;
    }
}
