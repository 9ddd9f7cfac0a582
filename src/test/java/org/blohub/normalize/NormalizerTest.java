package org.blohub.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Tlp;
import org.blohub.office.Office;
import org.junit.jupiter.api.Test;

import static org.blohub.TestOffices.LAOCAI;
import static org.blohub.TestOffices.OFFICES;
import static org.blohub.TestOffices.YANGON;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizerTest {


    final Normalizer normalizer = new Normalizer(Clock.fixed(Instant.parse("2026-11-23T03:00:00.123456Z"), ZoneOffset.UTC));

    static ObjectNode minimal() {
        ObjectNode f = AlertJson.mapper().createObjectNode();
        f.put("sourceRef", "TL-2026-77");
        f.put("sentAt", "2026-11-23T09:15:00");
        f.put("status", "Actual");
        f.put("msgType", "Alert");
        f.putArray("category").add("TRAFFICKING_IN_PERSONS");
        f.put("urgency", "Immediate");
        f.put("severity", "Severe");
        f.put("certainty", "Likely");
        f.put("language", "my");
        f.put("headline", "လူကုန်ကူးမှု သံသယ");
        f.putArray("areas").addObject().put("areaDesc", "Tachileik bridge").put("country", "MM");
        f.put("tlp", "TLP:AMBER");
        return f;
    }

    Outcome run(ObjectNode fields, Office office) {
        SourceMap where = new SourceMap(Position.line(1));
        where.put("/sentAt", new Position(3, 5));
        where.put("/areas/0/country", new Position(9, 7));
        Draft d = new Draft(fields, where, Alert.OriginalFormat.JSON, null);
        return normalizer.normalize(d, new ReadContext("in.json", office, OFFICES, null, null),
                new Origin(Alert.Channel.JMS, "ID:42", null, false));
    }

    static Alert accepted(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) o).alert();
    }

    static List<String> problems(Outcome o) {
        assertThat(o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).problems().stream().map(p -> p.at().line() + " " + p.text()).toList();
    }

    @Test
    void dateWithoutOffsetTakesTheOfficeTimeZone() {
        Alert a = accepted(run(minimal(), YANGON));
        assertThat(a.sentAt().getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(6, 30));
        assertThat(AlertJson.toTree(a).get("sentAt").asText()).isEqualTo("2026-11-23T09:15:00+06:30");
    }

    @Test
    void dateWithOffsetKeepsIt() {
        ObjectNode f = minimal().put("sentAt", "2026-11-23T09:15:00+0700");
        assertThat(AlertJson.toTree(accepted(run(f, YANGON))).get("sentAt").asText()).isEqualTo("2026-11-23T09:15:00+07:00");
    }

    @Test
    void hubFieldsAreAssigned() {
        Alert a = accepted(run(minimal(), YANGON));
        assertThat(a.schemaVersion()).isEqualTo("1.0");
        assertThat(a.office()).isEqualTo("MM-TACHILEIK");
        assertThat(a.receivedAt()).isEqualTo("2026-11-23T03:00:00.123Z");
        assertThat(a.provenance().channel()).isEqualTo(Alert.Channel.JMS);
        assertThat(a.provenance().originalFormat()).isEqualTo(Alert.OriginalFormat.JSON);
        assertThat(a.provenance().originalId()).isEqualTo("ID:42");
        // the same (office, sourceRef) always gets the same id: redelivery and DUPLICATE rely on it
        assertThat(a.alertId()).isEqualTo(Normalizer.alertId("MM-TACHILEIK", "TL-2026-77"))
                .isNotEqualTo(Normalizer.alertId("VN-LAOCAI", "TL-2026-77"));
    }

    @Test
    void payloadCannotSetHubFieldsInTheHub() {
        ObjectNode f = minimal();
        f.put("alertId", "forged");
        f.putObject("provenance").put("channel", "API").put("originalFormat", "CSV");
        Alert a = accepted(run(f, YANGON));
        assertThat(a.alertId()).isNotEqualTo("forged");
        assertThat(a.provenance().channel()).isEqualTo(Alert.Channel.JMS);
    }

    @Test
    void textIsNfcAndTrimmedTlpWhiteIsClear() {
        String decomposed = "Cu\u031B\u0309a kha\u0302\u0309u La\u0300o Cai"; // windows-1258 style
        ObjectNode f = minimal().put("tlp", "TLP:WHITE").put("headline", "  " + decomposed + " ");
        Alert a = accepted(run(f, YANGON));
        assertThat(a.headline()).isEqualTo("Cửa khẩu Lào Cai");
        assertThat(a.tlp()).isEqualTo(Tlp.CLEAR);
    }

    @Test
    void officeFromTheChannelWinsAndAPayloadMayNotContradictIt() {
        ObjectNode f = minimal().put("office", "VN-LAOCAI");
        assertThat(problems(run(f, YANGON))).anyMatch(p -> p.contains("office: the alert names office 'VN-LAOCAI' but comes from MM-TACHILEIK"));
        assertThat(accepted(run(minimal().put("office", "VN-LAOCAI"), null)).office()).isEqualTo("VN-LAOCAI");
        assertThat(problems(run(minimal().put("office", "XX-NOWHERE"), null))).anyMatch(p -> p.contains("unknown office 'XX-NOWHERE'"));
        assertThat(problems(run(minimal(), null))).anyMatch(p -> p.contains("office: no office"));
    }

    @Test
    void rulesTheSchemaCannotState() {
        ObjectNode f = minimal().put("tlp", "TLP:RED").put("msgType", "Cancel");
        ((ObjectNode) f.get("areas").get(0)).put("country", "XK");
        List<String> p = problems(run(f, YANGON));
        assertThat(p).anyMatch(s -> s.contains("addressees: TLP:RED needs addressees"));
        assertThat(p).anyMatch(s -> s.contains("references: an Cancel must name"));
        assertThat(p).anyMatch(s -> s.startsWith("9 areas[0].country: 'XK' is not an ISO 3166-1"));
    }

    @Test
    void schemaProblemsNameFieldAndLine() {
        ObjectNode f = minimal().put("sentAt", "tomorrow").put("severity", "Huge");
        f.remove("areas");
        List<String> p = problems(run(f, YANGON));
        assertThat(p).anyMatch(s -> s.startsWith("3 sentAt: 'tomorrow' is not an ISO-8601 date-time"));
        assertThat(p).anyMatch(s -> s.contains("severity: does not have a value in the enumeration"));
        assertThat(p).anyMatch(s -> s.contains("areas: is required"));
    }

    @Test
    void readerProblemsAreKeptAndNotRepeatedByTheSchema() {
        SourceMap where = new SourceMap(Position.line(4));
        ObjectNode f = minimal();
        f.remove("urgency");
        Draft d = new Draft(f, where, Alert.OriginalFormat.CAP, "x.cap");
        d.problem("urgency", "CAP element <urgency> is empty", new Position(12, 3));
        Outcome.Rejected r = (Outcome.Rejected) normalizer.normalize(d, new ReadContext("x.cap", YANGON, OFFICES, null, null),
                new Origin(Alert.Channel.FILE, "x.cap", null, true));
        assertThat(r.problems()).extracting(Problem::text).containsExactly("urgency: CAP element <urgency> is empty");
        assertThat(r.sourceRef()).isEqualTo("TL-2026-77");
        assertThat(r.office()).isEqualTo("MM-TACHILEIK");
    }

    @Test
    void aControlCharacterInTheHeadlineIsRefusedNamingFieldAndCharacter() {
        ObjectNode f = minimal().put("headline", "Seizure at\u001b[31m the bridge");
        SourceMap where = new SourceMap(Position.line(1));
        where.put("/headline", new Position(4, 15));
        Outcome o = normalizer.normalize(new Draft(f, where, Alert.OriginalFormat.JSON, null),
                new ReadContext("in.json", YANGON, OFFICES, null, null), new Origin(Alert.Channel.JMS, "ID:42", null, false));

        Problem p = ((Outcome.Rejected) o).problems().get(0);
        assertThat(((Outcome.Rejected) o).problems()).hasSize(1);
        assertThat(p.field()).isEqualTo("headline");
        assertThat(p.message()).isEqualTo("control character U+001B at character 11 (only TAB, LF and CR are allowed)");
        assertThat(p.at()).isEqualTo(new Position(4, 15));
    }

    @Test
    void everyStringAtAnyDepthIsChecked() {
        ObjectNode f = minimal();
        ((ObjectNode) f.get("areas").get(0)).put("areaDesc", "Tachileik\u0007 bridge");
        f.putArray("translations").addObject().put("language", "en").put("headline", "x\u0085y");
        f.putArray("subjects").addObject().put("type", "PERSON").put("name", "\u007fAung");
        f.put("sourceRef", "TL\u0000-1");
        f.putObject("provenance").put("declaredCharset", "UTF\u009b8");

        assertThat(problems(run(f, YANGON))).containsExactlyInAnyOrder(
                "1 areas[0].areaDesc: control character U+0007 at character 10 (only TAB, LF and CR are allowed)",
                "1 translations[0].headline: control character U+0085 at character 2 (only TAB, LF and CR are allowed)",
                "1 subjects[0].name: control character U+007F at character 1 (only TAB, LF and CR are allowed)",
                "1 sourceRef: control character U+0000 at character 3 (only TAB, LF and CR are allowed)",
                "1 provenance.declaredCharset: control character U+009B at character 4 (only TAB, LF and CR are allowed)");
    }

    @Test
    void tabLineFeedAndCarriageReturnAreText() {
        ObjectNode f = minimal().put("description", "line one\r\n\tline two\n");
        assertThat(accepted(run(f, YANGON)).description()).isEqualTo("line one\r\n\tline two\n");
    }

    @Test
    void textNoXmlCanCarryIsRefusedSoEveryRenderingOfAValidAlertCanBeWritten() {
        assertThat(problems(run(minimal().put("headline", "ab\ud800c"), YANGON))).containsExactly(
                "1 headline: unpaired surrogate U+D800 at character 3 (not a character: text must be valid Unicode)");
        assertThat(problems(run(minimal().put("headline", "\uffff"), YANGON))).containsExactly(
                "1 headline: noncharacter U+FFFF at character 1 (not allowed in alert text)");
        // a pair is one character outside the BMP, and fine
        assertThat(accepted(run(minimal().put("headline", "\ud83d\udc18 ivory"), YANGON)).headline()).isEqualTo("\ud83d\udc18 ivory");
    }

    @Test
    void anOriginalIdFromOutsideWithAControlCharacterIsEscaped() {
        Draft d = new Draft(minimal(), new SourceMap(Position.line(1)), Alert.OriginalFormat.CSV, null);
        Alert a = accepted(normalizer.normalize(d, new ReadContext("x", YANGON, OFFICES, null, null),
                new Origin(Alert.Channel.SFTP, "bad\u001bname\r.csv", null, false)));
        assertThat(a.provenance().originalId()).isEqualTo("bad\\u001bname\\u000d.csv");
    }
}
