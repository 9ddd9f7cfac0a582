package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.mail.EmbeddedMailServer;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.blohub.hub.HubMailEndToEndTest.form;
import static org.blohub.hub.HubMailEndToEndTest.withContentType;
import static org.blohub.hub.TestMail.attachment;
import static org.blohub.hub.TestMail.content;
import static org.blohub.hub.TestMail.header;
import static org.blohub.hub.TestMail.headers;
import static org.blohub.hub.TestMail.mail;
import static org.blohub.hub.TestMail.multipart;
import static org.blohub.hub.TestMail.part;
import static org.blohub.hub.TestMail.text;
import static org.blohub.hub.TestMail.withHeader;

/**
 * Who sent a mail is proven, not taken from its From: the embedded SMTP server takes mail only after SMTP AUTH, and
 * only with a From of the office (or the hub) that logged in; the hub's reader routes a mail only when the server
 * marked who sent it. Through the real channel: SMTP clients (Jakarta Mail's and a raw one) to the embedded server,
 * the hub polling its mailbox over IMAP, agencies and offices reading theirs over IMAP, agencies' JMS queues.
 */
class HubMailIdentityTest extends HubMailTestSupport {

    static final String HEKOU = "cn-hekou@offices.blo-hub.local";
    static final String QUARANTINE = "hub.quarantine";

    byte[] formMail(String from, String msgId, String ref) {
        return mail(withContentType(headers(from, "BLO alert", msgId), "text/plain; charset=UTF-8", "8bit"),
                form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends with Jakarta Mail's SMTP transport, logged in as {@code login} (null: no AUTH). */
    void jakartaSend(String login, String password, byte[] raw) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.auth", String.valueOf(login != null));
        p.setProperty("mail.smtp.connectiontimeout", "20000");
        p.setProperty("mail.smtp.timeout", "20000");
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(p);
        MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(raw));
        try (Transport t = session.getTransport("smtp")) {
            t.connect(mailServer.host(), mailServer.smtpPort(), login, password);
            t.sendMessage(m, new Address[]{new InternetAddress(HUB)}); // as is: no saveChanges, the Message-ID kept
        }
    }

    /** A valid mail of VN-LAOCAI sent after the others, answered: mails are taken in, and answered, in order. */
    void barrier() throws Exception {
        String marker = "<" + uniqueRef("M") + "@offices.blo-hub.local>";
        mail.send(LAOCAI, HUB, mail(withContentType(headers(LAOCAI, "marker", marker), "text/plain", null),
                "not a form\r\n".getBytes(StandardCharsets.US_ASCII)));
        mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", marker));
    }

    /** Nothing of these alert ids on any agency's JMS queue or in any agency mailbox they would reach. */
    void nothingDelivered(String... alertIds) throws Exception {
        for (String id : alertIds) {
            for (String agency : List.of("VN-FOCAL", "CN-FOCAL")) {
                assertThat(count("agency." + agency, "bloAlertId = '" + id + "'")).as(agency + " " + id).isZero();
            }
            for (String agency : List.of("VN-TIP", "CN-TIP")) {
                assertThat(mail.read(agency, password(agency)).stream().filter(withHeader("X-BLO-Alert-Id", id)))
                        .as(agency + " " + id).isEmpty();
            }
        }
    }

    List<MimeMessage> repliesTo(String login, String msgId) throws MessagingException {
        return mail.read(login, password(login)).stream().filter(withHeader("In-Reply-To", msgId)).toList();
    }

    @Test
    void smtpWithoutAuthIsRefusedAndNothingIsDelivered() throws Exception {
        String ref = uniqueRef("LC-NOAUTH");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        byte[] raw = formMail(LAOCAI, msgId, ref);

        assertThatThrownBy(() -> jakartaSend(null, null, raw)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("530");
        assertThatThrownBy(() -> mail.sendAs(null, null, LAOCAI, HUB, raw)).isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("530")
                        .contains("Authentication required"));
        // a wrong password does not log in either
        assertThatThrownBy(() -> mail.sendAs("VN-LAOCAI", "not-the-password", LAOCAI, HUB, raw))
                .isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("535"));

        barrier();
        nothingDelivered(Normalizer.alertId("VN-LAOCAI", ref));
        assertThat(mail.read(Credentials.HUB, password(Credentials.HUB)).stream().filter(withHeader("Message-ID", msgId)))
                .isEmpty();
        assertThat(repliesTo("VN-LAOCAI", msgId)).isEmpty();
    }

    @Test
    void aMailLargerThanTheHubTakesIsRefusedAtSmtpAndNothingIsKept() throws Exception {
        String ref = uniqueRef("LC-HUGE");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        byte[] form = form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8);
        StringBuilder padding = new StringBuilder(27 * 1024 * 1024);
        String line = "X".repeat(76) + "\r\n";
        while (padding.length() < 26 * 1024 * 1024) { // over blo.mail.imap.max-bytes (25 MiB)
            padding.append(line);
        }
        byte[] body = new byte[form.length + padding.length()];
        System.arraycopy(form, 0, body, 0, form.length);
        System.arraycopy(padding.toString().getBytes(StandardCharsets.US_ASCII), 0, body, form.length, padding.length());
        byte[] raw = mail(withContentType(headers(LAOCAI, "BLO alert", msgId), "text/plain; charset=UTF-8", "8bit"), body);

        assertThatThrownBy(() -> mail.send(LAOCAI, HUB, raw)).isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("552"));

        barrier();
        nothingDelivered(Normalizer.alertId("VN-LAOCAI", ref));
        assertThat(mail.read(Credentials.HUB, password(Credentials.HUB)).stream().filter(withHeader("Message-ID", msgId)))
                .isEmpty();
    }

    @Test
    void smtpWithAuthAsTheOfficeIsDeliveredOncePerAgencyWithOneAcceptedReply() throws Exception {
        String ref = uniqueRef("LC-AUTH");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        List<String> h = new ArrayList<>(headers(LAOCAI, "BLO alert", msgId));
        h.add(EmbeddedMailServer.AUTHENTICATED_SENDER + ": CN-HEKOU"); // the sender's own copy: removed by the server
        byte[] raw = mail(withContentType(h, "text/plain; charset=UTF-8", "8bit"),
                form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8));
        jakartaSend("VN-LAOCAI", password("VN-LAOCAI"), raw);

        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("ACCEPTED");
        JsonNode receipts = AlertJson.mapper().readTree(content(attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts.get(0).get("routedTo")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("VN-FOCAL", "VN-TIP", "CN-FOCAL");
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1);
        assertThat(agencyMessages("CN-FOCAL", alertId)).hasSize(1);
        mail.await("VN-TIP", password("VN-TIP"), withHeader("X-BLO-Alert-Id", alertId));

        barrier();
        assertThat(mail.read("VN-TIP", password("VN-TIP")).stream().filter(withHeader("X-BLO-Alert-Id", alertId)))
                .hasSize(1);
        assertThat(repliesTo("VN-LAOCAI", msgId)).hasSize(1);
        // in the hub's mailbox the mail carries the server's mark alone: who logged in, not what the sender wrote
        MimeMessage kept = mail.read(Credentials.HUB, password(Credentials.HUB)).stream()
                .filter(withHeader("Message-ID", msgId)).findFirst().orElseThrow();
        assertThat(kept.getHeader(EmbeddedMailServer.AUTHENTICATED_SENDER)).containsExactly("VN-LAOCAI");
    }

    @Test
    void anOfficeCannotSendAsAnotherOffice() throws Exception {
        String ref = uniqueRef("HK-FORGED");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        byte[] raw = formMail(HEKOU, msgId, ref);

        assertThatThrownBy(() -> mail.sendAs("VN-LAOCAI", password("VN-LAOCAI"), HEKOU, HUB, raw))
                .isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("550")
                        .contains("the sender (From) " + HEKOU + " does not belong to VN-LAOCAI"));
        // the envelope may name the office's own address: the From decides
        assertThatThrownBy(() -> mail.sendAs("VN-LAOCAI", password("VN-LAOCAI"), LAOCAI, HUB, raw))
                .isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("550"));

        barrier();
        nothingDelivered(Normalizer.alertId("CN-HEKOU", ref), Normalizer.alertId("VN-LAOCAI", ref));
        assertThat(repliesTo("CN-HEKOU", msgId)).isEmpty();
        assertThat(mail.read("CN-HEKOU", password("CN-HEKOU"))).noneMatch(m -> msgId.equals(header(m, "References")));
        assertThat(repliesTo("VN-LAOCAI", msgId)).isEmpty();
    }

    @Test
    void anAgencyOrTheHubCannotSendAsAnOffice() throws Exception {
        String ref = uniqueRef("LC-AGENCY");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        byte[] raw = formMail(LAOCAI, msgId, ref);

        // an agency's login opens its mailbox but sends nothing
        assertThatThrownBy(() -> mail.sendAs("VN-TIP", password("VN-TIP"), LAOCAI, HUB, raw))
                .isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("550")
                        .contains("only offices and the hub"));
        // the hub's login sends the hub's own mail only
        assertThatThrownBy(() -> mail.sendAs(Credentials.HUB, password(Credentials.HUB), LAOCAI, HUB, raw))
                .isInstanceOf(TestMail.Refused.class)
                .satisfies(e -> assertThat(((TestMail.Refused) e).reply()).startsWith("550")
                        .contains("does not belong to hub"));

        barrier();
        nothingDelivered(Normalizer.alertId("VN-LAOCAI", ref));
        assertThat(repliesTo("VN-LAOCAI", msgId)).isEmpty();
    }

    @Test
    void aMailInTheMailboxWithoutTheServersMarkIsQuarantinedAndTheReplySaysWhy() throws Exception {
        String ref = uniqueRef("LC-UNMARKED");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        List<String> h = new ArrayList<>(headers(LAOCAI, "BLO alert", msgId));
        h.add(EmbeddedMailServer.AUTHENTICATED_SENDER + ": VN-LAOCAI"); // written by the sender, not the server
        h.add(EmbeddedMailServer.AUTHENTICATED_SENDER + ": VN-LAOCAI");
        mail.deliver(HUB, mail(withContentType(h, "text/plain; charset=UTF-8", "8bit"),
                form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8)));

        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("REJECTED");
        assertThat(text(reply)).contains("did not record an authenticated sender", "SMTP AUTH");
        // kept as no one's: its office is only claimed, so no operator re-submits it as that office's
        assertThat(count(QUARANTINE, "bloOriginalId = '" + msgId + "' AND bloReason LIKE '%authenticated sender%'"
                + " AND bloOffice IS NULL AND bloSender = '" + LAOCAI + "'")).isEqualTo(1);
        nothingDelivered(Normalizer.alertId("VN-LAOCAI", ref));
    }

    @Test
    void aMailWithMoreAlertPartsThanTheLimitIsRefusedAsOneItem() throws Exception {
        String ref = uniqueRef("LC-PARTS");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        List<byte[]> parts = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            parts.add(part(List.of("Content-Type: application/json; charset=UTF-8",
                            "Content-Disposition: attachment; filename=\"alert-" + i + ".json\""),
                    ("{\"sourceRef\": \"" + ref + "-" + i + "\"}").getBytes(StandardCharsets.UTF_8)));
        }
        List<String> h = new ArrayList<>(headers(LAOCAI, "150 alerts", msgId));
        h.add("Content-Type: multipart/mixed; boundary=\"p150\"");
        mail.send(LAOCAI, HUB, mail(h, multipart("p150", parts)));

        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("REJECTED");
        assertThat(text(reply)).contains("150 parts to read as alerts", "(100)");
        JsonNode receipts = AlertJson.mapper().readTree(content(attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).get("status").asText()).isEqualTo("REJECTED");
        assertThat(count(QUARANTINE, "bloOriginalId = '" + msgId + "'")).isEqualTo(1);
        assertThat(count(QUARANTINE, "bloOriginalId LIKE '" + msgId + "#%'")).isZero();

        barrier();
        assertThat(repliesTo("VN-LAOCAI", msgId)).hasSize(1);
        assertThat(count(QUARANTINE, "bloOriginalId = '" + msgId + "'")).isEqualTo(1);
        nothingDelivered(Normalizer.alertId("VN-LAOCAI", ref + "-1"));
        assertThat(Arrays.asList(reply.getAllRecipients())).extracting(Object::toString).containsExactly(LAOCAI);
    }
}
