package org.blohub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.camel.CamelContext;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters made for real (an agency that rolls back every delivery until the broker gives up), listed, inspected,
 * replayed despite the broker's duplicate id, discarded; every action audited with the operator's name.
 */
class DeadLettersEndToEndTest extends OperationsTestSupport {

    @Autowired
    CamelContext camel;

    @Test
    void aDeadLetterIsListedWithItsReasonAndReplayedUnderAFreshDuplicateIdSoTheAgencyGetsIt() throws Exception {
        String ref = uniqueRef("DLQ");
        String alertId = alertId(ref);
        String id = deadLetterOf(ref);

        // listed (a viewer may read), with its queue, alert, duplicate id and reason
        JsonNode page = json("GET", "/api/dead-letters?agency=" + AGENCY + "&size=500", Credentials.VIEWER, 200);
        JsonNode listed = find(page.get("items"), "id", id);
        assertThat(listed.get("queue").asText()).isEqualTo("agency." + AGENCY);
        assertThat(listed.get("deadLetterQueue").asText()).isEqualTo("DLA::DLQ.agency." + AGENCY);
        assertThat(listed.get("alertId").asText()).isEqualTo(alertId);
        assertThat(listed.get("agency").asText()).isEqualTo(AGENCY);
        assertThat(listed.get("duplicateId").asText()).isEqualTo(alertId + ":" + AGENCY);
        assertThat(listed.get("reason").asText()).contains("agency." + AGENCY).contains("maximum delivery attempts");
        assertThat(json("GET", "/api/dead-letters?queue=agency.VN-FOCAL&size=500", Credentials.VIEWER, 200).get("items"))
                .noneMatch(d -> d.get("id").asText().equals(id));

        // inspected: every header and property, the body as text and as the original bytes
        JsonNode detail = json("GET", "/api/dead-letters/" + id, Credentials.OPERATOR, 200);
        JsonNode props = detail.at("/message/properties");
        assertThat(props.get("_AMQ_ORIG_ADDRESS").asText()).isEqualTo("agency." + AGENCY);
        assertThat(props.get("_AMQ_DUPL_ID").asText()).isEqualTo(alertId + ":" + AGENCY);
        assertThat(props.get("bloAlertId").asText()).isEqualTo(alertId);
        String text = detail.at("/message/bodyText").asText();
        assertThat(AlertJson.mapper().readTree(text).get("alertId").asText()).isEqualTo(alertId);
        assertThat(Base64.getDecoder().decode(detail.at("/message/body").asText())).isEqualTo(utf8(text));
        assertThat(detail.at("/message/headers/JMSMessageID").asText()).isEqualTo(listed.get("messageId").asText());

        // the trap: re-sent under its own duplicate id, the broker drops it silently
        Session hub = session(Credentials.HUB);
        TextMessage naive = hub.createTextMessage(text);
        naive.setStringProperty("_AMQ_DUPL_ID", alertId + ":" + AGENCY);
        naive.setStringProperty("bloAlertId", alertId);
        hub.createProducer(hub.createQueue("agency." + AGENCY)).send(naive);
        assertThat(count("agency." + AGENCY, "bloAlertId = '" + alertId + "'")).as("naive re-send dropped").isZero();

        // the replay goes out under a fresh id, and the agency gets the alert
        JsonNode replayed = json("POST", "/api/dead-letters/" + id + "/replay", Credentials.OPERATOR, 200);
        assertThat(replayed.get("queue").asText()).isEqualTo("agency." + AGENCY);
        assertThat(replayed.get("duplicateId").asText()).isEqualTo(alertId + ":" + AGENCY + ":replay:1");
        List<Message> got = agencyReceives(alertId);
        assertThat(got).hasSize(1);
        assertThat(((TextMessage) got.get(0)).getText()).isEqualTo(text);
        assertThat(got.get(0).getStringProperty("_AMQ_DUPL_ID")).isEqualTo(alertId + ":" + AGENCY + ":replay:1");
        assertThat(got.get(0).getIntProperty(DeadLetters.REPLAYS)).isEqualTo(1);
        assertThat(got.get(0).getStringProperty("bloAgency")).isEqualTo(AGENCY);
        assertThat(got.get(0).propertyExists("bloResentBy")).as("no operator name to agencies").isFalse();

        // gone from the dead letters; a second replay finds nothing and sends nothing
        assertThat(json("GET", "/api/dead-letters?agency=" + AGENCY + "&size=500", Credentials.VIEWER, 200).get("items"))
                .noneMatch(d -> d.get("id").asText().equals(id));
        assertThat(json("POST", "/api/dead-letters/" + id + "/replay", Credentials.OPERATOR, 404).get("error").asText())
                .contains(id);
        assertThat(count("agency." + AGENCY, "bloAlertId = '" + alertId + "'")).isZero();

        // audited with the operator's name, newest first, never the body
        List<JsonNode> audit = auditOf("alertId=" + alertId);
        assertThat(audit).extracting(a -> a.get("action").asText() + " " + a.get("outcome").asText() + " " + a.get("operator").asText())
                .containsExactly("REPLAY_DEAD_LETTER OK operator", "INSPECT_DEAD_LETTER OK operator");
        assertThat(audit.get(0).get("queue").asText()).isEqualTo("agency." + AGENCY);
        assertThat(audit.get(0).get("messageId").asText()).isEqualTo(listed.get("messageId").asText());
        assertThat(audit.get(0).get("detail").asText()).contains(":replay:1").doesNotContain("methamphetamine");
        assertThat(audit.get(0).get("at").asText()).isNotBlank();
        assertThat(audit.get(0).get("finishedAt").asText()).isNotBlank();
        // the replay that found nothing is there too (the alert it was for is not known then)
        JsonNode missed = auditOf("action=REPLAY_DEAD_LETTER&operator=operator").get(0);
        assertThat(missed.get("outcome").asText()).isEqualTo("NOT_FOUND");
        assertThat(missed.get("messageId").asText()).isEqualTo(listed.get("messageId").asText());
    }

    @Test
    void aReplayedDeadLetterThatFailsAgainIsReplayedUnderTheNextId() throws Exception {
        String ref = uniqueRef("DLQ2");
        String alertId = alertId(ref);
        String first = deadLetterOf(ref);
        deadLetters.replay(first, "operator");
        // the agency fails it again: it comes back carrying replay 1
        Session s = transacted(AGENCY);
        try (var c = s.createConsumer(s.createQueue("agency." + AGENCY), "bloAlertId = '" + alertId + "'")) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                assertThat(c.receive(20_000)).isNotNull();
                s.rollback();
            }
        }
        DeadLetters.DeadLetter again = await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters
                        .list(new DeadLetters.Filter("agency." + AGENCY, null, null), 0, 500).items().stream()
                        .filter(d -> alertId.equals(d.alertId())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(again.replays()).isEqualTo(1);
        assertThat(again.duplicateId()).isEqualTo(alertId + ":" + AGENCY + ":replay:1");
        assertThat(deadLetters.replay(again.id(), "operator").duplicateId()).isEqualTo(alertId + ":" + AGENCY + ":replay:2");
        assertThat(agencyReceives(alertId)).hasSize(1);
    }

    @Test
    void twoOperatorsReplayingOneDeadLetterAtOnceDeliverItOnce() throws Exception {
        String ref = uniqueRef("RACE");
        String alertId = alertId(ref);
        String id = deadLetterOf(ref);
        List<CompletableFuture<Object>> both = new ArrayList<>();
        for (String who : List.of("operator", "operator2")) {
            both.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return deadLetters.replay(id, who);
                } catch (OperationException.NotFound e) {
                    return e;
                }
            }));
        }
        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Object> f : both) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(results).filteredOn(r -> r instanceof DeadLetters.Replayed).hasSize(1);
        assertThat(results).filteredOn(r -> r instanceof OperationException.NotFound).hasSize(1);
        assertThat(agencyReceives(alertId)).hasSize(1);
        assertThat(auditOf("alertId=" + alertId).stream().map(a -> a.get("outcome").asText()))
                .containsExactlyInAnyOrder("OK");
        assertThat(auditOf("action=REPLAY_DEAD_LETTER&size=500").stream()
                .filter(a -> a.get("messageId").asText().equals(MessageIds.decodeDeadLetter(id).orElseThrow()[1]))
                .map(a -> a.get("outcome").asText())).containsExactlyInAnyOrder("OK", "NOT_FOUND");
    }

    @Test
    void aDiscardedDeadLetterIsGoneForGoodAndAudited() throws Exception {
        String ref = uniqueRef("DISC");
        String alertId = alertId(ref);
        String id = deadLetterOf(ref);

        JsonNode r = json("DELETE", "/api/dead-letters/" + id, Credentials.OPERATOR, 200);
        assertThat(r.get("discarded").asText()).isEqualTo(id);
        assertThat(deadLetters.list(new DeadLetters.Filter(null, AGENCY, null), 0, 500).items())
                .noneMatch(d -> d.id().equals(id));
        assertThat(count("agency." + AGENCY, "bloAlertId = '" + alertId + "'")).isZero();
        json("DELETE", "/api/dead-letters/" + id, Credentials.OPERATOR, 404);
        json("GET", "/api/dead-letters/" + id, Credentials.OPERATOR, 404);

        assertThat(auditOf("alertId=" + alertId)).extracting(a -> a.get("action").asText() + " " + a.get("outcome").asText())
                .containsExactly("DISCARD_DEAD_LETTER OK");
        List<JsonNode> discards = auditOf("action=DISCARD_DEAD_LETTER&operator=operator");
        assertThat(discards.get(0).get("outcome").asText()).isEqualTo("NOT_FOUND");
        assertThat(discards.get(1).get("alertId").asText()).isEqualTo(alertId);
        assertThat(discards.get(1).get("detail").asText()).contains("discarded from DLA::DLQ.agency." + AGENCY);
    }

    /**
     * An office's own message that dead-lettered on its inbound queue: the replay is sent by the hub (the broker
     * stamps the hub as validated user), yet the ingest takes it as the office's, and the receipt correlates to what
     * the office sent. Without the operator's mark, the hub's message to an office queue is still refused.
     */
    @Test
    void anOfficesDeadLetterIsReplayedAsTheOfficesAndItsReceiptCorrelatesToTheOriginal() throws Exception {
        String route = "ingest-jms-" + OFFICE;
        String ref = uniqueRef("INB");
        String alertId = alertId(ref);
        String original;
        camel.getRouteController().stopRoute(route);
        try {
            original = sendText(OFFICE, json(ref, "Severe"));
            // a consumer that fails every time (as the ingest would with, say, its database down)
            Session s = transacted(Credentials.HUB);
            try (var c = s.createConsumer(s.createQueue("blo.inbound." + OFFICE), "JMSMessageID = '" + original + "'")) {
                for (int attempt = 1; attempt <= 3; attempt++) {
                    assertThat(c.receive(20_000)).isNotNull();
                    s.rollback();
                }
            }
        } finally {
            camel.getRouteController().startRoute(route);
        }
        DeadLetters.DeadLetter dl = await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters
                        .list(new DeadLetters.Filter(null, null, OFFICE), 0, 500).items().stream()
                        .filter(d -> original.equals(d.messageId())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(dl.queue()).isEqualTo("blo.inbound." + OFFICE);
        assertThat(dl.office()).isEqualTo(OFFICE);

        JsonNode replayed = json("POST", "/api/dead-letters/" + dl.id() + "/replay", Credentials.OPERATOR, 200);
        assertThat(replayed.get("queue").asText()).isEqualTo("blo.inbound." + OFFICE);
        JsonNode receipt = receipt(OFFICE, original);
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("alertId").asText()).isEqualTo(alertId);
        List<Message> got = agencyReceives(alertId);
        assertThat(got).hasSize(1);
        JsonNode alert = AlertJson.mapper().readTree(((TextMessage) got.get(0)).getText());
        assertThat(alert.get("office").asText()).isEqualTo(OFFICE);
        assertThat(alert.at("/provenance/originalId").asText()).isEqualTo(original);

        // the control: the hub putting a message on an office's queue without an operator's mark is not the office's
        String unmarked = sendText(Credentials.HUB, OFFICE, json(uniqueRef("UNMARKED"), "Severe"));
        JsonNode refused = receipt(OFFICE, unmarked);
        assertThat(refused.get("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.get("errors").toString()).contains("sent by 'hub'");
    }

    private String sendText(String as, String office, String text) throws Exception {
        Session s = session(as);
        TextMessage m = s.createTextMessage(text);
        s.createProducer(s.createQueue("blo.inbound." + office)).send(m);
        return m.getJMSMessageID();
    }

    static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode n : items) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no item with " + field + " = " + value + " in " + items);
    }
}
