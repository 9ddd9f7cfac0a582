package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.blohub.sftp.EmbeddedSftpServer;
import org.blohub.sftp.SftpConfiguration;
import org.blohub.sftp.TestSftpClient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show 1: every inbound format reaches exactly the expected agencies, in the rendering each asks for; forms
 * people write (a mailed form, a CSV by SFTP) may leave out status and msgType, CAP may not.
 */
class HubInputsEndToEndTest extends HubTestSupport {

    static final String LAOCAI_MAIL = "vn-laocai@offices.blo-hub.local";

    @org.springframework.beans.factory.annotation.Autowired
    org.blohub.mail.EmbeddedMailServer mailServer;
    @org.springframework.beans.factory.annotation.Autowired
    SftpConfiguration.EmbeddedSftpServerHolder sftpServer;

    @Test
    void capFromThailandReachesFocalPointsAndTheCyberContactPointsOutboxAsCap() throws Exception {
        String ref = uniqueRef("MS-CAP");
        String cap = """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>%s</identifier><sender>TH-MAESAI</sender><sent>2026-11-23T08:00:00+07:00</sent>
                  <status>Actual</status><msgType>Alert</msgType><scope>Restricted</scope>
                  <restriction>TLP:AMBER</restriction><code>TLP:AMBER</code>
                  <info><language>th</language><category>Security</category><event>ฉ้อโกงออนไลน์</event>
                    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
                    <eventCode><valueName>urn:blo:category</valueName><value>CYBERCRIME</value></eventCode>
                    <headline>แก๊งคอลเซ็นเตอร์ข้ามพรมแดน</headline>
                    <area><areaDesc>อำเภอแม่สาย</areaDesc></area></info>
                </alert>
                """.formatted(ref);
        String id = sendText("TH-MAESAI", cap);
        JsonNode receipt = receipt("TH-MAESAI", id);
        assertThat(receipt.get("status").asText()).as(receipt.toString()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("routedTo")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("TH-FOCAL", "TH-CYBER247", "MM-FOCAL");
        String alertId = Normalizer.alertId("TH-MAESAI", ref);
        JsonNode focal = AlertJson.mapper().readTree(agencyMessages("TH-FOCAL", alertId).get(0));
        assertThat(focal.at("/provenance/originalFormat").asText()).isEqualTo("CAP");
        assertThat(focal.at("/headline").asText()).isEqualTo("แก๊งคอลเซ็นเตอร์ข้ามพรมแดน");
        assertThat(focal.at("/areas/0/country").asText()).isEqualTo("TH");
        // TH-CYBER247 takes CAP by mail: an attachment in its own mailbox, read with its own id and password
        TestMail mail = new TestMail(mailServer);
        var cyber = mail.await("TH-CYBER247", password("TH-CYBER247"), TestMail.withHeader("X-BLO-Alert-Id", alertId));
        assertThat(cyber).hasSize(1);
        assertThat(TestMail.content(TestMail.attachment(cyber.get(0), "alert-" + alertId + ".cap.xml").orElseThrow()))
                .contains("urn:oasis:names:tc:emergency:cap:1.2").contains("<identifier>" + alertId);
    }

    @Test
    void bloXmlFromCambodiaGoesToBothSidesOfTheCrossing() throws Exception {
        String ref = uniqueRef("BV-XML");
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:blo:alert:1">
                  <sourceRef>%s</sourceRef><sentAt>2026-11-23T10:00:00+07:00</sentAt><status>Actual</status>
                  <msgType>Alert</msgType><category>DRUG_TRAFFICKING</category><urgency>Immediate</urgency>
                  <severity>Extreme</severity><certainty>Observed</certainty><language>km</language>
                  <headline>ចាប់បានគ្រឿងញៀន ២០ គីឡូក្រាម</headline>
                  <areas><areaDesc>ច្រកព្រំដែនបាវិត</areaDesc><country>KH</country></areas>
                  <tlp>TLP:GREEN</tlp>
                </alert>
                """.formatted(ref);
        String id = sendText("KH-BAVET", xml);
        JsonNode receipt = receipt("KH-BAVET", id);
        assertThat(receipt.get("routedTo")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("KH-FOCAL", "KH-DRUG", "KH-CUSTOMS", "VN-FOCAL");
        String alertId = Normalizer.alertId("KH-BAVET", ref);
        assertThat(agencyMessages("KH-DRUG", alertId)).singleElement().asString().contains("ចាប់បានគ្រឿងញៀន ២០ គីឡូក្រាម");
        assertThat(agencyMessages("KH-CUSTOMS", alertId)).singleElement().asString().startsWith("<?xml");
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1);
    }

    @Test
    void csvBatchGivesOneReceiptPerRowAndLegacyThaiBytesDecodeByTheOfficeCharset() throws Exception {
        String r1 = uniqueRef("TK-CSV");
        String r2 = uniqueRef("TK-CSV");
        String csv = "sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,headline,areas,tlp\n"
                + r1 + ",2026-11-23T07:00:00,Actual,Alert,DRUG_TRAFFICKING,Immediate,Severe,Observed,th,ยาบ้า 2 ล้านเม็ด,ด่านแม่สาย,TLP:GREEN\n"
                + r2 + ",2026-11-23T07:05:00,Actual,Alert,DRUG_TRAFFICKING,Immediate,Severe,Observed,th,ไอซ์ 5 กิโลกรัม,ด่านแม่สาย,TLP:GREEN\n";
        // TH-MAESAI's configured charset is windows-874: its legacy export declares nothing
        String id = sendBytes("TH-MAESAI", csv.getBytes(Charset.forName("windows-874")));
        List<JsonNode> receipts = receipts("TH-MAESAI", id, 2);
        assertThat(receipts).extracting(r -> r.get("sourceRef").asText()).containsExactlyInAnyOrder(r1, r2);
        assertThat(receipts).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("ACCEPTED"));
        JsonNode first = AlertJson.mapper().readTree(agencyMessages("TH-DRUG", Normalizer.alertId("TH-MAESAI", r1)).get(0));
        assertThat(first.get("headline").asText()).isEqualTo("ยาบ้า 2 ล้านเม็ด");
        assertThat(first.get("sentAt").asText()).isEqualTo("2026-11-23T07:00:00+07:00");
        assertThat(first.at("/provenance/originalFormat").asText()).isEqualTo("CSV");
    }

    @Test
    void emailFormOverJmsFromLaos() throws Exception {
        String ref = uniqueRef("NP-FORM");
        String form = "sourceRef: " + ref + "\nsentAt: 2026-11-23T11:30:00+07:00\nstatus: Actual\nmsgType: Alert\n"
                + "category: TRAFFICKING_IN_PERSONS\nurgency: Immediate\nseverity: Severe\ncertainty: Likely\nlanguage: lo\n"
                + "headline: ສົງໃສການຄ້າມະນຸດ\nareas: ດ່ານນ້ຳພາວ\ntlp: TLP:AMBER\nsubjects: PERSON:ນາງ ກ;VEHICLE:ກຂ 1234\n";
        String id = sendText("LA-NAMPHAO", form);
        JsonNode receipt = receipt("LA-NAMPHAO", id);
        assertThat(receipt.get("status").asText()).as(receipt.toString()).isEqualTo("ACCEPTED");
        assertThat(receipt.get("routedTo")).extracting(JsonNode::asText).contains("LA-FOCAL", "LA-TIP", "VN-FOCAL");
        JsonNode a = AlertJson.mapper().readTree(agencyMessages("LA-FOCAL", Normalizer.alertId("LA-NAMPHAO", ref)).get(0));
        assertThat(a.at("/subjects/1/name").asText()).isEqualTo("ກຂ 1234");
    }

    @Test
    void apiTakesAnOfficesAlertWithItsDeclaredCharset() throws Exception {
        String ref = uniqueRef("HK-API");
        String body = """
                {"sourceRef":"%s","sentAt":"2026-11-23T12:00:00","status":"Actual","msgType":"Alert",
                 "category":["PRECURSOR_CHEMICALS"],"urgency":"Expected","severity":"Moderate","certainty":"Likely",
                 "language":"zh-Hans","headline":"河口口岸查获易制毒化学品","areas":[{"areaDesc":"河口口岸","country":"CN"}],
                 "tlp":"TLP:GREEN"}""".formatted(ref);
        HttpResponse<String> r = post("CN-HEKOU", body.getBytes(Charset.forName("GBK")), "application/json; charset=GB2312");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode receipt = AlertJson.mapper().readTree(r.body());
        String alertId = Normalizer.alertId("CN-HEKOU", ref);
        assertThat(receipt.get("alertId").asText()).isEqualTo(alertId);
        JsonNode a = AlertJson.mapper().readTree(agencyMessages("CN-DRUG", alertId).get(0));
        assertThat(a.get("headline").asText()).isEqualTo("河口口岸查获易制毒化学品");
        assertThat(a.get("sentAt").asText()).isEqualTo("2026-11-23T12:00:00+08:00");
        assertThat(a.at("/provenance/channel").asText()).isEqualTo("API");

        HttpResponse<String> again = post("CN-HEKOU", body.getBytes(Charset.forName("GBK")), "application/json; charset=GBK");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(AlertJson.mapper().readTree(again.body()).get("status").asText()).isEqualTo("DUPLICATE");

        HttpResponse<String> operator = get("/api/alerts/" + alertId, Credentials.OPERATOR, password(Credentials.OPERATOR));
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("河口口岸查获易制毒化学品");
        assertThat(get("/api/alerts/" + alertId, "CN-HEKOU", password("CN-HEKOU")).statusCode()).isEqualTo(403);
        assertThat(get("/api/alerts/" + alertId, Credentials.OPERATOR, "wrong").statusCode()).isEqualTo(401);
        assertThat(post("CN-HEKOU", body.getBytes(Charset.forName("GBK")), "application/json", "wrong").statusCode()).isEqualTo(401);
        assertThat(post("CN-DRUG", new byte[]{'{', '}'}, "application/json", password("CN-DRUG")).statusCode())
                .as("an agency may not post alerts").isEqualTo(403);
    }

    @Test
    void aFormMailedWithoutStatusOrMsgTypeIsAnActualAlert() throws Exception {
        String ref = uniqueRef("LC-FORM");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        String form = "sourceRef: " + ref + "\nsentAt: 2026-11-23T09:15:00\ncategory: TRAFFICKING_IN_PERSONS\n"
                + "urgency: Immediate\nseverity: Severe\ncertainty: Observed\nlanguage: vi\n"
                + "areas: Cửa khẩu quốc tế Lào Cai\ntlp: TLP:AMBER\n";
        List<String> headers = new ArrayList<>(TestMail.headers(LAOCAI_MAIL, "Nghi van mua ban nguoi", msgId));
        headers.add("Content-Type: text/plain; charset=UTF-8");
        headers.add("Content-Transfer-Encoding: 8bit");
        TestMail mail = new TestMail(mailServer);
        mail.send(LAOCAI_MAIL, "alerts@blo-hub.local", TestMail.mail(headers, utf8(form)));

        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        JsonNode a = AlertJson.mapper().readTree(agencyMessages("VN-FOCAL", alertId).get(0));
        assertThat(a.get("status").asText()).isEqualTo("Actual");
        assertThat(a.get("msgType").asText()).isEqualTo("Alert");
        assertThat(a.at("/provenance/originalFormat").asText()).isEqualTo("EMAIL_FORM");
        var reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), TestMail.withHeader("In-Reply-To", msgId)).get(0);
        assertThat(TestMail.header(reply, "X-BLO-Receipt")).isEqualTo("ACCEPTED");
    }

    @Test
    void aCsvDroppedBySftpWithoutStatusOrMsgTypeColumnsIsActualAlerts() throws Exception {
        String r1 = uniqueRef("LC-SFTP");
        String r2 = uniqueRef("LC-SFTP");
        String name = "no-status-" + r1 + ".csv";
        String csv = "sourceRef,sentAt,category,urgency,severity,certainty,language,headline,areas,tlp\n"
                + r1 + ",2026-11-23T09:15:00,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Bắt giữ 12 kg ma túy,"
                + "Cửa khẩu quốc tế Lào Cai,TLP:AMBER\n"
                + r2 + ",2026-11-23T09:20:00,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Bắt giữ 3 kg heroin,"
                + "Cửa khẩu quốc tế Lào Cai,TLP:AMBER\n";
        EmbeddedSftpServer server = sftpServer.server();
        try (TestSftpClient c = TestSftpClient.connect(server.port(), server.knownHostsFile(), "vn-laocai",
                password("VN-LAOCAI"))) {
            c.put("inbox/" + name, utf8(csv));
        }

        Path receiptFile = server.root().resolve("vn-laocai/receipts").resolve(name + ".receipt.json");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(receiptFile));
        JsonNode receipt;
        try (TestSftpClient c = TestSftpClient.connect(server.port(), server.knownHostsFile(), "vn-laocai",
                password("VN-LAOCAI"))) {
            receipt = AlertJson.mapper().readTree(c.read("receipts/" + name + ".receipt.json"));
        }
        assertThat(receipt.get("accepted").asLong()).as(receipt.toString()).isEqualTo(2);
        assertThat(receipt.get("rejected").asLong()).isZero();
        for (String ref : List.of(r1, r2)) {
            JsonNode a = AlertJson.mapper().readTree(agencyMessages("VN-FOCAL", Normalizer.alertId("VN-LAOCAI", ref)).get(0));
            assertThat(a.get("status").asText()).isEqualTo("Actual");
            assertThat(a.get("msgType").asText()).isEqualTo("Alert");
            assertThat(a.at("/provenance/channel").asText()).isEqualTo("SFTP");
        }
    }

    @Test
    void aCapWithoutMsgTypeIsRejectedNamingMsgType() throws Exception {
        String ref = uniqueRef("MS-CAP");
        String cap = """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>%s</identifier><sender>TH-MAESAI</sender><sent>2026-11-23T08:00:00+07:00</sent>
                  <status>Actual</status><scope>Restricted</scope><code>TLP:AMBER</code>
                  <info><language>th</language><category>Security</category><event>ยาเสพติด</event>
                    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
                    <area><areaDesc>อำเภอแม่สาย</areaDesc></area></info>
                </alert>
                """.formatted(ref);
        String id = sendText("TH-MAESAI", cap);
        JsonNode receipt = receipt("TH-MAESAI", id);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors")).extracting(JsonNode::asText).singleElement().asString()
                .contains("msgType: CAP element <msgType> is missing");
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> count("hub.quarantine", "bloOriginalId = '" + id + "'") == 1);
        assertThat(count("agency.TH-FOCAL", "bloAlertId = '" + Normalizer.alertId("TH-MAESAI", ref) + "'")).isZero();
    }

    // ------------------------------------------------------------------------------------------------------------

    List<JsonNode> receipts(String office, String correlationId, int n) throws Exception {
        Session s = session(office);
        List<JsonNode> out = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(s.createQueue("blo.receipts." + office), "JMSCorrelationID = '" + correlationId + "'")) {
            while (out.size() < n) {
                Message m = c.receive(20_000);
                assertThat(m).as("receipt %d of %d", out.size() + 1, n).isNotNull();
                out.add(AlertJson.mapper().readTree(((TextMessage) m).getText()));
            }
        }
        return out;
    }

    List<String> hubRead(String queue, String alertId) throws Exception {
        Session s = session(Credentials.HUB);
        List<String> out = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(s.createQueue(queue), "bloAlertId = '" + alertId + "'")) {
            for (Message m = c.receive(20_000); m != null; m = c.receive(300)) {
                out.add(((TextMessage) m).getText());
            }
        }
        return out;
    }

    HttpResponse<String> post(String office, byte[] body, String contentType) throws Exception {
        return post(office, body, contentType, password(office));
    }

    HttpResponse<String> post(String user, byte[] body, String contentType, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/alerts"))
                .header("Authorization", basic(user, password)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", basic(user, password)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
