package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Must show 1: each inbound format, through the broker's TCP acceptor with real office credentials. */
class HubJmsEndToEndTest extends HubTestSupport {

    static String json(String ref) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":["DRUG_TRAFFICKING"],"urgency":"Immediate","severity":"Severe","certainty":"Observed",
                 "language":"vi","headline":"Bắt giữ 12 kg methamphetamine tại cửa khẩu",
                 "areas":[{"areaDesc":"Cửa khẩu quốc tế Lào Cai","country":"VN"}],"tlp":"TLP:AMBER"}
                """.formatted(ref);
    }

    @Test
    void jsonReachesTheExpectedAgenciesInTheirRenderingWithAReceiptAndDuplicatesAreAnswered() throws Exception {
        String ref = uniqueRef("LC");
        String id = sendText("VN-LAOCAI", json(ref));
        JsonNode receipt = receipt("VN-LAOCAI", id);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("alertId").asText()).isEqualTo(alertId);
        assertThat(receipt.get("sourceRef").asText()).isEqualTo(ref);
        assertThat(receipt.get("originalId").asText()).isEqualTo(id);
        assertThat(receipt.get("routedTo")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("VN-FOCAL", "VN-DRUG", "VN-CUSTOMS", "CN-FOCAL");

        List<String> drug = agencyMessages("VN-DRUG", alertId);
        assertThat(drug).hasSize(1);
        JsonNode delivered = AlertJson.mapper().readTree(drug.get(0));
        assertThat(delivered.get("headline").asText()).isEqualTo("Bắt giữ 12 kg methamphetamine tại cửa khẩu");
        assertThat(delivered.get("office").asText()).isEqualTo("VN-LAOCAI");
        assertThat(delivered.get("sentAt").asText()).isEqualTo("2026-11-23T09:15:00+07:00");
        assertThat(delivered.at("/provenance/channel").asText()).isEqualTo("JMS");
        assertThat(delivered.at("/provenance/originalId").asText()).isEqualTo(id);
        List<String> customs = agencyMessages("VN-CUSTOMS", alertId);
        assertThat(customs).hasSize(1);
        assertThat(customs.get(0)).contains("<alert xmlns=\"urn:blo:alert:1\"").contains("<sourceRef>" + ref + "</sourceRef>");
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1);
        assertThat(agencyMessages("CN-FOCAL", alertId)).hasSize(1);

        String again = sendText("VN-LAOCAI", json(ref));
        JsonNode dup = receipt("VN-LAOCAI", again);
        assertThat(dup.get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(dup.get("alertId").asText()).isEqualTo(alertId);
        assertThat(count("agency.VN-DRUG", "bloAlertId = '" + alertId + "'")).isZero();
    }
}
