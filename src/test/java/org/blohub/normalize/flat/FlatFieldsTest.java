package org.blohub.normalize.flat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.flat.FlatFields.Key;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.normalize.flat.FlatTestSupport.HOUAYXAY;
import static org.blohub.normalize.flat.FlatTestSupport.LAO_CAI;
import static org.blohub.normalize.flat.FlatTestSupport.channelOffice;
import static org.blohub.normalize.flat.FlatTestSupport.payloadOffice;

class FlatFieldsTest {

    private static FlatFields.Form form(Object... keyValues) {
        FlatFields.Form f = new FlatFields.Form();
        for (int i = 0; i < keyValues.length; i += 2) {
            f.set((Key) keyValues[i], (String) keyValues[i + 1], new Position(i / 2 + 1, 1));
        }
        return f;
    }

    private static Draft draft(FlatFields.Form f) {
        return f.toDraft(payloadOffice("form.txt"), OriginalFormat.EMAIL_FORM, "form.txt", Position.line(1), null);
    }

    @Test
    void keysMatchCanonicalNamesInAnyCase() {
        assertThat(FlatFields.key("sourceRef")).contains(Key.SOURCE_REF);
        assertThat(FlatFields.key(" SOURCEREF ")).contains(Key.SOURCE_REF);
        assertThat(FlatFields.key("gradinginformation")).contains(Key.GRADING_INFORMATION);
        assertThat(FlatFields.key("areacountry")).contains(Key.AREA_COUNTRY);
        assertThat(FlatFields.key("alertId")).isEmpty();
        assertThat(FlatFields.key("source_ref")).isEmpty();
        assertThat(FlatFields.knownKeys()).startsWith("sourceRef, office, sentAt").contains("gradingInformation", "addressees");
    }

    @Test
    void everyKeyMapsToTheCanonicalTree() throws Exception {
        Draft d = draft(form(
                Key.SOURCE_REF, "LC-2025-0042",
                Key.OFFICE, "VN-LAOCAI",
                Key.SENT_AT, "2025-03-14T08:30:00+07:00",
                Key.STATUS, "Actual",
                Key.MSG_TYPE, "Update",
                Key.REFERENCES, "CN-HEKOU:HK-2025-17; VN-LAOCAI:LC:2025:0041 ;",
                Key.CATEGORY, "DRUG_TRAFFICKING; PRECURSOR_CHEMICALS",
                Key.URGENCY, "Immediate",
                Key.SEVERITY, "Severe",
                Key.CERTAINTY, "Likely",
                Key.LANGUAGE, "vi",
                Key.HEADLINE, "Xe tải chở ma túy qua cửa khẩu Lào Cai",
                Key.DESCRIPTION, "Tài xế Nguyễn Văn A, 河口 hướng đi.\nDòng thứ hai.",
                Key.AREAS, "Cửa khẩu quốc tế Lào Cai;;  Kim Thành ",
                Key.AREA_COUNTRY, "VN",
                Key.UN_LOCODE, "VN LCA",
                Key.LAT, "22.5031",
                Key.LON, "103.9600",
                Key.COUNTRIES_CONCERNED, "CN;LA",
                Key.SUBJECTS, "VEHICLE:24C-123.45;PERSON:Nguyen Van A; PERSON : 王小明 ;DOCUMENT:",
                Key.TLP, "TLP:AMBER",
                Key.HANDLING_CODES, "H1;H2",
                Key.GRADING_SOURCE, "B",
                Key.GRADING_INFORMATION, "2",
                Key.ADDRESSEES, "CN-YNPSB; LA-LCDC"));

        assertThat(d.problems()).isEmpty();
        JsonNode expected = AlertJson.mapper().readTree("""
                {"sourceRef":"LC-2025-0042","office":"VN-LAOCAI","sentAt":"2025-03-14T08:30:00+07:00",
                 "status":"Actual","msgType":"Update",
                 "references":[{"office":"CN-HEKOU","sourceRef":"HK-2025-17"},{"office":"VN-LAOCAI","sourceRef":"LC:2025:0041"}],
                 "category":["DRUG_TRAFFICKING","PRECURSOR_CHEMICALS"],
                 "urgency":"Immediate","severity":"Severe","certainty":"Likely","language":"vi",
                 "headline":"Xe tải chở ma túy qua cửa khẩu Lào Cai",
                 "description":"Tài xế Nguyễn Văn A, 河口 hướng đi.\\nDòng thứ hai.",
                 "areas":[{"areaDesc":"Cửa khẩu quốc tế Lào Cai","country":"VN","unLocode":"VN LCA","lat":22.5031,"lon":103.9600},
                          {"areaDesc":"Kim Thành","country":"VN"}],
                 "countriesConcerned":["CN","LA"],
                 "subjects":[{"type":"VEHICLE","name":"24C-123.45"},{"type":"PERSON","name":"Nguyen Van A"},
                             {"type":"PERSON","name":"王小明"},{"type":"DOCUMENT"}],
                 "tlp":"TLP:AMBER","handlingCodes":["H1","H2"],"grading":{"source":"B","information":2},
                 "addressees":["CN-YNPSB","LA-LCDC"]}
                """);
        assertThat(d.fields()).isEqualTo(expected);
        // numbers stay numbers as written (not re-rounded through a double)
        assertThat(d.fields().at("/areas/0/lon").decimalValue()).isEqualTo(new BigDecimal("103.9600"));
        assertThat(d.fields().at("/grading/information").isInt()).isTrue();

        // every field records where it stood
        assertThat(d.where().find("/sourceRef")).isEqualTo(new Position(1, 1));
        assertThat(d.where().find("/references/1/sourceRef")).isEqualTo(new Position(6, 1));
        assertThat(d.where().find("/areas/1/areaDesc")).isEqualTo(new Position(14, 1));
        assertThat(d.where().find("/areas/1/country")).isEqualTo(new Position(15, 1));
        assertThat(d.where().find("/areas/0/unLocode")).isEqualTo(new Position(16, 1));
        assertThat(d.where().find("/areas/0/lon")).isEqualTo(new Position(18, 1));
        assertThat(d.where().find("/subjects/2/name")).isEqualTo(new Position(20, 1));
        assertThat(d.where().find("/grading/information")).isEqualTo(new Position(24, 1));
        assertThat(d.where().find("/addressees/0")).isEqualTo(new Position(25, 1));
    }

    @Test
    void theMappedTreeIsTheSchemasTreeOnceTheHubFieldsAreAdded() throws Exception {
        Draft d = draft(form(Key.SOURCE_REF, "HX-77", Key.OFFICE, "LA-HOUAYXAY", Key.SENT_AT, "2025-03-14T08:30:00+07:00",
                Key.STATUS, "Actual", Key.MSG_TYPE, "Alert", Key.CATEGORY, "WILDLIFE_TRAFFICKING",
                Key.URGENCY, "Expected", Key.SEVERITY, "Moderate", Key.CERTAINTY, "Observed", Key.LANGUAGE, "lo",
                Key.HEADLINE, "ລັກລອບຂົນສົ່ງສັດປ່າ", Key.AREAS, "ບໍ່ແກ້ວ", Key.LAT, "20.27", Key.LON, "100.41",
                Key.SUBJECTS, "COMMODITY:ງາຊ້າງ", Key.TLP, "TLP:GREEN", Key.GRADING_SOURCE, "C",
                Key.GRADING_INFORMATION, "3"));
        assertThat(d.problems()).isEmpty();
        ObjectNode tree = d.fields().deepCopy();
        tree.put("schemaVersion", "1.0").put("alertId", "4b1d8c2e-0000-4000-8000-000000000001")
                .put("receivedAt", "2025-03-14T01:30:05Z");
        tree.putObject("provenance").put("channel", "EMAIL").put("originalFormat", "EMAIL_FORM");

        JsonSchema schema;
        try (InputStream s = getClass().getResourceAsStream("/schema/alert-1.0.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(s);
        }
        assertThat(schema.validate(tree)).isEmpty();
        Alert alert = AlertJson.fromTree(tree);
        assertThat(alert.areas().get(0).country()).isEqualTo(HOUAYXAY.country());
        assertThat(alert.areas().get(0).lat()).isEqualTo(20.27);
        assertThat(alert.grading()).isEqualTo(new Alert.Grading("C", 3));
        assertThat(alert.subjects().get(0).name()).isEqualTo("ງາຊ້າງ");
    }

    @Test
    void areasLieInTheOfficesCountryUnlessAreaCountrySaysOtherwise() {
        // the office the payload names, resolved through the registry
        Draft named = draft(form(Key.OFFICE, "LA-HOUAYXAY", Key.AREAS, "ບ້ານຕົ້ນເຜິ້ງ;ຫ້ວຍຊາຍ"));
        assertThat(named.fields().at("/areas/0/country").asText()).isEqualTo("LA");
        assertThat(named.fields().at("/areas/1/country").asText()).isEqualTo("LA");

        // the channel's office wins over the one the payload names (it is the authenticated sender)
        Draft channel = form(Key.OFFICE, "LA-HOUAYXAY", Key.AREAS, "Lào Cai")
                .toDraft(channelOffice("x", LAO_CAI, null), OriginalFormat.CSV, "x#2", Position.line(2), null);
        assertThat(channel.fields().at("/areas/0/country").asText()).isEqualTo("VN");

        // areaCountry, for every area
        Draft across = draft(form(Key.OFFICE, "VN-LAOCAI", Key.AREAS, "河口;金平", Key.AREA_COUNTRY, "CN"));
        assertThat(across.fields().at("/areas/0/country").asText()).isEqualTo("CN");
        assertThat(across.fields().at("/areas/1/country").asText()).isEqualTo("CN");

        // no office known: the country stays absent, for the schema to report
        Draft unknown = draft(form(Key.OFFICE, "XX-NOWHERE", Key.AREAS, "Somewhere"));
        assertThat(unknown.fields().at("/areas/0").has("country")).isFalse();
        assertThat(unknown.problems()).isEmpty();

        // offline, with no registry: only the channel's office could tell
        Draft offline = form(Key.OFFICE, "VN-LAOCAI", Key.AREAS, "Lào Cai").toDraft(
                new org.blohub.normalize.ReadContext("f", null, null, null, null), OriginalFormat.CSV, "f#2",
                Position.line(2), null);
        assertThat(offline.fields().at("/areas/0").has("country")).isFalse();
    }

    @Test
    void locationOfTheFirstAreaWithoutAnyAreaIsAProblemNotADrop() {
        Draft d = draft(form(Key.UN_LOCODE, "VN LCA", Key.LAT, "22.5"));
        assertThat(d.fields().has("areas")).isFalse();
        assertThat(d.problems()).extracting(Problem::text).containsExactly(
                "areas: unLocode is given but there are no areas for it to locate",
                "areas: lat is given but there are no areas for it to locate");
    }

    @Test
    void emptyValuesAndEmptyListItemsAreAbsent() {
        Draft d = draft(form(Key.HEADLINE, "   ", Key.CATEGORY, " ; ;", Key.DESCRIPTION, "", Key.SOURCE_REF, " R-1 "));
        assertThat(d.fields().size()).isEqualTo(1);
        assertThat(d.fields().get("sourceRef").asText()).isEqualTo("R-1");
        assertThat(d.problems()).isEmpty();
    }

    @Test
    void nonNumericLatLonAndGradingAreProblemsOnThatField() {
        Draft d = draft(form(Key.AREAS, "ເມືອງຕົ້ນເຜິ້ງ", Key.AREA_COUNTRY, "LA", Key.LAT, "20°16'N", Key.LON, "NaN",
                Key.GRADING_SOURCE, "A", Key.GRADING_INFORMATION, "๒"));
        assertThat(d.problems()).extracting(Problem::field).containsExactly("areas[0].lat", "areas[0].lon",
                "grading.information");
        assertThat(d.problems().get(0).message()).contains("not a number", "20°16'N");
        assertThat(d.problems().get(0).at()).isEqualTo(new Position(3, 1));
        assertThat(d.problems().get(2).message()).contains("not an integer");
        assertThat(d.fields().at("/areas/0").has("lat")).isFalse();
        assertThat(d.fields().at("/grading").toString()).isEqualTo("{\"source\":\"A\"}");
    }

    @Test
    void badReferenceAndSubjectItemsAreNamedByTheirIndex() {
        Draft d = draft(form(Key.REFERENCES, "CN-HEKOU:HK-1;HK-2;:X", Key.SUBJECTS, "PERSON:នាង សុខា;ប៉ោយប៉ែត"));
        assertThat(d.problems()).extracting(Problem::text).containsExactly(
                "references[1]: expected OFFICE:sourceRef, got 'HK-2'",
                "references[2]: expected OFFICE:sourceRef, got ':X'",
                "subjects[1]: expected TYPE:name, got 'ប៉ោយប៉ែត'");
        assertThat(d.fields().at("/references").size()).isEqualTo(1);
        assertThat(d.fields().at("/subjects/0/name").asText()).isEqualTo("នាង សុខា");
    }

    @Test
    void gradingInformationAloneAndDeclaredCharsetAreKept() {
        Draft d = form(Key.GRADING_INFORMATION, "4")
                .toDraft(payloadOffice("m"), OriginalFormat.CSV, "m#2", Position.line(2), "windows-874");
        assertThat(d.fields().at("/grading").toString()).isEqualTo("{\"information\":4}");
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("windows-874");
        assertThat(d.originalId()).isEqualTo("m#2");
        assertThat(d.format()).isEqualTo(OriginalFormat.CSV);
    }

    @Test
    void listsSplitOnSemicolons() {
        assertThat(FlatFields.items("a; b ;;c;")).containsExactly("a", "b", "c");
        assertThat(FlatFields.items(";")).isEmpty();
        assertThat(FlatFields.items("ချမ်းသာ")).containsExactly("ချမ်းသာ");
    }
}
