package org.blohub.normalize;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.MsgType;
import org.blohub.alert.Alert.Status;
import org.blohub.normalize.flat.EmailFormReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.TestOffices.LAOCAI;
import static org.blohub.TestOffices.OFFICES;

/**
 * Forms written by people: in canonical JSON, BLO XML, CSV rows and email forms an absent status is Actual and an
 * absent msgType Alert; a value given is checked as given; CAP keeps both required. Each format through its reader
 * and the normalizer, as every channel reads it ({@link AlertIntake}).
 */
class FormDefaultsTest {

    private final AlertIntake intake = new AlertIntake(Readers.all(), new Normalizer());
    private final ReadContext fromLaoCai = new ReadContext("in", LAOCAI, OFFICES, null, InputLimits.DEFAULT);
    private final Origin jms = new Origin(Alert.Channel.JMS, "ID:1", null, false);

    private List<Outcome> read(String input) throws UnreadableInputException {
        List<Outcome> out = new ArrayList<>();
        intake.read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), fromLaoCai, jms, out::add);
        return out;
    }

    private Outcome one(String input) throws UnreadableInputException {
        List<Outcome> out = read(input);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static Alert accepted(Outcome o) {
        assertThat(o).as("%s", o).isInstanceOf(Outcome.Accepted.class);
        return ((Outcome.Accepted) o).alert();
    }

    private static List<String> problems(Outcome o) {
        assertThat(o).as("%s", o).isInstanceOf(Outcome.Rejected.class);
        return ((Outcome.Rejected) o).problems().stream().map(Problem::text).toList();
    }

    private static final String JSON_FIELDS = """
            "sourceRef":"LC-F-1","sentAt":"2026-11-23T09:15:00","category":["DRUG_TRAFFICKING"],
             "urgency":"Immediate","severity":"Severe","certainty":"Observed","language":"vi",
             "headline":"Bắt giữ 12 kg methamphetamine","areas":[{"areaDesc":"Cửa khẩu Lào Cai","country":"VN"}],
             "tlp":"TLP:AMBER\"""";

    @Test
    void jsonWithoutStatusOrMsgTypeIsAnActualAlert() throws Exception {
        Alert a = accepted(one("{" + JSON_FIELDS + "}"));
        assertThat(a.status()).isEqualTo(Status.Actual);
        assertThat(a.msgType()).isEqualTo(MsgType.Alert);
        assertThat(a.provenance().originalFormat()).isEqualTo(Alert.OriginalFormat.JSON);

        Alert nulls = accepted(one("{" + JSON_FIELDS + ",\"status\":null,\"msgType\":null}"));
        assertThat(nulls.status()).as("a null member is an absent one").isEqualTo(Status.Actual);
        assertThat(nulls.msgType()).isEqualTo(MsgType.Alert);
    }

    @Test
    void jsonKeepsTheValuesItGives() throws Exception {
        Alert a = accepted(one("{" + JSON_FIELDS + ",\"status\":\"Exercise\"}"));
        assertThat(a.status()).isEqualTo(Status.Exercise);
        assertThat(a.msgType()).isEqualTo(MsgType.Alert);
    }

    @Test
    void jsonWithAnInvalidOrEmptyValueIsRefusedNamingTheField() throws Exception {
        assertThat(problems(one("{" + JSON_FIELDS + ",\"status\":\"Real\"}")))
                .singleElement().asString().startsWith("status: ");
        assertThat(problems(one("{" + JSON_FIELDS + ",\"msgType\":\"Warning\"}")))
                .singleElement().asString().startsWith("msgType: ");
        assertThat(problems(one("{" + JSON_FIELDS + ",\"status\":\"\"}")))
                .as("an empty string is a value given, not an absent one")
                .singleElement().asString().startsWith("status: ");
    }

    @Test
    void otherRequiredFieldsStayRequired() throws Exception {
        assertThat(problems(one("{" + JSON_FIELDS.replace("\"urgency\":\"Immediate\",", "") + "}")))
                .singleElement().asString().contains("urgency");
    }

    @Test
    void bloXmlWithoutStatusOrMsgTypeIsAnActualAlertAsItsJsonTwinIs() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:blo:alert:1">
                  <sourceRef>LC-F-2</sourceRef><sentAt>2026-11-23T10:00:00+07:00</sentAt>%s
                  <category>DRUG_TRAFFICKING</category><urgency>Immediate</urgency>
                  <severity>Extreme</severity><certainty>Observed</certainty><language>vi</language>
                  <areas><areaDesc>Cửa khẩu Lào Cai</areaDesc><country>VN</country></areas>
                  <tlp>TLP:GREEN</tlp>
                </alert>
                """;
        Alert a = accepted(one(xml.formatted("")));
        assertThat(a.status()).isEqualTo(Status.Actual);
        assertThat(a.msgType()).isEqualTo(MsgType.Alert);
        assertThat(a.provenance().originalFormat()).isEqualTo(Alert.OriginalFormat.BLO_XML);
        Alert empty = accepted(one(xml.formatted("<status> </status><msgType/>")));
        assertThat(empty.status()).as("an empty element is an absent one").isEqualTo(Status.Actual);
        assertThat(empty.msgType()).isEqualTo(MsgType.Alert);
        assertThat(problems(one(xml.formatted("<msgType>Alarm</msgType>"))))
                .singleElement().asString().startsWith("msgType: ");
    }

    static final String CSV_ROW_FIELDS = "sourceRef,sentAt,category,urgency,severity,certainty,language,areas,tlp\n";

    @Test
    void csvWithoutTheColumnsIsActualAlerts() throws Exception {
        List<Outcome> out = read(CSV_ROW_FIELDS
                + "LC-F-3,2026-11-23T07:00:00,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n"
                + "LC-F-4,2026-11-23T07:05:00,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n");
        assertThat(out).hasSize(2).allSatisfy(o -> {
            Alert a = accepted(o);
            assertThat(a.status()).isEqualTo(Status.Actual);
            assertThat(a.msgType()).isEqualTo(MsgType.Alert);
            assertThat(a.provenance().originalFormat()).isEqualTo(Alert.OriginalFormat.CSV);
        });
    }

    @Test
    void csvWithEmptyCellsIsActualAlertsAndAGivenValueIsCheckedOnItsRowOnly() throws Exception {
        List<Outcome> out = read("sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,areas,tlp\n"
                + "LC-F-5,2026-11-23T07:00:00,,,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n"
                + "LC-F-6,2026-11-23T07:00:00,  ,Update,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n"
                + "LC-F-7,2026-11-23T07:00:00,Test,,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n"
                + "LC-F-8,2026-11-23T07:00:00,Actuel,,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,Cửa khẩu Lào Cai,TLP:GREEN\n");
        assertThat(out).hasSize(4);
        Alert empty = accepted(out.get(0));
        assertThat(empty.status()).isEqualTo(Status.Actual);
        assertThat(empty.msgType()).isEqualTo(MsgType.Alert);
        // an Update still needs what it updates: the rules stand for a msgType given
        assertThat(problems(out.get(1))).singleElement().asString().startsWith("references: ");
        Alert test = accepted(out.get(2));
        assertThat(test.status()).isEqualTo(Status.Test);
        assertThat(test.msgType()).isEqualTo(MsgType.Alert);
        assertThat(problems(out.get(3))).singleElement().asString().startsWith("status: ");
    }

    static final String FORM = """
            sourceRef: LC-F-9
            sentAt: 2026-11-23T09:15:00
            category: TRAFFICKING_IN_PERSONS
            urgency: Immediate
            severity: Severe
            certainty: Observed
            language: vi
            areas: Cửa khẩu quốc tế Lào Cai
            tlp: TLP:AMBER
            """;

    @Test
    void anEmailFormWithoutTheKeysIsAnActualAlert() throws Exception {
        // a form read on its own (a saved body, convert) and the body of a mail
        Alert saved = accepted(one("Subject: Nghi vấn mua bán người\n" + FORM));
        assertThat(saved.status()).isEqualTo(Status.Actual);
        assertThat(saved.msgType()).isEqualTo(MsgType.Alert);
        assertThat(saved.provenance().originalFormat()).isEqualTo(Alert.OriginalFormat.EMAIL_FORM);

        Draft body = new EmailFormReader().readForm(FORM, "Nghi vấn mua bán người", fromLaoCai);
        Alert mailed = accepted(new Normalizer().normalize(body, fromLaoCai,
                new Origin(Alert.Channel.EMAIL, "<f@laocai>", null, false)));
        assertThat(mailed.status()).isEqualTo(Status.Actual);
        assertThat(mailed.msgType()).isEqualTo(MsgType.Alert);

        Alert emptyValues = accepted(one(FORM + "status:\nmsgType:  \n"));
        assertThat(emptyValues.status()).as("an empty value is an absent one").isEqualTo(Status.Actual);
        assertThat(emptyValues.msgType()).isEqualTo(MsgType.Alert);
    }

    @Test
    void anEmailFormWithAnInvalidValueIsRefusedNamingTheField() throws Exception {
        Outcome o = one(FORM + "status: Exercice\n");
        assertThat(problems(o)).singleElement().asString().startsWith("status: ");
        assertThat(((Outcome.Rejected) o).problems().get(0).at().line()).isEqualTo(10);
        assertThat(problems(one(FORM + "msgType: Alarm\n"))).singleElement().asString().startsWith("msgType: ");
    }

    static String cap(String status, String msgType) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
                  <identifier>LC-F-10</identifier><sender>VN-LAOCAI</sender><sent>2026-11-23T08:00:00+07:00</sent>
                  %s%s<scope>Restricted</scope><code>TLP:AMBER</code>
                  <info><language>vi</language><category>Security</category><event>Buôn lậu</event>
                    <urgency>Expected</urgency><severity>Severe</severity><certainty>Likely</certainty>
                    <area><areaDesc>Cửa khẩu Lào Cai</areaDesc></area></info>
                </alert>
                """.formatted(status, msgType);
    }

    @Test
    void capStaysAsStrictAsCap() throws Exception {
        String status = "<status>Actual</status>";
        String msgType = "<msgType>Alert</msgType>";
        assertThat(accepted(one(cap(status, msgType))).status()).isEqualTo(Status.Actual);
        assertThat(problems(one(cap("", msgType)))).containsExactly("status: CAP element <status> is missing");
        assertThat(problems(one(cap(status, "")))).containsExactly("msgType: CAP element <msgType> is missing");
        assertThat(problems(one(cap(status, "<msgType> </msgType>")))).containsExactly("msgType: CAP element <msgType> is empty");
        assertThat(problems(one(cap(status, "<msgType>Alarm</msgType>")))).singleElement().asString().startsWith("msgType: ");
    }
}
