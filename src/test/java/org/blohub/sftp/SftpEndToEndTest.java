package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.Normalizer;
import org.blohub.webhook.TestWebhookServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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

    @Test
    void aCsvWithSomeBadRowsRoutesTheGoodOnesAndReportsTheBadOnesByLine() throws Exception {
        String a = uniqueRef("OK");
        String c = uniqueRef("OK");
        String e = uniqueRef("OK");
        String name = "mixed-" + a + ".csv";
        drop("VN-LAOCAI", name, utf8(csv(
                row(a, "DRUG_TRAFFICKING", "Hàng 1"),
                row(uniqueRef("BAD"), "DRUG_TRAFFICKING", "Hàng 2").replace(",Severe,", ",Apocalyptic,"),
                row(c, "DRUG_TRAFFICKING", "Hàng 3"),
                uniqueRef("BAD") + ",2026-11-23T09:15:00,Actual",
                row(e, "WILDLIFE_TRAFFICKING", "Hàng 5"))));

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("alerts").asLong()).isEqualTo(5);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(3);
        assertThat(receipt.get("rejected").asLong()).isEqualTo(2);
        JsonNode r = receipt.get("receipts");
        assertThat(r).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(r.get(i).get("originalId").asText()).isEqualTo(name + "#" + (i + 2));
        }
        assertThat(r.get(1).get("status").asText()).isEqualTo("REJECTED");
        assertThat(r.get(1).get("errors").get(0).asText()).startsWith("3: severity:");
        assertThat(r.get(3).get("status").asText()).isEqualTo("REJECTED");
        assertThat(r.get(3).get("errors").toString()).contains("5: ").contains("row has 3 cells but the header has 12 columns");
        assertThat(r.get(4).get("status").asText()).isEqualTo("ACCEPTED");

        for (String ref : List.of(a, c)) {
            assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", ref))).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !webhook.received(Normalizer.alertId("VN-LAOCAI", e)).isEmpty());
        // the bad rows are quarantined, each named by file#line; the bytes stay on the server in done/
        for (int line : List.of(3, 5)) {
            assertThat(count("hub.quarantine", "bloItem = '" + name + "#" + line + "' AND bloChannel = 'SFTP'"
                    + " AND bloOffice = 'VN-LAOCAI' AND bloOriginalId = '" + name + "'")).isEqualTo(1);
        }
        assertThat(doneFile("VN-LAOCAI", name)).exists();
    }

    @Test
    void aFileThatIsNotAnAlertFileGoesToErrorWithItsReason() throws Exception {
        String name = "export-" + uniqueRef("X") + ".xlsx";
        byte[] spreadsheet = {'P', 'K', 3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 33, 0, (byte) 0x9c, (byte) 0xb1, 'x', 'l', '/'};
        drop("VN-LAOCAI", name, spreadsheet);

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("ERROR");
        assertThat(receipt.get("error").asText()).contains("unknown format");
        assertThat(receipt.get("accepted").asLong()).isZero();
        assertThat(receipt.get("receipts").get(0).get("status").asText()).isEqualTo("REJECTED");

        Path error = server().root().resolve("vn-laocai/error");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(error.resolve(name)));
        assertThat(Files.readAllBytes(error.resolve(name))).isEqualTo(spreadsheet);
        try (TestSftpClient office = sftp("vn-laocai", "VN-LAOCAI")) {
            String reason = new String(office.read("error/" + name + ".reason.txt"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(reason).startsWith(name + " could not be read: ").contains("unknown format");
            assertThat(office.list("inbox")).doesNotContain(name);
            assertThat(office.list("done")).doesNotContain(name);
        }
        assertThat(count("hub.quarantine", "bloOriginalId = '" + name + "' AND bloChannel = 'SFTP'")).isEqualTo(1);
    }

    @Test
    void bytesThatDoNotDecodeBeforeAnyRowAreAnErrorToo() throws Exception {
        String name = "legacy-" + uniqueRef("X") + ".csv";
        byte[] head = utf8(csv().strip() + "\n");
        byte[] bad = {'L', 'C', '-', '1', ',', (byte) 0xC3, (byte) 0x28, '\n'};
        byte[] content = java.nio.ByteBuffer.allocate(head.length + bad.length).put(head).put(bad).array();
        drop("VN-LAOCAI", name, content);
        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("ERROR");
        assertThat(receipt.get("error").asText()).containsIgnoringCase("line 2");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Files.exists(server().root().resolve("vn-laocai/error").resolve(name + ".reason.txt")));
    }

    @Test
    void aFileOfTheSameNameDroppedAgainLaterIsAnsweredDuplicateAndDeliveredToNoOne() throws Exception {
        String ref = uniqueRef("AGAIN");
        String name = "daily-" + ref + ".csv";
        byte[] content = utf8(csv(row(ref, "DRUG_TRAFFICKING", "Hàng hôm nay")));
        drop("VN-LAOCAI", name, content);
        assertThat(receiptFile("VN-LAOCAI", name).get("accepted").asLong()).isEqualTo(1);
        String id = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(agencyMessages("VN-DRUG", id)).hasSize(1);
        Path receiptPath = server().root().resolve("vn-laocai/receipts").resolve(name + ".receipt.json");
        Files.delete(receiptPath);
        // later: SFTP times a file to the second, and a file of the same name, size and second is the same file
        Path done = doneFile("VN-LAOCAI", name);
        long uploadedSecond = Files.getLastModifiedTime(done).toInstant().getEpochSecond();
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > uploadedSecond);

        drop("VN-LAOCAI", name, content); // same name, same rows: same original ids (name#line)
        JsonNode again = receiptFile("VN-LAOCAI", name);
        assertThat(again.get("status").asText()).isEqualTo("DONE");
        assertThat(again.get("duplicate").asLong()).isEqualTo(1);
        assertThat(again.get("receipts").get(0).get("status").asText()).isEqualTo("DUPLICATE");
        assertThat(again.get("receipts").get(0).get("alertId").asText()).isEqualTo(id);
        assertThat(count("agency.VN-DRUG", "bloAlertId = '" + id + "'")).isZero();
    }
}
