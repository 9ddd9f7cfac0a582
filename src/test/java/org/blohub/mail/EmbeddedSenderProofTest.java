package org.blohub.mail;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSenderProofTest {

    static final Office LAOCAI = OfficeRegistry.load(Path.of("config")).find("VN-LAOCAI").orElseThrow();
    final EmbeddedSenderProof proof = new EmbeddedSenderProof();

    static MimeMessage mail(String headers) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                (headers + "From: vn-laocai@offices.blo-hub.local\r\nSubject: x\r\n\r\nbody\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void theServersMarkNamingTheOfficeProvesIt() throws Exception {
        assertThat(proof.refusal(mail("X-BLO-Authenticated-Sender: VN-LAOCAI\r\n"), "vn-laocai@offices.blo-hub.local",
                LAOCAI)).isNull();
    }

    @Test
    void noMarkTwoMarksOrAnotherSendersMarkDoNot() throws Exception {
        String from = "vn-laocai@offices.blo-hub.local";
        assertThat(proof.refusal(mail(""), from, LAOCAI)).contains("did not record an authenticated sender");
        assertThat(proof.refusal(mail("X-BLO-Authenticated-Sender: VN-LAOCAI\r\nX-BLO-Authenticated-Sender: VN-LAOCAI\r\n"),
                from, LAOCAI)).contains("did not record an authenticated sender");
        assertThat(proof.refusal(mail("X-BLO-Authenticated-Sender: CN-HEKOU\r\n"), from, LAOCAI))
                .contains("belongs to VN-LAOCAI, but CN-HEKOU logged in");
    }
}
