package org.blohub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.hub.HubTestSupport;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hub in-process (HubTestSupport), with failures made for real and the operators' API called over HTTP. */
abstract class OperationsTestSupport extends HubTestSupport {

    static final String OFFICE = "VN-LAOCAI";
    static final String AGENCY = "VN-DRUG";

    @Autowired
    DeadLetters deadLetters;
    @Autowired
    QuarantineStore quarantine;

    private final List<Connection> own = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeOwnConnections() throws JMSException {
        for (Connection c : own) {
            c.close();
        }
        own.clear();
    }

    /** A DRUG_TRAFFICKING alert from VN-LAOCAI: routed to VN-FOCAL, VN-DRUG, VN-CUSTOMS and CN-FOCAL. */
    static String json(String ref, String severity) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":["DRUG_TRAFFICKING"],"urgency":"Immediate","severity":"%s","certainty":"Observed",
                 "language":"vi","headline":"Bắt giữ 12 kg methamphetamine tại cửa khẩu",
                 "areas":[{"areaDesc":"Cửa khẩu quốc tế Lào Cai","country":"VN"}],"tlp":"TLP:AMBER"}
                """.formatted(ref, severity);
    }

    static String alertId(String ref) {
        return Normalizer.alertId(OFFICE, ref);
    }

    /** A transacted session over TCP as this principal. */
    Session transacted(String id) throws JMSException {
        Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection(id, password(id));
        own.add(c);
        c.start();
        return c.createSession(true, Session.SESSION_TRANSACTED);
    }

    /**
     * A delivery that fails for real: the agency takes the alert from its queue and rolls back, every time, until the
     * broker (max-delivery-attempts=3 in the tests) moves it to DLQ.agency.&lt;AGENCY&gt;. Returns its dead-letter id.
     */
    String deadLetterOf(String ref) throws Exception {
        String alertId = alertId(ref);
        assertThat(receipt(OFFICE, sendText(OFFICE, json(ref, "Severe"))).get("status").asText()).isEqualTo("ACCEPTED");
        Session s = transacted(AGENCY);
        try (MessageConsumer c = s.createConsumer(s.createQueue("agency." + AGENCY), "bloAlertId = '" + alertId + "'")) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                assertThat(c.receive(20_000)).as("delivery attempt %d", attempt).isNotNull();
                s.rollback();
            }
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list(new DeadLetters.Filter(null, AGENCY, null), 0, 500)
                        .items().stream().filter(d -> alertId.equals(d.alertId())).findFirst(), java.util.Optional::isPresent)
                .orElseThrow().id();
    }

    /** What the agency gets for this alert (waits up to 20 s for the first), as JMS messages. */
    List<Message> agencyReceives(String alertId) throws JMSException {
        Session s = session(AGENCY);
        List<Message> out = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(s.createQueue("agency." + AGENCY), "bloAlertId = '" + alertId + "'")) {
            for (Message m = c.receive(20_000); m != null; m = c.receive(300)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The quarantine id of the input the office sent as {@code originalId} (waits for it). */
    String quarantineIdOf(String originalId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> quarantine.list(new QuarantineStore.Filter(OFFICE, null), 0, 500)
                        .items().stream().filter(q -> originalId.equals(q.originalId())).findFirst(), java.util.Optional::isPresent)
                .orElseThrow().id();
    }

    // --- HTTP ------------------------------------------------------------------------------------------------------

    HttpResponse<byte[]> call(String method, String path, String user, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password(user)).getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> call(String method, String path, String user) throws Exception {
        return call(method, path, user, null, null);
    }

    /** Calls and expects {@code status}; returns the JSON answer. */
    JsonNode json(String method, String path, String user, int status) throws Exception {
        return json(call(method, path, user), status);
    }

    static JsonNode json(HttpResponse<byte[]> r, int status) throws Exception {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(r.request().method() + " " + r.request().uri() + ": " + text).isEqualTo(status);
        return AlertJson.mapper().readTree(text);
    }

    /** The audit rows for this alert, newest first, as a viewer reads them. */
    List<JsonNode> auditOf(String query) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        json("GET", "/api/audit?size=500&" + query, Credentials.VIEWER, 200).get("items").forEach(rows::add);
        return rows;
    }
}
