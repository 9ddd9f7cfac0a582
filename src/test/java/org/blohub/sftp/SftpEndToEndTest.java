package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.Normalizer;
import org.blohub.webhook.TestWebhookServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Must show 1 (SFTP in, SFTP and web hook out, JMS too) and the receipt file. */
class SftpEndToEndTest extends SftpHubTestSupport {

    @Test
    void aCsvDroppedBySftpReachesTheSftpWebhookAndJmsAgenciesAndTheReceiptIsWritten() throws Exception {
        String wild = uniqueRef("WL");
        String drug = uniqueRef("DR");
        String name = "batch-" + wild + ".csv";
        drop("VN-LAOCAI", name, utf8(csv(
                row(wild, "WILDLIFE_TRAFFICKING", "Thu giữ 3 cá thể tê tê, 40 kg vảy"),
                row(drug, "DRUG_TRAFFICKING", "Bắt giữ 12 kg methamphetamine"))));

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("alerts").asLong()).isEqualTo(2);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(2);
        JsonNode first = receipt.get("receipts").get(0);
        String wildId = Normalizer.alertId("VN-LAOCAI", wild);
        assertThat(first.get("alertId").asText()).isEqualTo(wildId);
        assertThat(first.get("originalId").asText()).isEqualTo(name + "#2");
        assertThat(first.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(first.get("routedTo")).extracting(JsonNode::asText)
                .contains("VN-FOCAL", "VN-ENV", "VN-CUSTOMS", HOOK_AGENCY);
        assertThat(receipt.get("receipts").get(1).get("originalId").asText()).isEqualTo(name + "#3");

        // the file itself: in done/, out of the inbox
        Path home = server().root().resolve("vn-laocai");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(home.resolve("done").resolve(name)));
        assertThat(home.resolve("inbox").resolve(name)).doesNotExist();

        // SFTP: VN-ENV finds the XML rendering in its own inbox
        String file = "alert-" + wildId + ".xml";
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(server().root().resolve("vn-env/inbox").resolve(file)));
        try (TestSftpClient env = sftp("vn-env", "VN-ENV")) {
            assertThat(env.list("inbox")).contains(file).noneMatch(n -> n.startsWith("."));
            String xml = new String(env.read("inbox/" + file), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(xml).contains("<alert xmlns=\"urn:blo:alert:1\"").contains("<sourceRef>" + wild + "</sourceRef>")
                    .contains("Thu giữ 3 cá thể tê tê, 40 kg vảy").contains("<channel>SFTP</channel>");
        }

        // web hook: one signed POST of the JSON rendering
        await().atMost(Duration.ofSeconds(20)).until(() -> !webhook.received(wildId).isEmpty());
        TestWebhookServer.Received hook = webhook.received(wildId).get(0);
        assertThat(hook.signatureValid()).isTrue();
        assertThat(hook.contentType()).startsWith("application/json");
        JsonNode posted = AlertJson.mapper().readTree(hook.body());
        assertThat(posted.get("alertId").asText()).isEqualTo(wildId);
        assertThat(posted.at("/provenance/originalId").asText()).isEqualTo(name + "#2");
        assertThat(hook.headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("blo") || h.toLowerCase().startsWith("camel")
                || h.toLowerCase().startsWith("jms"));

        // JMS: the focal point and customs, and the drug police for the other row
        assertThat(agencyMessages("VN-FOCAL", wildId)).hasSize(1);
        assertThat(agencyMessages("VN-CUSTOMS", wildId)).hasSize(1).allMatch(x -> x.contains("<sourceRef>" + wild));
        String drugId = Normalizer.alertId("VN-LAOCAI", drug);
        List<String> toDrugPolice = agencyMessages("VN-DRUG", drugId);
        assertThat(toDrugPolice).hasSize(1);
        assertThat(AlertJson.mapper().readTree(toDrugPolice.get(0)).at("/provenance/channel").asText()).isEqualTo("SFTP");
        assertThat(webhook.received(drugId)).isEmpty();
    }
}
