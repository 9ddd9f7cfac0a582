package org.blohub.mail;

import org.blohub.normalize.InputLimits;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MailReaderTest {

    static final OfficeRegistry OFFICES = OfficeRegistry.load(Path.of("config"));
    /** Every sender proven: the proofs have tests of their own (EmbeddedSenderProofTest, AuthenticationResultsTest). */
    static final SenderProof PROVEN = (mail, from, office) -> null;
    final MailReader reader = new MailReader(OFFICES, InputLimits.DEFAULT, "blo-hub.local", PROVEN,
            MailReader.DEFAULT_MAX_ALERT_PARTS);

    static byte[] mail(String headers, byte[] body) {
        byte[] h = (headers.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    static final String FORM = "sourceRef: R1\r\nseverity: Severe\r\n";

    @Test
    void theSenderNamesTheOfficeAndTheSubjectIsAddedToTheFormWhereItEnds() {
        MailJob job = reader.read(mail("""
                From: "Lao Cai BLO" <VN-LaoCai@offices.blo-hub.local>
                Subject: =?UTF-8?Q?B=E1=BA=AFt_gi=E1=BB=AF?=
                Message-ID: <m1@x>
                Content-Type: text/plain; charset=UTF-8
                """, (FORM + "-- \r\nsignature\r\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(job.refused()).isFalse();
        assertThat(job.office().id()).isEqualTo("VN-LAOCAI");
        assertThat(job.from()).isEqualTo("vn-laocai@offices.blo-hub.local");
        assertThat(job.subject()).isEqualTo("Bắt giữ");
        assertThat(job.answer()).isTrue();
        assertThat(job.parts()).hasSize(1);
        MailPart body = job.parts().get(0);
        assertThat(body.originalId()).isEqualTo("<m1@x>");
        assertThat(body.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8))
                .isEqualTo(FORM + "Subject: Bắt giữ\r\n-- \r\nsignature\r\n"); // line numbers of the form unchanged
    }

    @Test
    void aFormWithItsOwnHeadlineIsLeftAsItIs() {
        byte[] form = (FORM + "headline: own\r\n").getBytes(StandardCharsets.UTF_8);
        MailJob job = reader.read(mail("From: vn-laocai@offices.blo-hub.local\nSubject: s\nMessage-ID: <m2@x>\n", form));
        assertThat(job.parts().get(0).bytes()).isEqualTo(form);
    }

    @Test
    void theSubjectIsWrittenInTheBodysCharsetWhenItCanBeElseTheFormBecomesUtf8() {
        Charset tis = Charset.forName("windows-874");
        byte[] form = ("sourceRef: R1\r\nareas: เชียงของ\r\n").getBytes(tis);
        MailJob thai = reader.read(mail("From: th-chiangkhong@offices.blo-hub.local\nSubject: =?TIS-620?B?"
                + java.util.Base64.getEncoder().encodeToString("“ด่วน”".getBytes(tis)) + "?=\nMessage-ID: <m3@x>\n"
                + "Content-Type: text/plain; charset=TIS-620\n", form));
        // named as declared, read as its superset
        assertThat(thai.parts().get(0).charset().name()).isEqualTo("TIS-620");
        assertThat(thai.parts().get(0).charset().newDecoder().charset()).isEqualTo(tis);
        assertThat(new String(thai.parts().get(0).bytes(), tis)).endsWith("Subject: “ด่วน”\r\n");

        MailJob mixed = reader.read(mail("From: th-chiangkhong@offices.blo-hub.local\nSubject: =?UTF-8?B?"
                + java.util.Base64.getEncoder().encodeToString("河口".getBytes(StandardCharsets.UTF_8)) + "?=\n"
                + "Message-ID: <m4@x>\nContent-Type: text/plain; charset=windows-874\n", form));
        assertThat(mixed.parts().get(0).charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(new String(mixed.parts().get(0).bytes(), StandardCharsets.UTF_8))
                .isEqualTo("sourceRef: R1\r\nareas: เชียงของ\r\nSubject: 河口\r\n");
    }

    @Test
    void unknownAndAutomaticSendersAreRefusedOrNotAnswered() {
        MailJob stranger = reader.read(mail("From: x@evil.example\nMessage-ID: <m5@x>\n", FORM.getBytes(StandardCharsets.US_ASCII)));
        assertThat(stranger.refused()).isTrue();
        assertThat(stranger.refusal()).startsWith("unknown sender 'x@evil.example'");
        assertThat(stranger.answer()).isFalse();
        assertThat(stranger.parts()).isEmpty();

        MailJob two = reader.read(mail("From: vn-laocai@offices.blo-hub.local, x@evil.example\n", new byte[0]));
        assertThat(two.refusal()).contains("2 senders");

        MailJob robot = reader.read(mail("From: vn-laocai@offices.blo-hub.local\nAuto-Submitted: auto-replied\n",
                FORM.getBytes(StandardCharsets.US_ASCII)));
        assertThat(robot.refused()).isFalse();
        assertThat(robot.answer()).isFalse();

        MailJob answer = reader.read(mail("From: vn-laocai@offices.blo-hub.local\nIn-Reply-To: <receipt.abc@blo-hub.local>\n",
                FORM.getBytes(StandardCharsets.US_ASCII)));
        assertThat(answer.repliesToHub()).isTrue();
    }

    @Test
    void nestedMultipartsGiveTheBodyAndEachAttachmentInOrderAndSkipWhatIsNoAlert() {
        String raw = """
                From: kh-bavet@offices.blo-hub.local
                Message-ID: <m6@x>
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: multipart/alternative; boundary=alt

                --alt
                Content-Type: text/plain; charset=us-ascii

                Please see the attached alerts.
                --alt
                Content-Type: multipart/related; boundary=rel

                --rel
                Content-Type: text/html

                <p>Please see</p><img src="cid:logo">
                --rel
                Content-Type: image/png
                Content-ID: <logo>

                PNG
                --rel--
                --alt--
                --outer
                Content-Type: application/json; name="a.json"
                Content-Disposition: attachment; filename="=?UTF-8?B?4Lqr4Lqy4LqZLmpzb24=?="

                {"sourceRef":"J1"}
                --outer
                Content-Type: text/csv; charset=GB2312
                Content-Disposition: attachment; filename*=UTF-8''%E6%B2%B3%E5%8F%A3.csv

                sourceRef,headline
                --outer
                Content-Type: application/pgp-signature; name=signature.asc

                sig
                --outer--
                """;
        MailJob job = reader.read(raw.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(job.parts()).extracting(MailPart::label)
                .containsExactly("attachment 1 (ຫານ.json)", "attachment 2 (河口.csv)");
        assertThat(job.parts()).extracting(MailPart::originalId).containsExactly("<m6@x>#1", "<m6@x>#2");
        assertThat(job.parts().get(1).charset().name()).isEqualTo("GB2312");
        assertThat(job.parts().get(1).charset().newDecoder().charset()).isEqualTo(Charset.forName("GBK"));
        // the HTML alternative (with its inline image) is the same text: not read, not reported
        assertThat(job.ignored()).containsExactly("signature.asc (application/pgp-signature, a signature)", "the mail body (a covering note, not an alert)");
    }

    @Test
    void partsThatCannotBeReadAreStillPartsWithTheReason() {
        String raw = """
                From: vn-laocai@offices.blo-hub.local
                Message-ID: <m7@x>
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; charset=x-martian

                sourceRef: R1
                --b
                Content-Type: text/html

                <p>only html</p>
                --b--
                """;
        MailJob job = reader.read(raw.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(job.parts()).hasSize(2);
        assertThat(job.parts().get(0).refusal()).isEqualTo("declares an unknown charset 'x-martian'");
        assertThat(job.parts().get(1).label()).isEqualTo("attachment 1 (text/html)");

        MailJob empty = reader.read(mail("From: vn-laocai@offices.blo-hub.local\n", new byte[0]));
        assertThat(empty.parts()).singleElement().extracting(MailPart::refusal).asString().contains("holds no alert");
        MailJob html = reader.read(mail("From: vn-laocai@offices.blo-hub.local\nContent-Type: text/html\n",
                "<p>x</p>".getBytes(StandardCharsets.US_ASCII)));
        assertThat(html.parts()).singleElement().extracting(MailPart::refusal).asString().contains("only an HTML body");
    }

    @Test
    void usAsciiOnEightBitTextMeansNoneDeclaredAndTheKeyIsStable() {
        byte[] thai = "sourceRef: R1\r\nareas: เชียงของ\r\n".getBytes(Charset.forName("windows-874"));
        byte[] raw = mail("From: th-chiangkhong@offices.blo-hub.local\nMessage-ID: <m8@x>\n"
                + "Content-Type: text/plain; charset=us-ascii\n", thai);
        MailJob job = reader.read(raw);
        assertThat(job.parts().get(0).charset()).isNull();
        assertThat(job.key()).hasSize(64).isEqualTo(reader.read(raw).key());
        assertThat(reader.read(mail("From: th-chiangkhong@offices.blo-hub.local\nMessage-ID: <m8@x>\n", thai)).key())
                .isNotEqualTo(job.key()); // another mail under the same Message-ID is not skipped
    }

    @Test
    void aMailWithoutMessageIdGetsAStableIdFromItsBytes() {
        byte[] raw = mail("From: vn-laocai@offices.blo-hub.local\n", FORM.getBytes(StandardCharsets.US_ASCII));
        MailJob job = reader.read(raw);
        assertThat(job.messageId()).isNull();
        assertThat(job.originalId()).startsWith("sha256:").isEqualTo(reader.read(raw).originalId());
        assertThat(List.of(job.parts().get(0).originalId())).containsExactly(job.originalId());
    }

    static byte[] attachments(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append("--b\r\nContent-Type: application/json\r\nContent-Disposition: attachment; filename=\"a")
                    .append(i).append(".json\"\r\n\r\n{\"sourceRef\": \"R").append(i).append("\"}\r\n");
        }
        return b.append("--b--\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aMailWithMoreAlertPartsThanTheLimitIsRefusedWholeNamingBoth() {
        MailReader two = new MailReader(OFFICES, InputLimits.DEFAULT, "blo-hub.local", PROVEN, 2);
        String headers = "From: vn-laocai@offices.blo-hub.local\nMessage-ID: <parts@x>\n"
                + "Content-Type: multipart/mixed; boundary=b\n";
        assertThat(two.read(mail(headers, attachments(2))).parts()).hasSize(2);
        MailJob job = two.read(mail(headers, attachments(3)));
        assertThat(job.refused()).isTrue();
        assertThat(job.refusal()).contains("3 parts to read as alerts", "(2)");
        assertThat(job.parts()).isEmpty();
        assertThat(job.answer()).isTrue();
    }

    @Test
    void anUnprovenSenderIsRefusedWholeAndAnswered() {
        MailReader strict = new MailReader(OFFICES, InputLimits.DEFAULT, "blo-hub.local",
                (m, from, office) -> "not proven: " + office.id(), 100);
        MailJob job = strict.read(mail("From: vn-laocai@offices.blo-hub.local\nMessage-ID: <np@x>\n",
                FORM.getBytes(StandardCharsets.UTF_8)));
        assertThat(job.refusal()).isEqualTo("not proven: VN-LAOCAI");
        assertThat(job.senderProven()).isFalse();
        assertThat(job.answer()).isTrue();
        assertThat(reader.read(mail("From: vn-laocai@offices.blo-hub.local\nMessage-ID: <p@x>\n",
                FORM.getBytes(StandardCharsets.UTF_8))).senderProven()).isTrue();
        assertThat(job.parts()).isEmpty();
    }

    @Test
    void namesFromTheMailAreEscapedWhereTheyBecomeIdsAndLabels() {
        MailJob job = reader.read(mail("From: vn-laocai@offices.blo-hub.local\nMessage-ID: <a\\b\u001b@x>\n"
                        + "Content-Type: multipart/mixed; boundary=b\n",
                ("--b\r\nContent-Type: application/json\r\nContent-Disposition: attachment;"
                        + " filename=\"=?UTF-8?Q?r=1B=5Cp.json?=\"\r\n\r\n{}\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII)));
        // a control character and a backslash escaped (CleanText.escape)
        assertThat(job.originalId()).isEqualTo("<a\\u005cb\\u001b@x>");
        assertThat(job.parts().get(0).originalId()).isEqualTo("<a\\u005cb\\u001b@x>#1");
        assertThat(job.parts().get(0).label()).isEqualTo("attachment 1 (r\\u001b\\u005cp.json)");
        // a From with a control character is no address
        MailJob ctl = reader.read(mail("From: <vn-laocai\u0007@offices.blo-hub.local>\nMessage-ID: <c@x>\n",
                FORM.getBytes(StandardCharsets.UTF_8)));
        assertThat(ctl.refused()).isTrue();
        assertThat(ctl.from()).isNull();
    }
}
