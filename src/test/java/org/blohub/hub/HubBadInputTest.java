package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Session;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show 3: bad input ends in quarantine with its original bytes and reason, the office gets a
 * REJECTED receipt naming the problem, and the next good alert still flows.
 */
class HubBadInputTest extends HubTestSupport {

    /** An oversized message is refused by the broker at its send, before it is input: HubJmsSizeTest. */
    static Stream<Arguments> badInputs() {
        String good = HubJmsEndToEndTest.json("BAD-1");
        return Stream.of(
                Arguments.of("malformed JSON", good.substring(0, good.length() / 2), "malformed JSON"),
                Arguments.of("schema-invalid", good.replace("\"Severe\"", "\"Apocalyptic\""), "severity:"),
                Arguments.of("XXE", """
                        <?xml version="1.0"?>
                        <!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                        <alert xmlns="urn:blo:alert:1"><sourceRef>&xxe;</sourceRef></alert>""", "DOCTYPE"),
                Arguments.of("billion laughs", """
                        <?xml version="1.0"?>
                        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                        <lolz>&lol3;</lolz>""", "DOCTYPE"),
                Arguments.of("unknown format", "hello, is this the hub?\nregards", "unknown format"),
                Arguments.of("another office's alert", good.replaceFirst("\\{", "{\"office\":\"CN-HEKOU\","), "office:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsQuarantinedAnsweredAndTheRouteGoesOn(String what, String body, String reason) throws Exception {
        String id = sendText("VN-LAOCAI", body);
        JsonNode receipt = receipt("VN-LAOCAI", id);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").toString()).contains(reason);

        Quarantined q = quarantined(id);
        assertThat(q.reason()).contains(reason);
        assertThat(q.office()).isEqualTo("VN-LAOCAI");
        assertThat(q.channel()).isEqualTo("JMS");
        assertThat(q.original()).isEqualTo(utf8(body));

        String ref = uniqueRef("AFTER");
        String next = sendText("VN-LAOCAI", HubJmsEndToEndTest.json(ref));
        assertThat(receipt("VN-LAOCAI", next).get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", ref))).hasSize(1);
    }

    @Test
    void anObjectMessageIsNeverDeserializedOnlyQuarantined() throws Exception {
        Session s = session("VN-LAOCAI");
        ObjectMessage m = s.createObjectMessage(new ArrayList<>(java.util.List.of("payload")));
        s.createProducer(s.createQueue("blo.inbound.VN-LAOCAI")).send(m);
        JsonNode receipt = receipt("VN-LAOCAI", m.getJMSMessageID());
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").toString()).contains("ObjectMessage never");
        assertThat(quarantined(m.getJMSMessageID()).reason()).contains("ObjectMessage");
    }

    @Test
    void camelHeadersFromASenderDoNotSteerTheHub() throws Exception {
        Session s = session("VN-LAOCAI");
        String ref = uniqueRef("HDR");
        var m = s.createTextMessage(HubJmsEndToEndTest.json(ref));
        // an attempt to redirect the hub's sends (Camel 4.17 header-injection advisories), in odd letter cases
        m.setStringProperty("CamelJmsDestinationName", "agency.KH-DRUG");
        m.setStringProperty("cAMELjMSdESTINATIONnAME", "agency.KH-DRUG");
        s.createProducer(s.createQueue("blo.inbound.VN-LAOCAI")).send(m);
        assertThat(receipt("VN-LAOCAI", m.getJMSMessageID()).get("status").asText()).isEqualTo("ACCEPTED");
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(agencyMessages("VN-DRUG", alertId)).hasSize(1);
        assertThat(count("agency.KH-DRUG", "bloAlertId = '" + alertId + "'")).isZero();
    }

    @Test
    void aHeadlineWithEscapeIsRejectedAtOnceByJmsAndByHttpNamingTheFieldAndIsDeliveredToNoOne() throws Exception {
        String ref = uniqueRef("ESC");
        String body = HubJmsEndToEndTest.json(ref).replaceFirst("\"headline\":\"", "\"headline\":\"\\\\u001b[31m");
        assertThat(body).contains("\\u001b[31m");

        String id = sendText("VN-LAOCAI", body);
        JsonNode receipt = receipt("VN-LAOCAI", id);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").toString()).contains("headline: control character U+001B at character 1");
        Quarantined q = quarantined(id);
        assertThat(q.reason()).contains("headline: control character U+001B");
        assertThat(q.original()).isEqualTo(utf8(body));

        java.net.http.HttpResponse<String> http = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/api/alerts"))
                        .header("Authorization", HubInputsEndToEndTest.basic("VN-LAOCAI", password("VN-LAOCAI")))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).as(http.body()).isEqualTo(400);
        JsonNode answer = org.blohub.alert.AlertJson.mapper().readTree(http.body());
        assertThat(answer.get("status").asText()).isEqualTo("REJECTED");
        assertThat(answer.get("errors").toString()).contains("headline: control character U+001B at character 1");
        Quarantined viaHttp = quarantined(answer.get("originalId").asText());
        assertThat(viaHttp.channel()).isEqualTo("API");
        assertThat(viaHttp.original()).isEqualTo(utf8(body));

        // a good alert after them flows, and the bad one reached no agency by either channel
        String next = uniqueRef("AFTER-ESC");
        assertThat(receipt("VN-LAOCAI", sendText("VN-LAOCAI", HubJmsEndToEndTest.json(next))).get("status").asText())
                .isEqualTo("ACCEPTED");
        assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", next))).hasSize(1);
        assertThat(count("agency.VN-DRUG", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).isZero();
    }

    record Quarantined(String reason, String office, String channel, byte[] original) {
    }

    private Quarantined quarantined(String originalId) throws Exception {
        Session s = session(Credentials.HUB);
        try (MessageConsumer c = s.createConsumer(s.createQueue("hub.quarantine"), "bloOriginalId = '" + originalId + "'")) {
            Message m = c.receive(20_000);
            assertThat(m).as("quarantined " + originalId).isNotNull();
            byte[] original = new byte[(int) ((BytesMessage) m).getBodyLength()];
            ((BytesMessage) m).readBytes(original);
            return new Quarantined(m.getStringProperty("bloReason"), m.getStringProperty("bloOffice"),
                    m.getStringProperty("bloChannel"), original);
        }
    }
}
