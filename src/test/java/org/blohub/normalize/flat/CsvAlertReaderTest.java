package org.blohub.normalize.flat;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.Draft;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.blohub.normalize.flat.FlatTestSupport.CHIANG_KHONG;
import static org.blohub.normalize.flat.FlatTestSupport.HEKOU;
import static org.blohub.normalize.flat.FlatTestSupport.LAO_BAO;
import static org.blohub.normalize.flat.FlatTestSupport.LAO_CAI;
import static org.blohub.normalize.flat.FlatTestSupport.channelOffice;
import static org.blohub.normalize.flat.FlatTestSupport.payloadOffice;
import static org.blohub.normalize.flat.FlatTestSupport.text;

class CsvAlertReaderTest {

    private final CsvAlertReader reader = new CsvAlertReader();

    private List<Draft> read(byte[] bytes, ReadContext ctx) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(bytes), ctx, drafts::add);
        return drafts;
    }

    private List<Draft> read(String csv) throws UnreadableInputException {
        return read(csv.getBytes(StandardCharsets.UTF_8), payloadOffice("batch.csv"));
    }

    /** Encodes strictly, so a test cannot pass on bytes that silently became '?'. */
    private static byte[] encode(String text, Charset charset) throws CharacterCodingException {
        ByteBuffer b = charset.newEncoder().onUnmappableCharacter(CodingErrorAction.REPORT)
                .onMalformedInput(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void formatIsCsv() {
        assertThat(reader.format()).isEqualTo(OriginalFormat.CSV);
    }

    @Test
    void everyColumnMapsAndEachRowIsOneDraftWithItsLine() throws Exception {
        String csv = "SOURCEREF,office,sentAt,status,msgType,references,category,urgency,severity,certainty,language,"
                + "headline,description,areas,areaCountry,unLocode,lat,lon,countriesConcerned,subjects,tlp,"
                + "handlingCodes,gradingSource,gradingInformation,addressees\r\n"
                + "LC-1,VN-LAOCAI,2025-03-14T08:30:00+07:00,Actual,Update,CN-HEKOU:HK-9,DRUG_TRAFFICKING;OTHER,"
                + "Immediate,Severe,Likely,vi,Xe tải 24C,Mô tả,Cửa khẩu Lào Cai;Bản Vược,,VN LCA,22.50,103.96,CN,"
                + "VEHICLE:24C-123.45;PERSON:Nguyen Van A,TLP:RED,H2,B,2,CN-YNPSB;VN-C04\r\n"
                + "LC-2,VN-LAOCAI,2025-03-14T09:00:00,Test,Alert,,CYBERCRIME,Expected,Minor,Possible,vi,,,Lào Cai,CN,,,,,,"
                + "TLP:CLEAR,,,,\r\n";
        List<Draft> drafts = read(csv);

        assertThat(drafts).hasSize(2);
        Draft first = drafts.get(0);
        assertThat(first.problems()).isEmpty();
        assertThat(first.originalId()).isEqualTo("batch.csv#2");
        assertThat(first.format()).isEqualTo(OriginalFormat.CSV);
        assertThat(first.where().start()).isEqualTo(Position.line(2));
        assertThat(first.fields().toString()).isEqualTo("{\"sourceRef\":\"LC-1\",\"office\":\"VN-LAOCAI\","
                + "\"sentAt\":\"2025-03-14T08:30:00+07:00\",\"status\":\"Actual\",\"msgType\":\"Update\","
                + "\"references\":[{\"office\":\"CN-HEKOU\",\"sourceRef\":\"HK-9\"}],"
                + "\"category\":[\"DRUG_TRAFFICKING\",\"OTHER\"],\"urgency\":\"Immediate\",\"severity\":\"Severe\","
                + "\"certainty\":\"Likely\",\"language\":\"vi\",\"headline\":\"Xe tải 24C\",\"description\":\"Mô tả\","
                + "\"areas\":[{\"areaDesc\":\"Cửa khẩu Lào Cai\",\"country\":\"VN\",\"unLocode\":\"VN LCA\","
                + "\"lat\":22.50,\"lon\":103.96},{\"areaDesc\":\"Bản Vược\",\"country\":\"VN\"}],"
                + "\"countriesConcerned\":[\"CN\"],\"subjects\":[{\"type\":\"VEHICLE\",\"name\":\"24C-123.45\"},"
                + "{\"type\":\"PERSON\",\"name\":\"Nguyen Van A\"}],\"tlp\":\"TLP:RED\",\"handlingCodes\":[\"H2\"],"
                + "\"grading\":{\"source\":\"B\",\"information\":2},\"addressees\":[\"CN-YNPSB\",\"VN-C04\"]}");
        assertThat(first.where().find("/areas/1/areaDesc")).isEqualTo(Position.line(2));

        Draft second = drafts.get(1);
        assertThat(second.originalId()).isEqualTo("batch.csv#3");
        assertThat(second.fields().has("headline")).isFalse(); // empty cell = absent
        assertThat(text(second, "/sentAt")).isEqualTo("2025-03-14T09:00:00"); // as written; the normalizer adds the zone
        assertThat(text(second, "/areas/0/country")).isEqualTo("CN");
        assertThat(second.fields().has("provenance")).isFalse();
    }

    @Test
    void quotedCellsHoldCommasQuotesAndNewlinesAndLaterLinesStayRight() throws Exception {
        String csv = """
                sourceRef,office,headline,description,areas
                TH-1,TH-CHIANGKHONG,"ยาบ้า, 200,000 เม็ด","พบรถกระบะ ""ทะเบียน 1กข 234""
                บรรทุกยาบ้า
                ข้ามแม่น้ำโขง",เชียงของ
                TH-2,TH-CHIANGKHONG,"นาย ""สมชาย"" ใจดี",,"ท่าเรือบั๊ค, เชียงของ"
                """;
        List<Draft> drafts = read(csv);

        assertThat(drafts).extracting(Draft::originalId).containsExactly("batch.csv#2", "batch.csv#5");
        assertThat(text(drafts.get(0), "/headline")).isEqualTo("ยาบ้า, 200,000 เม็ด");
        assertThat(text(drafts.get(0), "/description"))
                .isEqualTo("พบรถกระบะ \"ทะเบียน 1กข 234\"\nบรรทุกยาบ้า\nข้ามแม่น้ำโขง");
        assertThat(text(drafts.get(0), "/areas/0/country")).isEqualTo("TH");
        assertThat(text(drafts.get(1), "/headline")).isEqualTo("นาย \"สมชาย\" ใจดี");
        assertThat(text(drafts.get(1), "/areas/0/areaDesc")).isEqualTo("ท่าเรือบั๊ค, เชียงของ");
        assertThat(drafts.get(1).where().find("/headline")).isEqualTo(Position.line(5));
    }

    @Test
    void blankLinesAreSkippedButCountedAndCrlfIsOneLineBreak() throws Exception {
        String csv = "sourceRef,headline\r\n\r\nR-3,\"a\r\nb\"\r\n\r\n\r\nR-7,ok\r\n\r\n";
        List<Draft> drafts = read(csv);
        assertThat(drafts).extracting(Draft::originalId).containsExactly("batch.csv#3", "batch.csv#7");
        assertThat(text(drafts.get(0), "/headline")).isEqualTo("a\r\nb");
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsAProblemOnThatRowAndReadingGoesOn() throws Exception {
        String csv = """
                sourceRef,office,headline
                R-1,VN-LAOCAI,Đủ ô
                R-2,VN-LAOCAI
                R-3,VN-LAOCAI,Thừa,một ô
                R-4,VN-LAOCAI,Tiếp tục
                """;
        List<Draft> drafts = read(csv);

        assertThat(drafts).hasSize(4);
        assertThat(drafts.get(0).problems()).isEmpty();
        assertThat(drafts.get(1).problems()).containsExactly(
                new Problem("", "row has 2 cells but the header has 3 columns", Position.line(3)));
        assertThat(text(drafts.get(1), "/sourceRef")).isEqualTo("R-2"); // still says which alert it was
        assertThat(drafts.get(2).problems()).extracting(Problem::message)
                .containsExactly("row has 4 cells but the header has 3 columns");
        assertThat(drafts.get(2).problems().get(0).at()).isEqualTo(Position.line(4));
        assertThat(drafts.get(3).problems()).isEmpty();
        assertThat(text(drafts.get(3), "/headline")).isEqualTo("Tiếp tục");
    }

    @Test
    void anUnknownColumnMakesTheFileUnreadableNamingIt() {
        String csv = "sourceRef,office,remarks,headline\nR-1,VN-LAOCAI,x,y\n";
        List<Draft> drafts = new ArrayList<>();
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                        payloadOffice("batch.csv"), drafts::add));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.at()).isEqualTo(Position.line(1));
        assertThat(e.getMessage()).contains("unknown column 'remarks'", "known: sourceRef, office", "addressees");
        assertThat(drafts).isEmpty();
    }

    @Test
    void aDuplicateColumnInAnyCaseIsUnreadable() {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read("sourceRef,headline,HEADLINE\nR-1,a,b\n"));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.at()).isEqualTo(Position.line(1));
        assertThat(e.getMessage()).contains("'HEADLINE' appears twice", "columns 2 and 3");

        UnreadableInputException unnamed = catchThrowableOfType(UnreadableInputException.class,
                () -> read("sourceRef,,headline\nR-1,a,b\n"));
        assertThat(unnamed.getMessage()).contains("column 2 has no name");
    }

    @Test
    void anEmptyFileHasNoHeader() {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class, () -> read(""));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("no header");
    }

    @Test
    void aUtf8ByteOrderMarkWinsOverTheOfficesCharsetAndIsNotPartOfTheFirstColumn() throws Exception {
        String csv = "sourceRef,office,headline,areas,subjects\n"
                + "LA-1,LA-HOUAYXAY,ລັກລອບຂົນສົ່ງສັດປ່າ,ບໍ່ແກ້ວ,PERSON:ທ້າວ ສົມພອນ\n"
                + "KH-1,LA-HOUAYXAY,ការជួញដូរមនុស្ស,ប៉ោយប៉ែត,PERSON:លោក សុខ ចាន់\n"
                + "MM-1,LA-HOUAYXAY,မူးယစ်ဆေးဝါး,တာချီလိတ်,PERSON:ဦးအောင်မြင့်\n";
        byte[] bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, csv.getBytes(StandardCharsets.UTF_8));
        // the channel names a windows-874 office: the mark still says UTF-8
        List<Draft> drafts = read(bytes, channelOffice("bom.csv", CHIANG_KHONG, null));

        assertThat(drafts).extracting(d -> text(d, "/sourceRef")).containsExactly("LA-1", "KH-1", "MM-1");
        assertThat(drafts).extracting(d -> text(d, "/subjects/0/name"))
                .containsExactly("ທ້າວ ສົມພອນ", "លោក សុខ ចាន់", "ဦးအောင်မြင့်");
        assertThat(text(drafts.get(1), "/areas/0/areaDesc")).isEqualTo("ប៉ោយប៉ែត");
        assertThat(text(drafts.get(2), "/headline")).isEqualTo("မူးယစ်ဆေးဝါး");
        assertThat(drafts.get(0).fields().has("provenance")).isFalse(); // a mark is no transport declaration
    }

    @Test
    void thaiInWindows874AsTheOfficesDefault() throws Exception {
        String csv = "sourceRef,headline,subjects,areas\n"
                + "CK-1,ลักลอบขนยาบ้าข้ามแม่น้ำโขง,PERSON:นายสมชาย ใจดี;VESSEL:เรือหางยาว,ท่าเรือบั๊ค\n";
        byte[] bytes = encode(csv, Charset.forName("windows-874"));
        List<Draft> drafts = read(bytes, channelOffice("ck.csv", CHIANG_KHONG, null));

        assertThat(text(drafts.get(0), "/headline")).isEqualTo("ลักลอบขนยาบ้าข้ามแม่น้ำโขง");
        assertThat(text(drafts.get(0), "/subjects/0/name")).isEqualTo("นายสมชาย ใจดี");
        assertThat(text(drafts.get(0), "/subjects/1/name")).isEqualTo("เรือหางยาว");
        assertThat(text(drafts.get(0), "/areas/0/country")).isEqualTo("TH");
        assertThat(drafts.get(0).fields().has("provenance")).isFalse(); // the office's default is not a declaration
    }

    @Test
    void thaiUnderTheDeclaredLabelTis620IsReadAsWindows874AndTheDeclarationIsKept() throws Exception {
        // € and the smart quotes exist in windows-874 only, not in TIS-620 proper
        String csv = "sourceRef,headline\nCK-2,“ยาไอซ์” มูลค่า 5 ล้าน €\n";
        Charset declared = TextDecoding.charsetFor("TIS-620").orElseThrow();
        List<Draft> drafts = read(encode(csv, Charset.forName("windows-874")), channelOffice("ck.csv", LAO_CAI, declared));

        assertThat(text(drafts.get(0), "/headline")).isEqualTo("“ยาไอซ์” มูลค่า 5 ล้าน €");
        assertThat(text(drafts.get(0), "/provenance/declaredCharset")).isEqualTo(declared.name());
    }

    @Test
    void vietnameseInWindows1258WithCombiningToneMarks() throws Exception {
        // windows-1258 writes most tone marks as combining characters; the normalizer composes them (NFC)
        String decomposed = Normalizer.normalize("Nguyễn Văn Hùng, Lao Bảo, Quảng Trị", Normalizer.Form.NFD)
                .replace("e\u0302", "\u00ea").replace("a\u0306", "\u0103").replace("o\u031B", "\u01a1")
                .replace("u\u031B", "\u01b0");
        String name = decomposed.substring(0, decomposed.indexOf(','));
        String csv = "sourceRef,headline,subjects\nLB-1,\"" + decomposed + "\",PERSON:" + name + "\n";
        byte[] bytes = encode(csv, Charset.forName("windows-1258"));
        List<Draft> drafts = read(bytes, channelOffice("lb.csv", LAO_BAO, Charset.forName("windows-1258")));

        assertThat(drafts.get(0).problems()).isEmpty();
        String headline = text(drafts.get(0), "/headline");
        assertThat(headline).isEqualTo(decomposed);
        assertThat(Normalizer.normalize(headline, Normalizer.Form.NFC)).isEqualTo("Nguyễn Văn Hùng, Lao Bảo, Quảng Trị");
        assertThat(Normalizer.normalize(text(drafts.get(0), "/subjects/0/name"), Normalizer.Form.NFC))
                .isEqualTo("Nguyễn Văn Hùng");
        assertThat(text(drafts.get(0), "/provenance/declaredCharset")).isEqualTo("windows-1258");
    }

    @Test
    void chineseInGbkAsTheOfficesDefault() throws Exception {
        String csv = "sourceRef,headline,areas,areaCountry,subjects\n"
                + "HK-1,河口口岸查获冰毒 12 公斤,河口口岸;磨憨口岸,CN,PERSON:王小明;VEHICLE:云G·12345\n";
        List<Draft> drafts = read(encode(csv, Charset.forName("GBK")), channelOffice("hk.csv", HEKOU, null));

        assertThat(text(drafts.get(0), "/headline")).isEqualTo("河口口岸查获冰毒 12 公斤");
        assertThat(text(drafts.get(0), "/areas/1/areaDesc")).isEqualTo("磨憨口岸");
        assertThat(text(drafts.get(0), "/subjects/1/name")).isEqualTo("云G·12345");
    }

    @Test
    void anUndecodableByteHandsOverTheRowsBeforeItThenNamesItsLine() throws Exception {
        byte[] bytes = concat("sourceRef,headline\nR-2,Lào Cai\nR-3,Hà Khẩu\nR-4,ຫ້ວຍຊາຍ\nR-5,bad "
                .getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF}, "byte\nR-6,never\n".getBytes(StandardCharsets.UTF_8));
        List<Draft> drafts = new ArrayList<>();
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(bytes), payloadOffice("bad.csv"), drafts::add));

        assertThat(drafts).extracting(Draft::originalId).containsExactly("bad.csv#2", "bad.csv#3", "bad.csv#4");
        assertThat(e.reason()).isEqualTo(Reason.CHARSET);
        assertThat(e.at().line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("0xFF", "UTF-8").doesNotContain("line");
    }

    @Test
    void anUnclosedQuoteAtTheEndIsMalformedNamingTheRowsLine() throws Exception {
        String csv = "sourceRef,headline\nR-2,ok\nR-3,\"never closed\nR-4,swallowed\n";
        List<Draft> drafts = new ArrayList<>();
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                        payloadOffice("q.csv"), drafts::add));
        assertThat(drafts).extracting(Draft::originalId).containsExactly("q.csv#2");
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.at()).isEqualTo(Position.line(3));
        assertThat(e.getMessage()).isEqualTo("a quoted cell opened in this row is never closed");
    }

    @Test
    void textAfterAClosingQuoteIsMalformed() {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> read("sourceRef,headline\nR-2,ok\nR-3,\"ບໍ່ແກ້ວ\" x,\n"));
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.at()).isEqualTo(Position.line(3));
        assertThat(e.getMessage()).startsWith("malformed quoting");
    }

    @Test
    void anUnclosedQuoteSwallowingALargeFileStopsAtTheRowLimitWithoutReadingTheRest() throws Exception {
        // 2 MB of rows after an open quote, with a row limit of 1,000 characters
        GeneratedCsv in = new GeneratedCsv("sourceRef,headline\nR-2,ok\nR-3,\"open quote\n", 50_000);
        ReadContext ctx = new ReadContext("q.csv", null, FlatTestSupport.OFFICES, null,
                new InputLimits(10_000_000, 32, 200_000, 1_000));
        List<Draft> drafts = new ArrayList<>();
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(in, ctx, drafts::add));

        assertThat(drafts).extracting(Draft::originalId).containsExactly("q.csv#2");
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.at()).isEqualTo(Position.line(3));
        assertThat(e.getMessage()).contains("1000 characters");
        assertThat(in.produced).as("bytes read before giving up").isLessThan(200_000).isLessThan(in.total() / 10);
    }

    @Test
    void aWellFormedRowLongerThanTheLimitIsTooLarge() {
        String csv = "sourceRef,description\nR-2,short\nR-3," + "ก".repeat(1_500) + "\n";
        ReadContext ctx = new ReadContext("long.csv", null, FlatTestSupport.OFFICES, null,
                new InputLimits(10_000_000, 32, 200_000, 1_000));
        List<Draft> drafts = new ArrayList<>();
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), ctx, drafts::add));
        assertThat(drafts).hasSize(1);
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.at()).isEqualTo(Position.line(3));
    }

    @Test
    void rowsAreHandedOverAsTheyAreReadNotAfterTheWholeFile() throws Exception {
        int rows = 200_000;
        GeneratedCsv in = new GeneratedCsv("sourceRef,office,sentAt,status,msgType,category,urgency,severity,"
                + "certainty,language,headline,areas,subjects,tlp\n", rows);
        long[] count = {0};
        long[] producedAtFirst = {-1};
        String[] last = {null};
        reader.read(in, payloadOffice("big.csv"), d -> {
            if (count[0]++ == 0) {
                producedAtFirst[0] = in.produced;
            }
            last[0] = d.originalId();
        });

        assertThat(count[0]).isEqualTo(rows);
        assertThat(last[0]).isEqualTo("big.csv#" + (rows + 1));
        // the first row came out when only the first buffers of a ~30 MB input had been read
        assertThat(in.total()).isGreaterThan(20_000_000);
        assertThat(producedAtFirst[0]).isPositive().isLessThan(256 * 1024);
    }

    /**
     * A CSV input made row by row as it is read, never held whole: a fixed head, then
     * {@code rows} generated rows (Thai, Lao and Vietnamese text) of about 150 bytes each.
     */
    private static final class GeneratedCsv extends InputStream {

        private final byte[] head;
        private final int rows;
        private int row = 0;
        private byte[] current;
        private int pos;
        long produced;

        GeneratedCsv(String head, int rows) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.rows = rows;
            this.current = this.head;
        }

        long total() {
            return head.length + (long) rows * row(0).length; // rows differ by a few digits only
        }

        private static byte[] row(int i) {
            return ("TH-" + i + ",TH-CHIANGKHONG,2025-03-14T08:30:00+07:00,Actual,Alert,DRUG_TRAFFICKING,Immediate,"
                    + "Severe,Likely,th,ยาบ้า ข้ามโขง,ບໍ່ແກ້ວ;Lào Cai,PERSON:นายสมชาย ใจดี,TLP:AMBER\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        private boolean ensure() {
            while (pos == current.length) {
                if (row == rows) {
                    return false;
                }
                current = row(++row);
                pos = 0;
            }
            return true;
        }

        @Override
        public int read() {
            if (!ensure()) {
                return -1;
            }
            produced++;
            return current[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!ensure()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            produced += n;
            return n;
        }
    }
}
