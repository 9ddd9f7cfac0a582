package org.blohub.operations;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input in quarantine: listed with its reason and original bytes, re-submitted corrected (accepted, delivered,
 * and the office's receipt correlates to what it sent), re-submitted as is (rejected again, kept again), discarded;
 * a refused re-submission changes nothing; every action audited with the operator's name.
 */
class QuarantineEndToEndTest extends OperationsTestSupport {

    @Test
    void badInputIsListedWithItsReasonAndOriginalBytesAndACorrectedResubmissionIsDelivered() throws Exception {
        String ref = uniqueRef("QR");
        String alertId = alertId(ref);
        String bad = json(ref, "Apocalyptic");
        String original = sendText(OFFICE, bad);
        assertThat(receipt(OFFICE, original).get("status").asText()).isEqualTo("REJECTED");
        String id = quarantineIdOf(original);

        JsonNode listed = DeadLettersEndToEndTest.find(
                json("GET", "/api/quarantine?office=" + OFFICE + "&size=500", Credentials.VIEWER, 200).get("items"), "id", id);
        assertThat(listed.get("reason").asText()).contains("severity");
        assertThat(listed.get("office").asText()).isEqualTo(OFFICE);
        assertThat(listed.get("channel").asText()).isEqualTo("JMS");
        assertThat(listed.get("originalId").asText()).isEqualTo(original);
        assertThat(listed.get("quarantinedAt").asText()).isNotBlank();
        assertThat(json("GET", "/api/quarantine?office=CN-HEKOU&size=500", Credentials.VIEWER, 200).get("items"))
                .noneMatch(q -> q.get("id").asText().equals(id));

        HttpResponse<byte[]> bytes = call("GET", "/api/quarantine/" + id + "/original", Credentials.VIEWER);
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.headers().firstValue("Content-Type").orElse("")).startsWith("application/octet-stream");
        assertThat(bytes.body()).isEqualTo(utf8(bad));

        JsonNode detail = json("GET", "/api/quarantine/" + id, Credentials.OPERATOR, 200);
        assertThat(detail.at("/quarantined/reason").asText()).contains("severity");
        assertThat(detail.at("/message/properties/bloReason").asText()).contains("severity");
        assertThat(detail.at("/message/properties/bloCharset").asText()).isEqualTo("UTF-8");
        assertThat(detail.at("/message/bodyText").asText()).isEqualTo(bad);
        assertThat(Base64.getDecoder().decode(detail.at("/message/body").asText())).isEqualTo(utf8(bad));

        // corrected by the operator and re-submitted: through the whole pipeline as the office's
        byte[] corrected = utf8(json(ref, "Severe"));
        JsonNode r = json(call("POST", "/api/quarantine/" + id + "/resubmit", Credentials.OPERATOR, corrected,
                "application/json; charset=UTF-8"), 200);
        assertThat(r.get("office").asText()).isEqualTo(OFFICE);
        assertThat(r.get("queue").asText()).isEqualTo("blo.inbound." + OFFICE);
        assertThat(r.get("originalId").asText()).isEqualTo(original);
        assertThat(r.get("corrected").asBoolean()).isTrue();

        JsonNode receipt = receipt(OFFICE, original);
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("alertId").asText()).isEqualTo(alertId);
        assertThat(receipt.get("originalId").asText()).isEqualTo(original);
        List<Message> got = agencyReceives(alertId);
        assertThat(got).hasSize(1);
        JsonNode alert = AlertJson.mapper().readTree(((TextMessage) got.get(0)).getText());
        assertThat(alert.get("severity").asText()).isEqualTo("Severe");
        assertThat(alert.get("office").asText()).isEqualTo(OFFICE);
        assertThat(alert.at("/provenance/originalId").asText()).isEqualTo(original);

        assertThat(quarantine.list(QuarantineStore.Filter.ALL, 0, 500).items()).noneMatch(q -> q.id().equals(id));
        json("POST", "/api/quarantine/" + id + "/resubmit", Credentials.OPERATOR, 404);

        List<JsonNode> audit = auditOf("operator=operator&action=RESUBMIT_QUARANTINED");
        assertThat(audit.get(0).get("outcome").asText()).isEqualTo("NOT_FOUND");
        JsonNode done = audit.get(1);
        assertThat(done.get("outcome").asText()).isEqualTo("OK");
        assertThat(done.get("queue").asText()).isEqualTo("hub.quarantine");
        assertThat(done.get("detail").asText()).contains("corrected body").contains(original).contains("blo.inbound." + OFFICE)
                .doesNotContain("methamphetamine");
        assertThat(auditOf("action=READ_QUARANTINED_ORIGINAL&operator=viewer").get(0).get("outcome").asText()).isEqualTo("OK");
        assertThat(auditOf("action=INSPECT_QUARANTINED&operator=operator").get(0).get("outcome").asText()).isEqualTo("OK");
    }

    @Test
    void aResubmissionAsItWasIsRejectedAgainKeptAgainAndThenDiscarded() throws Exception {
        String bad = "hello, is this the hub? " + uniqueRef("AS-IS");
        String original = sendText(OFFICE, bad);
        assertThat(receipt(OFFICE, original).get("status").asText()).isEqualTo("REJECTED");
        String id = quarantineIdOf(original);

        JsonNode r = json("POST", "/api/quarantine/" + id + "/resubmit", Credentials.OPERATOR, 200);
        assertThat(r.get("corrected").asBoolean()).isFalse();
        JsonNode again = receipt(OFFICE, original);
        assertThat(again.get("status").asText()).isEqualTo("REJECTED");
        assertThat(again.get("errors").toString()).contains("unknown format");

        // back in quarantine as a new entry, the same bytes, marked as re-submitted by the operator
        QuarantineStore.Quarantined back = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> quarantine.list(new QuarantineStore.Filter(OFFICE, "JMS"), 0, 500).items().stream()
                        .filter(q -> original.equals(q.originalId())).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(back.id()).isNotEqualTo(id);
        assertThat(back.resentBy()).isEqualTo("operator");
        assertThat(quarantine.original(back.id(), "operator")).isEqualTo(utf8(bad));

        JsonNode d = json("DELETE", "/api/quarantine/" + back.id(), Credentials.OPERATOR, 200);
        assertThat(d.get("discarded").asText()).isEqualTo(back.id());
        assertThat(quarantine.list(QuarantineStore.Filter.ALL, 0, 500).items()).noneMatch(q -> original.equals(q.originalId()));
        json("DELETE", "/api/quarantine/" + back.id(), Credentials.OPERATOR, 404);
        List<JsonNode> discards = auditOf("action=DISCARD_QUARANTINED&operator=operator");
        assertThat(discards.get(0).get("outcome").asText()).isEqualTo("NOT_FOUND");
        assertThat(discards.get(1).get("outcome").asText()).isEqualTo("OK");
        assertThat(discards.get(1).get("detail").asText()).contains("unknown format").contains(original);
    }

    /** Input whose office is not known cannot be re-submitted as anyone's: refused, and the quarantine keeps it. */
    @Test
    void aRefusedResubmissionIsRolledBackAndTheInputStaysInQuarantine() throws Exception {
        Session hub = session(Credentials.HUB);
        BytesMessage m = hub.createBytesMessage();
        m.writeBytes(utf8("From: someone@elsewhere.example\r\n\r\nhello"));
        m.setStringProperty("bloReason", "unknown sender someone@elsewhere.example");
        m.setStringProperty("bloChannel", "EMAIL");
        m.setStringProperty("bloOriginalId", "<" + uniqueRef("mail") + "@elsewhere.example>");
        hub.createProducer(hub.createQueue("hub.quarantine")).send(m);
        String id = MessageIds.encode(m.getJMSMessageID());

        JsonNode refused = json("POST", "/api/quarantine/" + id + "/resubmit", Credentials.OPERATOR, 409);
        assertThat(refused.get("error").asText()).contains("office it came from is not known").contains("unknown sender");
        assertThat(quarantine.list(new QuarantineStore.Filter(null, "EMAIL"), 0, 500).items()).anyMatch(q -> q.id().equals(id));
        JsonNode row = auditOf("action=RESUBMIT_QUARANTINED&operator=operator").get(0);
        assertThat(row.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(row.get("messageId").asText()).isEqualTo(m.getJMSMessageID());

        quarantine.discard(id, "operator");
        assertThat(quarantine.list(new QuarantineStore.Filter(null, "EMAIL"), 0, 500).items()).noneMatch(q -> q.id().equals(id));
    }
}
