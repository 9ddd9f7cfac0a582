package org.blohub.hub;

import jakarta.mail.internet.MimeMessage;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.hub.HubMailEndToEndTest.form;
import static org.blohub.hub.HubMailEndToEndTest.withContentType;
import static org.blohub.hub.TestMail.header;
import static org.blohub.hub.TestMail.headers;
import static org.blohub.hub.TestMail.mail;
import static org.blohub.hub.TestMail.text;
import static org.blohub.hub.TestMail.withHeader;

/**
 * The hub reading a mailbox of a mail server of its own, as in production: the sender is proven only by that server's
 * {@code Authentication-Results} (authserv-id {@code mx.blo-hub.test}). A context of its own, because which proof the
 * hub's reader takes is settled when it starts: naming the IMAP host ({@code blo.mail.imap.host}) makes the mailbox
 * "not the embedded server's" although it is the embedded GreenMail, so the rest of the hub stays as in every other
 * test. The mails are put straight into the hub's mailbox, as the real server would after its checks, with the
 * header it would write; the hub polls it over IMAP, routes, and answers by reply mail.
 */
@TestPropertySource(properties = {"blo.mail.imap.host=127.0.0.1", "blo.mail.authserv-id=mx.blo-hub.test"})
class HubMailAuthenticationResultsTest extends HubMailTestSupport {

    String deliver(String ref, String... authenticationResults) throws Exception {
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        List<String> h = new ArrayList<>();
        for (String ar : authenticationResults) {
            h.add("Authentication-Results: " + ar);
        }
        h.addAll(headers(LAOCAI, "BLO alert", msgId));
        mail.deliver(HUB, mail(withContentType(h, "text/plain; charset=UTF-8", "8bit"),
                form(ref, "TRAFFICKING_IN_PERSONS").getBytes(StandardCharsets.UTF_8)));
        return msgId;
    }

    @Test
    void dmarcPassOfTheHubsServerIsRoutedAndAccepted() throws Exception {
        String ref = uniqueRef("LC-AR-PASS");
        String msgId = deliver(ref, "mx.blo-hub.test; spf=pass smtp.mailfrom=offices.blo-hub.local;"
                + " dmarc=pass header.from=offices.blo-hub.local");

        MimeMessage reply = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", msgId)).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("ACCEPTED");
        assertThat(agencyMessages("VN-FOCAL", Normalizer.alertId("VN-LAOCAI", ref))).hasSize(1);
    }

    @Test
    void withoutProofOfTheHubsServerTheMailIsQuarantinedAndTheReplySaysWhy() throws Exception {
        String forgedRef = uniqueRef("LC-AR-FORGED");
        // the sender's own header, of another authserv-id, is ignored; the server's says fail
        String forged = deliver(forgedRef, "mx.blo-hub.test; dmarc=fail header.from=offices.blo-hub.local",
                "mail.office-pc.example; dmarc=pass header.from=offices.blo-hub.local");
        String missingRef = uniqueRef("LC-AR-NONE");
        String missing = deliver(missingRef, "mail.office-pc.example; dmarc=pass header.from=offices.blo-hub.local");

        MimeMessage r1 = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", forged)).get(0);
        assertThat(header(r1, "X-BLO-Receipt")).isEqualTo("REJECTED");
        assertThat(text(r1)).contains("is not proven", "dmarc=fail");
        MimeMessage r2 = mail.await("VN-LAOCAI", password("VN-LAOCAI"), withHeader("In-Reply-To", missing)).get(0);
        assertThat(header(r2, "X-BLO-Receipt")).isEqualTo("REJECTED");
        assertThat(text(r2)).contains("no Authentication-Results of the hub's mail server (mx.blo-hub.test)");
        assertThat(count("hub.quarantine", "bloOriginalId = '" + forged + "' AND bloReason LIKE '%dmarc=fail%'"))
                .isEqualTo(1);
        assertThat(count("hub.quarantine", "bloOriginalId = '" + missing + "'")).isEqualTo(1);
        for (String ref : List.of(forgedRef, missingRef)) {
            assertThat(count("agency.VN-FOCAL", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).isZero();
        }
    }
}
