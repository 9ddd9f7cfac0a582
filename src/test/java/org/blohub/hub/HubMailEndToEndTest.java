package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Session;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.mail.EmbeddedMailServer;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.hub.TestMail.attachment;
import static org.blohub.hub.TestMail.encodedWord;
import static org.blohub.hub.TestMail.header;
import static org.blohub.hub.TestMail.headers;
import static org.blohub.hub.TestMail.mail;
import static org.blohub.hub.TestMail.multipart;
import static org.blohub.hub.TestMail.part;
import static org.blohub.hub.TestMail.text;
import static org.blohub.hub.TestMail.content;
import static org.blohub.hub.TestMail.withHeader;

/**
 * Issue 4, email both ways, through the hub's embedded mail server: offices mail the hub's mailbox over SMTP, the hub
 * polls it over IMAP, agencies that take mail read their own mailbox over IMAP with their own id and password, and the
 * office's receipt comes back as a reply mail into its own mailbox.
 */
class HubMailEndToEndTest extends HubMailTestSupport {

    static String form(String ref, String category) {
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
                areas: Cửa khẩu quốc tế Lào Cai
                description: Hai phụ nữ được đưa qua cửa khẩu,
                  nghi bị lừa sang làm việc.
                tlp: TLP:AMBER
                --\s
                Đồn Biên phòng Cửa khẩu quốc tế Lào Cai
                """.formatted(ref, category);
    }

    @Test
    void aFormMailReachesTheJmsAndTheMailAgenciesAndIsAnsweredByReply() throws Exception {
        String ref = uniqueRef("LC-MAIL");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        String subject = "Nghi vấn mua bán người tại cửa khẩu Lào Cai";
        byte[] raw = mail(withContentType(headers(LAOCAI, encodedWord(subject, StandardCharsets.UTF_8, "UTF-8"), msgId),
                "text/plain; charset=UTF-8", "8bit"), form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8));
        mail.send(LAOCAI, HUB, raw);

        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        List<String> focal = agencyMessages("VN-FOCAL", alertId);
        assertThat(focal).hasSize(1);
        JsonNode a = AlertJson.mapper().readTree(focal.get(0));
        assertThat(a.get("headline").asText()).isEqualTo(subject);
        assertThat(a.get("description").asText()).isEqualTo("Hai phụ nữ được đưa qua cửa khẩu,\nnghi bị lừa sang làm việc.");
        assertThat(a.at("/provenance/channel").asText()).isEqualTo("EMAIL");
        assertThat(a.at("/provenance/originalFormat").asText()).isEqualTo("EMAIL_FORM");
        assertThat(a.at("/provenance/originalId").asText()).isEqualTo(msgId);

        // VN-TIP takes JSON by mail: in its own mailbox, read with its own id and password
        List<MimeMessage> tip = mail.await("VN-TIP", password("VN-TIP"), withHeader("X-BLO-Alert-Id", alertId));
        assertThat(tip).hasSize(1);
        MimeMessage m = tip.get(0);
        assertThat(m.getSubject()).isEqualTo("[TLP:AMBER] BLO alert " + alertId); // no headline for AMBER
        assertThat(header(m, "X-BLO-TLP")).isEqualTo("TLP:AMBER");
        assertThat(header(m, "Message-ID")).isEqualTo("<" + alertId + ".VN-TIP@blo-hub.local>");
        assertThat(m.getFrom()[0].toString()).contains(HUB);
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly("vn-tip@agencies.blo-hub.local");
        assertThat(m.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        JsonNode delivered = AlertJson.mapper().readTree(text(m));
        assertThat(delivered.get("alertId").asText()).isEqualTo(alertId);
        assertThat(delivered.get("headline").asText()).isEqualTo(subject);
        assertThat(delivered.get("category").get(0).asText()).isEqualTo("TRAFFICKING_IN_PERSONS");

        // the receipt comes back to the sender as a reply, threaded to its mail
        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(reply.getSubject()).isEqualTo("Re: " + subject);
        assertThat(header(reply, "References")).contains(msgId);
        assertThat(header(reply, "Auto-Submitted")).isEqualTo("auto-replied");
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("ACCEPTED");
        assertThat(reply.getAllRecipients()).extracting(Object::toString).containsExactly(LAOCAI);
        assertThat(text(reply)).contains("ACCEPTED", "sourceRef " + ref, alertId, "VN-TIP", "VN-FOCAL");
        JsonNode receipts = AlertJson.mapper().readTree(content(attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipts.get(0).get("originalId").asText()).isEqualTo(msgId);
        assertThat(receipts.get(0).get("routedTo")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("VN-FOCAL", "VN-TIP", "CN-FOCAL");

        // the same mail again (the office's mailer sending it twice): taken in once, answered once
        mail.send(LAOCAI, HUB, raw);
        String marker = "<" + uniqueRef("M") + "@offices.blo-hub.local>"; // mails are taken in, and answered, in order
        mail.send(LAOCAI, HUB, mail(withContentType(headers(LAOCAI, "marker", marker), "text/plain", null),
                "not a form\r\n".getBytes(StandardCharsets.US_ASCII)));
        mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", marker));
        assertThat(mail.read("VN-LAOCAI", password("VN-LAOCAI")).stream().filter(withHeader("In-Reply-To", msgId)))
                .hasSize(1);
        assertThat(mail.read("VN-TIP", password("VN-TIP")).stream().filter(withHeader("X-BLO-Alert-Id", alertId)))
                .hasSize(1);
        assertThat(count("agency.VN-FOCAL", "bloAlertId = '" + alertId + "'")).isZero();
    }

    @Test
    void attachmentsAreReadOneByOneAndABadCsvRowIsReportedByLine() throws Exception {
        String ref = uniqueRef("BV");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        String csv = """
                sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,headline,areas,tlp
                %1$s-1,2026-11-23T08:00:00,Actual,Alert,TRAFFICKING_IN_PERSONS,Immediate,Severe,Observed,km,ស្ត្រីពីរនាក់ត្រូវបានជួញដូរ,ច្រកព្រំដែនបាវិត,TLP:AMBER
                %1$s-2,2026-11-23T08:05:00,Actual,Alert,TRAFFICKING_IN_PERSONS,Immediate,Enormous,Observed,km,bad row,ច្រកព្រំដែនបាវិត,TLP:AMBER
                %1$s-3,2026-11-23T08:10:00,Actual,Alert,MIGRANT_SMUGGLING,Expected,Moderate,Likely,km,ការរត់ពន្ធមនុស្ស,ច្រកព្រំដែនបាវិត,TLP:GREEN
                """.formatted(ref);
        String cap = """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>%s-CAP</identifier><sender>KH-BAVET</sender><sent>2026-11-23T08:00:00+07:00</sent>
                  <status>Actual</status><msgType>Alert</msgType><scope>Restricted</scope><code>TLP:AMBER</code>
                  <info><language>km</language><category>Security</category><event>ការឆបោកតាមអនឡាញ</event>
                    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
                    <eventCode><valueName>urn:blo:category</valueName><value>CYBERCRIME</value></eventCode>
                    <headline>បណ្តាញឆបោកតាមទូរស័ព្ទ</headline>
                    <area><areaDesc>ក្រុងបាវិត</areaDesc></area></info>
                </alert>
                """.formatted(ref);
        byte[] body = multipart("b1", List.of(
                part(List.of("Content-Type: text/plain; charset=UTF-8"), "Dear colleagues, please find the alerts attached.\r\n"
                        .getBytes(StandardCharsets.UTF_8)),
                part(List.of("Content-Type: text/csv; charset=UTF-8; name=\"alerts.csv\"",
                                "Content-Disposition: attachment; filename=\"alerts.csv\"",
                                "Content-Transfer-Encoding: base64"),
                        TestMail.base64Lines(csv.getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII)),
                part(List.of("Content-Type: application/xml; name=\"cyber.cap.xml\"",
                                "Content-Disposition: attachment; filename=\"cyber.cap.xml\"",
                                "Content-Transfer-Encoding: quoted-printable"),
                        qp(cap.getBytes(StandardCharsets.UTF_8)))));
        String from = "kh-bavet@offices.blo-hub.local";
        mail.send(from, HUB, mail(withContentType(headers(from, "Alerts from Bavet", msgId),
                "multipart/mixed; boundary=\"b1\"", null), body));

        MimeMessage reply = mail.await("KH-BAVET", password("KH-BAVET"), withHeader("In-Reply-To", msgId)).get(0);
        String text = text(reply);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("PARTIAL");
        assertThat(text).contains("Attachment 1 (alerts.csv):", "Attachment 2 (cyber.cap.xml):",
                "the mail body (a covering note, not an alert)");
        assertThat(text).containsPattern("ACCEPTED  line 2  sourceRef " + ref + "-1")
                .containsPattern("REJECTED  line 3  sourceRef " + ref + "-2")
                .contains("      3: severity: ")
                .containsPattern("ACCEPTED  line 4  sourceRef " + ref + "-3");
        JsonNode receipts = AlertJson.mapper().readTree(content(attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts).hasSize(4);
        assertThat(receipts.get(1).get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipts.get(1).get("originalId").asText()).isEqualTo(msgId + "#1#3");
        assertThat(receipts.get(1).get("errors").get(0).asText()).startsWith("3:").contains("severity");

        // the good rows are routed: KH-TIP by mail (JSON body), KH-FOCAL over JMS; the bad row to no one
        String id1 = Normalizer.alertId("KH-BAVET", ref + "-1");
        String id3 = Normalizer.alertId("KH-BAVET", ref + "-3");
        assertThat(agencyMessages("KH-FOCAL", id1)).hasSize(1);
        assertThat(agencyMessages("KH-FOCAL", id3)).hasSize(1);
        MimeMessage tip3 = mail.await("KH-TIP", password("KH-TIP"), withHeader("X-BLO-Alert-Id", id3)).get(0);
        assertThat(tip3.getSubject()).isEqualTo("[TLP:GREEN] BLO alert " + id3 + ": ការរត់ពន្ធមនុស្ស"); // GREEN: headline too
        assertThat(AlertJson.mapper().readTree(text(tip3)).at("/provenance/originalId").asText()).isEqualTo(msgId + "#1#4");
        mail.await("KH-TIP", password("KH-TIP"), withHeader("X-BLO-Alert-Id", id1));
        assertThat(count("agency.KH-FOCAL", "bloAlertId = '" + Normalizer.alertId("KH-BAVET", ref + "-2") + "'")).isZero();
        assertThat(count(QUARANTINE, "bloOriginalId = '" + msgId + "#1'")).isEqualTo(1);

        // the CAP attachment: KH-CYBER247 takes CAP by mail, as an attachment
        String capId = Normalizer.alertId("KH-BAVET", ref + "-CAP");
        MimeMessage cyber = mail.await("KH-CYBER247", password("KH-CYBER247"), withHeader("X-BLO-Alert-Id", capId)).get(0);
        assertThat(cyber.getSubject()).isEqualTo("[TLP:AMBER] BLO alert " + capId);
        BodyPart capPart = attachment(cyber, "alert-" + capId + ".cap.xml").orElseThrow();
        assertThat(capPart.getContentType()).startsWith("application/common-alerting-protocol+xml");
        assertThat(content(capPart)).contains("<identifier>" + capId + "</identifier>", "បណ្តាញឆបោកតាមទូរស័ព្ទ");
        assertThat(text(cyber)).contains(capId, "CAP 1.2");
    }

    @Test
    void anUnknownSenderIsQuarantinedWithTheMailAndNotAnswered() throws Exception {
        String ref = uniqueRef("X");
        String msgId = "<" + ref + "@evil.example>";
        String from = "mallory@evil.example";
        byte[] raw = mail(withContentType(headers(from, "urgent", msgId), "text/plain; charset=UTF-8", "8bit"),
                form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8));
        mail.deliver(HUB, raw); // the embedded SMTP server takes no mail from a stranger: it reached the mailbox otherwise

        byte[] kept = quarantined(msgId);
        assertThat(new String(kept, StandardCharsets.UTF_8)).contains("Message-ID: " + msgId, "sourceRef: " + ref);
        assertThat(count(QUARANTINE, "bloOriginalId = '" + msgId + "' AND bloSender = '" + from
                + "' AND bloReason LIKE 'unknown sender%'")).isEqualTo(1);
        assertThat(count("agency.VN-FOCAL", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).isZero();

        // a known office's mail sent after it is answered; replies go out in order, so none went to the stranger
        String marker = "<" + uniqueRef("M") + "@offices.blo-hub.local>";
        mail.send(LAOCAI, HUB, mail(withContentType(headers(LAOCAI, "marker", marker), "text/plain", null),
                "not a form\r\n".getBytes(StandardCharsets.US_ASCII)));
        mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", marker));
        assertThat(mail.read(EmbeddedMailServer.POSTMASTER, password(Credentials.HUB)).stream()
                .filter(withHeader("In-Reply-To", msgId))).isEmpty();
    }

    @Test
    void aCorruptAttachmentIsReportedAndKeptWhileTheRestOfTheMailIsRouted() throws Exception {
        String ref = uniqueRef("LC-C");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        byte[] body = multipart("b2", List.of(
                part(List.of("Content-Type: text/plain; charset=UTF-8; format=flowed"),
                        flowed(form(ref, "MIGRANT_SMUGGLING")).getBytes(StandardCharsets.UTF_8)),
                part(List.of("Content-Type: application/xml; name=\"broken.xml\"",
                                "Content-Disposition: attachment; filename=\"broken.xml\""),
                        ("<?xml version=\"1.0\"?>\r\n<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\r\n"
                                + "  <identifier>" + ref + "-X</identifier><sender>VN-LAOCAI\r\n")
                                .getBytes(StandardCharsets.UTF_8)),
                part(List.of("Content-Type: application/octet-stream; name=\"photo.jpg\"",
                                "Content-Disposition: attachment; filename=\"photo.jpg\"",
                                "Content-Transfer-Encoding: base64"),
                        TestMail.base64Lines(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'})
                                .getBytes(StandardCharsets.US_ASCII))));
        mail.send(LAOCAI, HUB, mail(withContentType(headers(LAOCAI, "Mixed bag", msgId),
                "multipart/mixed; boundary=b2", null), body));

        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("PARTIAL");
        JsonNode receipts = AlertJson.mapper().readTree(content(attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts).hasSize(3);
        assertThat(receipts.get(0).get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipts.get(1).get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipts.get(1).get("originalId").asText()).isEqualTo(msgId + "#1");
        assertThat(receipts.get(2).get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipts.get(2).get("errors").get(0).asText()).contains("unknown format");
        assertThat(text(reply)).contains("Attachment 1 (broken.xml):", "Attachment 2 (photo.jpg):");
        // both bad parts are kept with their bytes; the form (read through format=flowed) is routed
        assertThat(new String(quarantined(msgId + "#1"), StandardCharsets.UTF_8)).contains(ref + "-X");
        assertThat(quarantined(msgId + "#2")).startsWith((byte) 0xFF, (byte) 0xD8);
        JsonNode a = AlertJson.mapper().readTree(agencyMessages("VN-FOCAL", Normalizer.alertId("VN-LAOCAI", ref)).get(0));
        assertThat(a.get("headline").asText()).isEqualTo("Mixed bag");
        assertThat(a.get("description").asText()).isEqualTo("Hai phụ nữ được đưa qua cửa khẩu,\nnghi bị lừa sang làm việc.");
    }

    // ------------------------------------------------------------------------------------------------------------

    static final String QUARANTINE = "hub.quarantine";

    /** The bytes kept in quarantine for this original id (waits up to 20 s). */
    byte[] quarantined(String originalId) throws Exception {
        Session s = session(Credentials.HUB);
        List<byte[]> found = new java.util.ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (var browser = s.createBrowser(s.createQueue(QUARANTINE), "bloOriginalId = '" + originalId + "'")) {
                var e = browser.getEnumeration();
                if (e.hasMoreElements()) {
                    BytesMessage m = (BytesMessage) e.nextElement();
                    byte[] b = new byte[(int) m.getBodyLength()];
                    m.readBytes(b);
                    found.add(b);
                    return true;
                }
                return false;
            }
        });
        return found.get(0);
    }

    static List<String> withContentType(List<String> headers, String contentType, String transferEncoding) {
        List<String> h = new java.util.ArrayList<>(headers);
        h.add("Content-Type: " + contentType);
        if (transferEncoding != null) {
            h.add("Content-Transfer-Encoding: " + transferEncoding);
        }
        return h;
    }

    /** Text as a format=flowed mailer sends it: long lines broken after a space, line ends CRLF. */
    static String flowed(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String l = line;
            while (l.length() > 30 && l.indexOf(' ', 20) > 0 && !l.startsWith("-- ")) {
                int cut = l.indexOf(' ', 20) + 1;
                sb.append(l, 0, cut).append("\r\n");
                l = l.substring(cut);
            }
            sb.append(l.startsWith(" ") ? " " + l : l).append("\r\n");
        }
        return sb.toString();
    }

    /** Quoted-printable (RFC 2045) with soft line breaks. */
    static byte[] qp(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (byte b : bytes) {
            int c = b & 0xff;
            String t;
            if (c == '\n') {
                sb.append("\r\n");
                col = 0;
                continue;
            } else if (c == '\r') {
                continue;
            } else if (c >= 33 && c <= 126 && c != '=' || c == ' ') {
                t = String.valueOf((char) c);
            } else {
                t = String.format("=%02X", c);
            }
            if (col + t.length() > 72) {
                sb.append("=\r\n");
                col = 0;
            }
            sb.append(t);
            col += t.length();
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
