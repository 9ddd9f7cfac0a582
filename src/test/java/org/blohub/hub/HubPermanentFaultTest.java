package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.blohub.alert.AlertJson;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault no retry can fix is rejected at once, never retried: a headline with ESC, which the XML rendering of
 * VN-CUSTOMS cannot carry (or, where the text is validated before routing, a validation error), gets one REJECTED
 * receipt over JMS and a 4xx over HTTP; it is quarantined once, reaches no agency, is not dead-lettered, and the
 * corrected alert with the same reference is then accepted as new.
 */
class HubPermanentFaultTest extends HubTestSupport {

    static final String OFFICE = "VN-LAOCAI";

    static String withEsc(String ref) {
        return HubJmsEndToEndTest.json(ref).replace("\"headline\":\"", "\"headline\":\"\\u001b[31m");
    }

    @Test
    void overJmsTheOfficeGetsOneRejectedReceiptAndNothingIsRetried() throws Exception {
        String ref = uniqueRef("PF");
        String alertId = Normalizer.alertId(OFFICE, ref);
        String inboundId = sendText(OFFICE, withEsc(ref));

        JsonNode receipt = receipt(OFFICE, inboundId);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(String.join("\n", errors(receipt))).containsIgnoringCase("1b");

        // once: one quarantine entry, one receipt, nothing left to redeliver, nothing dead-lettered, no agency has it
        assertThat(count(BrokerTopology.inbound(OFFICE), null)).as("left on the inbound queue").isZero();
        assertThat(count("hub.quarantine", "bloOriginalId = '" + inboundId + "'")).as("quarantined").isEqualTo(1);
        assertThat(count(BrokerTopology.receipts(OFFICE), "JMSCorrelationID = '" + inboundId + "'"))
                .as("further receipts").isZero();
        assertThat(deadLettered(BrokerTopology.inbound(OFFICE))).as("dead-lettered").isZero();
        for (String agency : HubReplyToTest.AGENCIES) {
            assertThat(count(BrokerTopology.agency(agency), "bloAlertId = '" + alertId + "'")).as(agency).isZero();
        }

        // the corrected alert with the same reference is new, not a DUPLICATE of the one no one got
        String again = sendText(OFFICE, HubJmsEndToEndTest.json(ref));
        JsonNode accepted = receipt(OFFICE, again);
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("alertId").asText()).isEqualTo(alertId);
    }

    @Test
    void overHttpTheOfficeGetsA4xxWithTheReason() throws Exception {
        String ref = uniqueRef("PFH");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/alerts"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (OFFICE + ":" + password(OFFICE)).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(withEsc(ref))).build(), HttpResponse.BodyHandlers.ofString());
        // 400 with the REJECTED receipt: the rejection and its quarantine were committed, not rolled back
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode receipt = AlertJson.mapper().readTree(r.body());
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").toString()).containsIgnoringCase("1b");
        assertThat(count("hub.quarantine", "bloOriginalId = '" + receipt.get("originalId").asText() + "'"))
                .as("quarantined").isEqualTo(1);
        assertThat(count(BrokerTopology.agency("VN-DRUG"), "bloAlertId = '" + Normalizer.alertId(OFFICE, ref) + "'"))
                .isZero();
    }

    private static List<String> errors(JsonNode receipt) {
        List<String> out = new ArrayList<>();
        receipt.get("errors").forEach(e -> out.add(e.asText()));
        return out;
    }

    private long deadLettered(String queue) {
        Queue q = broker.server().locateQueue(SimpleString.of(BrokerTopology.deadLetters(queue)));
        return q == null ? 0 : q.getMessageCount();
    }
}
