package org.blohub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
}
