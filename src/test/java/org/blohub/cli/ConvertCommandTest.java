package org.blohub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code convert} in-process, against the shipped config/offices.yaml. */
class ConvertCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run convert(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConvertCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String GOOD = "{\"sourceRef\":\"%s\",\"sentAt\":\"2026-11-23T09:15:00+07:00\",\"status\":\"Actual\","
            + "\"msgType\":\"Alert\",\"category\":[\"WILDLIFE_TRAFFICKING\"],\"urgency\":\"Expected\",\"severity\":\"Moderate\","
            + "\"certainty\":\"Observed\",\"language\":\"th\",\"headline\":\"ยึดงาช้าง 40 กิโลกรัม\","
            + "\"areas\":[{\"areaDesc\":\"ด่านแม่สาย\",\"country\":\"TH\"}],\"tlp\":\"TLP:GREEN\"}";

    Path write(String name, String text, Charset cs) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, text.getBytes(cs));
        return p;
    }

    @Test
    void validAlertPrintsJsonAndExitsZero() throws IOException {
        Path f = write("a.json", GOOD.formatted("MS-1"), StandardCharsets.UTF_8);
        Run r = convert(f.toString(), "--office", "TH-MAESAI");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode a = AlertJson.mapper().readTree(r.out());
        assertThat(a.get("office").asText()).isEqualTo("TH-MAESAI");
        assertThat(a.get("headline").asText()).isEqualTo("ยึดงาช้าง 40 กิโลกรัม");
        assertThat(a.at("/provenance/channel").asText()).isEqualTo("FILE");
    }

    @Test
    void officeFromThePayload() throws IOException {
        Path f = write("a.json", GOOD.formatted("MS-2").replaceFirst("\\{", "{\"office\":\"TH-MAESAI\","), StandardCharsets.UTF_8);
        assertThat(convert(f.toString()).exit()).isZero();
        Path none = write("b.json", GOOD.formatted("MS-3"), StandardCharsets.UTF_8);
        Run r = convert(none.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: office: no office");
    }

    @Test
    void severalAlertsPrintJsonLinesAndErrorsNameFileLineField() throws IOException {
        String bad = GOOD.formatted("MS-5").replace("\"Moderate\"", "\"Catastrophic\"");
        Path f = write("batch.json", GOOD.formatted("MS-4") + "\n" + bad + "\n" + GOOD.formatted("MS-6") + "\n",
                StandardCharsets.UTF_8);
        Run r = convert(f.toString(), "--office", "TH-MAESAI");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).matches(java.util.regex.Pattern.quote(f.toString())
                + ":2:\\d+: error: severity: does not have a value in the enumeration.*");
    }

    @Test
    void charsetOption() throws IOException {
        Path f = write("th.json", GOOD.formatted("MS-7"), Charset.forName("windows-874"));
        Run wrong = convert(f.toString(), "--office", "VN-LAOCAI");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("cannot be decoded as UTF-8");
        Run right = convert(f.toString(), "--office", "VN-LAOCAI", "--charset", "TIS-620");
        assertThat(right.exit()).isZero();
        assertThat(right.out()).contains("ยึดงาช้าง");
    }

    @Test
    void usageErrorsAndUnreadableFilesExitTwo() throws IOException {
        Path f = write("a.json", GOOD.formatted("MS-8"), StandardCharsets.UTF_8);
        assertThat(convert().exit()).isEqualTo(2);
        assertThat(convert(f.toString(), "--to", "pdf").err()).contains("--to must be one of");
        assertThat(convert(f.toString(), "--colour", "red").exit()).isEqualTo(2);
        assertThat(convert(f.toString(), "--charset", "klingon").exit()).isEqualTo(2);
        Run unknownOffice = convert(f.toString(), "--office", "XX-NOWHERE");
        assertThat(unknownOffice.exit()).isEqualTo(2);
        assertThat(unknownOffice.err()).contains("unknown office 'XX-NOWHERE'");
        assertThat(convert(dir.resolve("missing.json").toString()).exit()).isEqualTo(2);
        assertThat(convert(f.toString(), "--config", dir.toString()).err()).contains("offices.yaml");
    }

    @Test
    void notAnAlertFormatIsAnUnusableInputAndExitsTwo() throws IOException {
        Path f = write("notes.txt", "just some text\nwithout form\n", StandardCharsets.UTF_8);
        Run r = convert(f.toString(), "--office", "VN-LAOCAI");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown format");
    }

    static final String CSV_HEADER = "sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,"
            + "headline,areas,areaCountry,tlp\n";

    static String csvRow(String ref, String headline) {
        return ref + ",2026-11-23T09:15:00+07:00,Actual,Alert,WILDLIFE_TRAFFICKING,Expected,Moderate,Observed,th,"
                + headline + ",ด่านแม่สาย,TH,TLP:GREEN\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "xml", "cap"})
    void aBatchWithOneBadRowPrintsEveryOtherRowAndNamesTheBadOnesField(String to) throws IOException {
        Path f = write("batch.csv", CSV_HEADER + csvRow("R-1", "ยึดงาช้าง") + csvRow("R-2", "bad\u001b[31m red")
                + csvRow("R-3", "ยึดนอแรด"), StandardCharsets.UTF_8);

        Run r = convert(f.toString(), "--office", "TH-MAESAI", "--to", to);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("R-1", "ยึดงาช้าง", "R-3", "ยึดนอแรด").doesNotContain("R-2").doesNotContain("\u001b");
        assertThat(r.errLines()).containsExactly(f + ":3: error: headline: control character U+001B at character 4"
                + " (only TAB, LF and CR are allowed)");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aControlCharacterInAFieldNameIsEscapedInTheErrorLine() throws IOException {
        Path f = write("k.json", "{\"x\\u001by\":\"1\"," + GOOD.formatted("MS-20").substring(1), StandardCharsets.UTF_8);
        Run r = convert(f.toString(), "--office", "TH-MAESAI");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly(f + ":1:1: error: x\\u001by: field name: control character U+001B at"
                + " character 2 (only TAB, LF and CR are allowed)");
    }

    @Test
    void anUnexpectedFaultIsOneErrorLineAndNoStackTrace() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream failing = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void flush() {
                throw new IllegalStateException("stdout closed");
            }
        };
        Path f = write("a.json", GOOD.formatted("MS-21"), StandardCharsets.UTF_8);
        int exit = new ConvertCommand().run(new String[]{f.toString(), "--office", "TH-MAESAI"}, failing,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("convert: error: internal error (IllegalStateException: stdout closed)");
    }

    @Test
    void iso2022TextWithoutACharsetIsRefusedAndReadWithOne() throws IOException {
        Path f = write("jp.json", GOOD.formatted("MS-22").replace("ยึดงาช้าง 40 กิโลกรัม", "象牙を押収"),
                Charset.forName("ISO-2022-JP"));
        Run refused = convert(f.toString(), "--office", "VN-LAOCAI");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).contains("looks like ISO-2022-JP", "ESC $ B", "declare");
        Run read = convert(f.toString(), "--office", "VN-LAOCAI", "--charset", "ISO-2022-JP");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(read.out()).contains("象牙を押収");
    }

    @Test
    void theDeclaredLabelIsRecordedAsTheSenderWroteIt() throws IOException {
        Path f = write("th.xml", "<alert xmlns=\"urn:blo:alert:1\"><sourceRef>MS-23</sourceRef>"
                + "<sentAt>2026-11-23T09:15:00+07:00</sentAt><status>Actual</status><msgType>Alert</msgType>"
                + "<category>WILDLIFE_TRAFFICKING</category><urgency>Expected</urgency><severity>Moderate</severity>"
                + "<certainty>Observed</certainty><language>th</language><headline>“ยึดงาช้าง”</headline>"
                + "<areas><areaDesc>ด่านแม่สาย</areaDesc><country>TH</country></areas><tlp>TLP:GREEN</tlp></alert>",
                Charset.forName("windows-874"));
        Run r = convert(f.toString(), "--office", "VN-LAOCAI", "--charset", " TIS-620 ");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = AlertJson.mapper().readTree(r.out());
        assertThat(a.at("/provenance/declaredCharset").asText()).isEqualTo("TIS-620");
        assertThat(a.get("headline").asText()).isEqualTo("“ยึดงาช้าง”");
    }

    @Test
    void aCharsetErrorPutsTheLineInThePositionNotInTheField() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.write(f, "{\"sourceRef\":\"a\",\n\"headline\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1));
        Run r = convert(f.toString(), "--office", "VN-LAOCAI");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly(f + ":2:13: error: byte 0xFF cannot be decoded as UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "xml", "cap"})
    void aCsvWithoutStatusOrMsgTypeConvertsAsActualAlerts(String to) throws IOException {
        Path f = write("forms.csv", "sourceRef,sentAt,status,category,urgency,severity,certainty,language,areas,tlp\n"
                + "F-1,2026-11-23T09:15:00+07:00,,WILDLIFE_TRAFFICKING,Expected,Moderate,Observed,th,ด่านแม่สาย,TLP:GREEN\n",
                StandardCharsets.UTF_8);
        Run r = convert(f.toString(), "--office", "TH-MAESAI", "--to", to);
        assertThat(r.exit()).as(r.err()).isZero();
        if (to.equals("json")) {
            JsonNode a = AlertJson.mapper().readTree(r.out());
            assertThat(a.get("status").asText()).isEqualTo("Actual");
            assertThat(a.get("msgType").asText()).isEqualTo("Alert");
        } else {
            // BLO XML and CAP both write the elements by these names
            assertThat(r.out()).contains("<status>Actual</status>", "<msgType>Alert</msgType>");
        }
    }

    @Test
    void aFormWithAnInvalidStatusAndACapWithoutMsgTypeAreErrorsNamingTheField() throws IOException {
        Path form = write("form.txt", "sourceRef: F-2\nsentAt: 2026-11-23T09:15:00+07:00\nstatus: Exercice\n"
                + "category: WILDLIFE_TRAFFICKING\nurgency: Expected\nseverity: Moderate\ncertainty: Observed\n"
                + "language: th\nareas: ด่านแม่สาย\ntlp: TLP:GREEN\n", StandardCharsets.UTF_8);
        Run bad = convert(form.toString(), "--office", "TH-MAESAI");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.errLines()).singleElement().asString().startsWith(form + ":3:9: error: status: ");

        Path cap = write("no-msgtype.cap.xml", """
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>F-3</identifier><sender>TH-MAESAI</sender><sent>2026-11-23T08:00:00+07:00</sent>
                  <status>Actual</status><scope>Public</scope>
                  <info><language>th</language><category>Security</category><event>งาช้าง</event>
                    <urgency>Expected</urgency><severity>Moderate</severity><certainty>Observed</certainty></info>
                </alert>
                """, StandardCharsets.UTF_8);
        Run r = convert(cap.toString(), "--office", "TH-MAESAI", "--to", "cap");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(cap + ":1:1: error: msgType: CAP element <msgType> is missing");
    }
}
