package org.blohub.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.blohub.normalize.InputLimits;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Size before reading: a mail larger than the limit is refused by the size the server gives, its content unread. */
class MailIngressTest {

    final MailReader reader = new MailReader(OfficeRegistry.load(Path.of("config")), InputLimits.DEFAULT,
            "blo-hub.local", new EmbeddedSenderProof(), MailReader.DEFAULT_MAX_ALERT_PARTS);
    final MailIngress ingress = new MailIngress(reader, 1000, 3, null);

    /** A polled mail as the IMAP store gives it: headers at hand, a size from the server, content fetched on demand. */
    static final class Polled extends MimeMessage {
        final int size;
        final AtomicInteger contentReads = new AtomicInteger();

        Polled(String headers, int size) throws MessagingException {
            super(Session.getInstance(new Properties()),
                    new ByteArrayInputStream((headers + "\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
            this.size = size;
        }

        @Override
        public int getSize() {
            return size;
        }

        @Override
        public void writeTo(OutputStream os) {
            contentReads.incrementAndGet();
            throw new AssertionError("the content of an oversized mail is fetched");
        }

        @Override
        public InputStream getInputStream() {
            contentReads.incrementAndGet();
            throw new AssertionError("the content of an oversized mail is fetched");
        }

        @Override
        protected InputStream getContentStream() {
            contentReads.incrementAndGet();
            throw new AssertionError("the content of an oversized mail is fetched");
        }
    }

    @Test
    void aMailAboveTheLimitIsRefusedByItsSizeWithoutFetchingItsContent() throws Exception {
        Polled big = new Polled("From: vn-laocai@offices.blo-hub.local\r\nX-BLO-Authenticated-Sender: VN-LAOCAI\r\n"
                + "Message-ID: <big@offices.blo-hub.local>\r\nSubject: big\r\n", 50_000_000);

        MailJob job = ingress.read(big);

        assertThat(big.contentReads).hasValue(0);
        assertThat(job.refused()).isTrue();
        assertThat(job.refusal()).contains("the mail is 50000000 bytes, more than the hub reads (1000)");
        assertThat(job.office().id()).isEqualTo("VN-LAOCAI");
        assertThat(job.answer()).isTrue();
        assertThat(new String(job.raw(), StandardCharsets.ISO_8859_1)).contains("Message-ID: <big@offices.blo-hub.local>")
                .doesNotContain("body");
    }
}
