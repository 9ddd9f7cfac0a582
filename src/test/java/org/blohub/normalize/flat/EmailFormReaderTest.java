package org.blohub.normalize.flat;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.blohub.normalize.flat.FlatTestSupport.CHIANG_KHONG;
import static org.blohub.normalize.flat.FlatTestSupport.HEKOU;
import static org.blohub.normalize.flat.FlatTestSupport.LAO_CAI;
import static org.blohub.normalize.flat.FlatTestSupport.channelOffice;
import static org.blohub.normalize.flat.FlatTestSupport.payloadOffice;
import static org.blohub.normalize.flat.FlatTestSupport.text;

class EmailFormReaderTest {

    private final EmailFormReader reader = new EmailFormReader();
    private final ReadContext mail = channelOffice("<20250314.0830@laocai.example>", LAO_CAI, StandardCharsets.UTF_8);

    private List<Draft> read(byte[] bytes, ReadContext ctx) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(bytes), ctx, drafts::add);
        return drafts;
    }

    @Test
    void formatIsEmailForm() {
        assertThat(reader.format()).isEqualTo(OriginalFormat.EMAIL_FORM);
    }

    @Test
    void aFormWithContinuationLinesAndTheSubjectAsHeadline() {
        String body = """
                SourceRef: LC-2025-0042
                sentAt: 2025-03-14T08:30:00+07:00
                Status: Actual
                MsgType: Alert
                Category: DRUG_TRAFFICKING; PRECURSOR_CHEMICALS
                Urgency: Immediate
                Severity: Severe
                Certainty: Likely
                Language: vi

                Description: Xe tải biển số 24C-123.45 chở 12 kg ma túy đá,
                  tài xế Nguyễn Văn A khai nhận hàng tại 河口.
                \tĐề nghị phối hợp kiểm tra.
                Areas: Cửa khẩu quốc tế Lào Cai; Bản Vược
                UnLocode: VN LCA
                Lat: 22.5031
                Lon: 103.96
                Subjects: VEHICLE:24C-123.45; PERSON:Nguyễn Văn A
                TLP: TLP:AMBER
                GradingSource: B
                GradingInformation: 2
                """;
        Draft d = reader.readForm(body, "Xe tải chở ma túy qua cửa khẩu Lào Cai", mail);

        assertThat(d.problems()).isEmpty();
        assertThat(d.format()).isEqualTo(OriginalFormat.EMAIL_FORM);
        assertThat(d.originalId()).isEqualTo("<20250314.0830@laocai.example>");
        assertThat(text(d, "/headline")).isEqualTo("Xe tải chở ma túy qua cửa khẩu Lào Cai");
        assertThat(text(d, "/description")).isEqualTo("Xe tải biển số 24C-123.45 chở 12 kg ma túy đá,\n"
                + "tài xế Nguyễn Văn A khai nhận hàng tại 河口.\nĐề nghị phối hợp kiểm tra.");
        assertThat(text(d, "/tlp")).isEqualTo("TLP:AMBER");
        assertThat(text(d, "/areas/0/country")).isEqualTo("VN"); // the sending office's country
        assertThat(d.fields().at("/areas/0/lat").decimalValue()).isEqualByComparingTo("22.5031");
        assertThat(text(d, "/subjects/1/name")).isEqualTo("Nguyễn Văn A");
        assertThat(d.fields().at("/grading/information").intValue()).isEqualTo(2);
        assertThat(d.fields().has("office")).isFalse(); // the form does not name one; the channel's is set later
        assertThat(text(d, "/provenance/declaredCharset")).isEqualTo("UTF-8");
        // where: the line and the column where the value starts
        assertThat(d.where().find("/sourceRef")).isEqualTo(new Position(1, 12));
        assertThat(d.where().find("/description")).isEqualTo(new Position(11, 14));
        assertThat(d.where().find("/areas/1/areaDesc")).isEqualTo(new Position(14, 8));
        assertThat(d.where().find("/headline")).isEqualTo(Position.line(1)); // the subject: the form's start
    }

    @Test
    void aHeadlineKeyWinsOverTheSubject() {
        Draft d = reader.readForm("Headline: ลักลอบขนยาบ้าข้ามแม่น้ำโขง\nSourceRef: CK-9\n", "Fwd: แจ้งเตือน", mail);
        assertThat(text(d, "/headline")).isEqualTo("ลักลอบขนยาบ้าข้ามแม่น้ำโขง");
        assertThat(d.where().find("/headline")).isEqualTo(new Position(1, 11));
    }

    @Test
    void theSignatureEndsTheForm() {
        String body = "SourceRef: KH-1\r\nAreas: ប៉ោយប៉ែត\r\n-- \r\nសុខ ចាន់\r\nPhone: +855 12 345 678\r\n";
        Draft d = reader.readForm(body, null, mail);
        assertThat(d.problems()).isEmpty();
        assertThat(text(d, "/areas/0/areaDesc")).isEqualTo("ប៉ោយប៉ែត");
        assertThat(d.fields().fieldNames()).toIterable().containsExactly("sourceRef", "areas", "provenance");

        Draft bare = reader.readForm("SourceRef: KH-2\n--\nBad line after the signature\n", null, mail);
        assertThat(bare.problems()).isEmpty();
    }

    @Test
    void aLineThatIsNoKeyValueLineIsAProblemWithItsLine() {
        String body = """
                SourceRef: MM-1
                Please see below: the alert
                Headline: မူးယစ်ဆေးဝါး ဖမ်းဆီးမှု
                just some text
                """;
        Draft d = reader.readForm(body, null, mail);
        assertThat(d.problems()).extracting(Problem::at).containsExactly(Position.line(2), Position.line(4));
        assertThat(d.problems()).extracting(Problem::message).allMatch(m -> m.startsWith("not a 'Key: Value' line"));
        assertThat(d.problems().get(1).message()).contains("just some text");
        assertThat(text(d, "/headline")).isEqualTo("မူးယစ်ဆေးဝါး ဖမ်းဆီးမှု"); // the rest is still read
    }

    @Test
    void aContinuationWithNothingBeforeItIsAProblem() {
        Draft d = reader.readForm("   dangling\nSourceRef: X-1\n", null, mail);
        assertThat(d.problems()).extracting(Problem::at).containsExactly(Position.line(1));
        assertThat(d.problems().get(0).message()).startsWith("not a 'Key: Value' line");
    }

    @Test
    void anUnknownKeyIsAProblemNamingItAndTheKnownOnesAndItsContinuationIsNotMisread() {
        Draft d = reader.readForm("SourceRef: LA-5\nRemarks: ຂໍ້ສັງເກດ\n  ສືບຕໍ່\nHeadline: ok\n", null, mail);
        assertThat(d.problems()).hasSize(1);
        Problem p = d.problems().get(0);
        assertThat(p.message()).contains("unknown key 'Remarks'", "known: sourceRef, office", "addressees");
        assertThat(p.at().line()).isEqualTo(2);
        assertThat(text(d, "/headline")).isEqualTo("ok");
        // a Subject line is the mail's subject only in a form read on its own, not in a mail body
        Draft inMail = reader.readForm("Subject: x\n", null, mail);
        assertThat(inMail.problems()).extracting(Problem::message).singleElement().asString().contains("unknown key 'Subject'");
    }

    @Test
    void aKeyGivenTwiceIsAProblem() {
        Draft d = reader.readForm("Headline: 一\nheadline: 二\n", null, mail);
        assertThat(d.problems()).containsExactly(new Problem("headline", "headline given twice (first on line 1)",
                new Position(2, 11)));
        assertThat(text(d, "/headline")).isEqualTo("一");
    }

    @Test
    void gbkBytesWithNeitherADeclarationNorAnOfficeAreRefusedNotGuessed() {
        String form = "Subject: 磨憨口岸查获冰毒\nSourceRef: HK-77\n";
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read(form.getBytes(Charset.forName("GBK")), payloadOffice("hk-77.txt")));
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.at().line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("UTF-8").doesNotContain("line");
    }

    @Test
    void aStoredFormIsDecodedByTheDeclaredCharsetAndTheSubjectBecomesTheHeadline() throws Exception {
        String form = "Subject: 磨憨口岸查获冰毒\nSourceRef: HK-77\nOffice: CN-HEKOU\nAreas: 磨憨口岸\n";
        Charset declared = TextDecoding.charsetFor("GB2312").orElseThrow();
        List<Draft> drafts = read(form.getBytes(Charset.forName("GBK")),
                new ReadContext("hk-77.txt", null, FlatTestSupport.OFFICES, declared, null));

        assertThat(drafts).hasSize(1);
        Draft d = drafts.get(0);
        assertThat(d.problems()).isEmpty();
        assertThat(text(d, "/headline")).isEqualTo("磨憨口岸查获冰毒");
        assertThat(d.where().find("/headline")).isEqualTo(new Position(1, 10));
        assertThat(text(d, "/areas/0/country")).isEqualTo("CN"); // from the office the form names
        assertThat(text(d, "/provenance/declaredCharset")).isEqualTo("GBK");
        assertThat(d.originalId()).isEqualTo("hk-77.txt");
    }

    @Test
    void aStoredFormFallsBackToTheOfficesCharset() throws Exception {
        String form = "Subject: แจ้งเตือนยาบ้า\nHeadline: ลักลอบขนยาบ้า\nDescription: พบยาบ้า\n  200,000 เม็ด\n";
        List<Draft> drafts = read(form.getBytes(Charset.forName("windows-874")),
                channelOffice("ck.txt", CHIANG_KHONG, null));
        Draft d = drafts.get(0);
        assertThat(text(d, "/headline")).isEqualTo("ลักลอบขนยาบ้า");
        assertThat(text(d, "/description")).isEqualTo("พบยาบ้า\n200,000 เม็ด");
        assertThat(d.fields().has("provenance")).isFalse();
    }

    @Test
    void undecodableBytesInAStoredFormAreUnreadable() {
        byte[] bytes = "Headline: ok\nSourceRef: \u00ff\n".getBytes(StandardCharsets.ISO_8859_1);
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read(bytes, channelOffice("x.txt", HEKOU, StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.at().line()).isEqualTo(2);
    }

    @Test
    void aSubjectKeyCopiedFromAMailHasItsEncodedWordsDecoded() throws Exception {
        String form = "Subject: =?UTF-8?B?VGjDtG5nIGLDoW8gbWEgdMO6eQ==?= =?UTF-8?Q?_t=E1=BA=A1i_L=C3=A0o_Cai?=\n"
                + "SourceRef: LC-88\n";
        List<Draft> drafts = read(form.getBytes(StandardCharsets.US_ASCII), channelOffice("lc-88.txt", LAO_CAI, null));
        assertThat(text(drafts.get(0), "/headline")).isEqualTo("Thông báo ma túy tại Lào Cai");
        // what only looks like an encoded-word stays as written
        List<Draft> plain = read("Subject: price =?x?= 5\nSourceRef: LC-89\n".getBytes(StandardCharsets.US_ASCII),
                channelOffice("lc-89.txt", LAO_CAI, null));
        assertThat(text(plain.get(0), "/headline")).isEqualTo("price =?x?= 5");
    }

    @Test
    void theDeclaredCharsetIsRecordedByTheLabelTheSenderWrote() throws Exception {
        String form = "SourceRef: CK-1\nHeadline: “ยาบ้า”\n";
        List<Draft> drafts = read(form.getBytes(Charset.forName("windows-874")),
                channelOffice("ck-1.txt", CHIANG_KHONG, TextDecoding.declaredCharset("TIS-620").orElseThrow()));
        assertThat(text(drafts.get(0), "/headline")).isEqualTo("“ยาบ้า”");
        assertThat(text(drafts.get(0), "/provenance/declaredCharset")).isEqualTo("TIS-620");
    }
}
