package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.AlertJson;
import org.blohub.hub.TestMail;
import org.blohub.mail.EmbeddedMailServer;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.blohub.hub.TestMail.header;
import static org.blohub.hub.TestMail.text;
import static org.blohub.hub.TestMail.withHeader;

/**
 * Issue 4, must show 1: one alert each by mail, by an SFTP CSV drop and by JMS, every one about pangolins and the
 * women carrying them (wildlife trafficking and trafficking in persons), so each reaches an agency that takes mail
 * (VN-TIP), one that takes SFTP (VN-ENV) and one that takes a web hook (VN-WILDLIFE), with its Vietnamese intact (the
 * mail in windows-1258); and the office's receipt comes back by the channel it used.
 */
class AllChannelsEndToEndTest extends SftpHubTestSupport {

    static final String CATEGORIES = "WILDLIFE_TRAFFICKING;TRAFFICKING_IN_PERSONS";
    static final String HEADLINE = "Hai phụ nữ mang 40 kg vảy tê tê qua cửa khẩu";

    @Autowired
    EmbeddedMailServer mailServer;

    @Test
    void anAlertByMailBySftpAndByJmsEachReachesTheMailSftpAndWebhookAgenciesAndIsAnsweredOnItsOwnChannel()
            throws Exception {
        TestMail mail = new TestMail(mailServer);

        // by mail, in windows-1258 with an encoded-word subject
        String byMail = uniqueRef("ALL-MAIL");
        String msgId = "<" + byMail + "@offices.blo-hub.local>";
        Charset cp1258 = Charset.forName("windows-1258");
        List<String> h = new ArrayList<>(TestMail.headers("vn-laocai@offices.blo-hub.local",
                TestMail.encodedWord(HEADLINE, StandardCharsets.UTF_8, "UTF-8"), msgId));
        h.add("Content-Type: text/plain; charset=windows-1258");
        h.add("Content-Transfer-Encoding: 8bit");
        mail.send("vn-laocai@offices.blo-hub.local", "alerts@blo-hub.local",
                TestMail.mail(h, TestMail.encode(form(byMail, HEADLINE), cp1258)));

        // by SFTP: a CSV in the office's inbox
        String bySftp = uniqueRef("ALL-SFTP");
        String file = "all-" + bySftp + ".csv";
        drop("VN-LAOCAI", file, utf8(csv(row(bySftp, CATEGORIES, HEADLINE))));

        // by JMS: the canonical JSON
        String byJms = uniqueRef("ALL-JMS");
        String jmsId = sendText("VN-LAOCAI", json(byJms));

        String mailAlert = Normalizer.alertId("VN-LAOCAI", byMail);
        String sftpAlert = Normalizer.alertId("VN-LAOCAI", bySftp);
        String jmsAlert = Normalizer.alertId("VN-LAOCAI", byJms);

        // each office's receipt, on its own channel
        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(text(reply)).contains(mailAlert).contains("ACCEPTED");
        JsonNode fileReceipt = receiptFile("VN-LAOCAI", file);
        assertThat(fileReceipt.get("receipts").get(0).get("alertId").asText()).isEqualTo(sftpAlert);
        assertThat(fileReceipt.get("receipts").get(0).get("status").asText()).isEqualTo("ACCEPTED");
        JsonNode jmsReceipt = receipt("VN-LAOCAI", jmsId);
        assertThat(jmsReceipt.get("alertId").asText()).isEqualTo(jmsAlert);
        assertThat(jmsReceipt.get("status").asText()).isEqualTo("ACCEPTED");

        // each alert: VN-TIP by mail, VN-ENV by SFTP, VN-WILDLIFE by web hook
        for (String alertId : List.of(mailAlert, sftpAlert, jmsAlert)) {
            assertMailed("VN-TIP", alertId, HEADLINE, mail);
            assertFiled("vn-env", "VN-ENV", alertId, HEADLINE);
            assertHooked(alertId, HEADLINE);
        }
    }

    private void assertMailed(String agency, String alertId, String headline, TestMail mail) throws Exception {
        MimeMessage m = mail.await(agency, password(agency), withHeader("X-BLO-Alert-Id", alertId)).get(0);
        assertThat(header(m, "X-BLO-Alert-Id")).isEqualTo(alertId);
        JsonNode alert = AlertJson.mapper().readTree(text(m));
        assertThat(alert.get("headline").asText()).isEqualTo(headline);
    }

    private void assertFiled(String login, String agency, String alertId, String headline) throws Exception {
        String name = "alert-" + alertId + ".xml";
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (TestSftpClient c = sftp(login, agency)) {
                return c.list("inbox").contains(name);
            }
        });
        try (TestSftpClient c = sftp(login, agency)) {
            assertThat(new String(c.read("inbox/" + name), StandardCharsets.UTF_8)).contains(headline);
        }
    }

    private void assertHooked(String alertId, String headline) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> !webhook.received(alertId).isEmpty());
        assertThat(webhook.received(alertId)).hasSize(1).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        assertThat(AlertJson.mapper().readTree(webhook.received(alertId).get(0).body()).get("headline").asText())
                .isEqualTo(headline);
    }

    static String form(String ref, String headline) {
        return """
                sourceRef: %s
                sentAt: 2026-11-23T09:15:00
                status: Actual
                msgType: Alert
                category: %s
                urgency: Immediate
                severity: Severe
                certainty: Observed
                language: vi
                headline: %s
                areas: Cửa khẩu quốc tế Lào Cai
                tlp: TLP:AMBER
                """.formatted(ref, CATEGORIES, headline);
    }

    static String json(String ref) {
        return """
                {"sourceRef": "%s", "office": "VN-LAOCAI", "sentAt": "2026-11-23T09:15:00+07:00",
                 "status": "Actual", "msgType": "Alert", "category": ["WILDLIFE_TRAFFICKING", "TRAFFICKING_IN_PERSONS"],
                 "urgency": "Immediate", "severity": "Severe", "certainty": "Observed", "language": "vi",
                 "headline": "%s", "areas": [{"areaDesc": "Cửa khẩu quốc tế Lào Cai", "country": "VN"}],
                 "tlp": "TLP:AMBER"}
                """.formatted(ref, HEADLINE);
    }
}
