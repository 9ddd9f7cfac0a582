package org.blohub.normalize.xml;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the reader finds wrong is a problem on the draft, on the right field and line. */
class BloXmlReaderProblemsTest {

    private final BloXmlReader reader = new BloXmlReader();

    private static final String DOC = """
            <?xml version="1.0" encoding="UTF-8"?>
            <alert xmlns="urn:blo:alert:1">
              <sourceRef>LC-2024-17</sourceRef>
              <office>VN-LAOCAI</office>
              <category>DRUG_TRAFFICKING</category>
              <category>OTHER</category>
              <areas>
                <areaDesc>Cửa khẩu Lào Cai</areaDesc>
                <country>VN</country>
                <lat>22.5036</lat>
                <lon>103.96</lon>
              </areas>
              <areas>
                <areaDesc>Hà Khẩu</areaDesc>
                <country>CN</country>
              </areas>
              <subjects>
                <type>COMMODITY</type>
                <quantity>12.5</quantity>
              </subjects>
              <attachments>
                <size>2048</size>
              </attachments>
              <grading>
                <source>B</source>
                <information>2</information>
              </grading>
            </alert>
            """;

    @Test
    void wellFormedDocumentGivesTypedFieldsAndNoProblems() throws Exception {
        Draft d = read(DOC);

        assertThat(d.problems()).isEmpty();
        assertThat(d.format()).isEqualTo(OriginalFormat.BLO_XML);
        assertThat(d.originalId()).isNull();
        assertThat(d.fields().get("category")).hasSize(2);
        assertThat(d.fields().at("/category/1").asText()).isEqualTo("OTHER");
        assertThat(d.fields().get("areas")).hasSize(2);
        assertThat(d.fields().at("/areas/0/lat").isNumber()).isTrue();
        assertThat(d.fields().at("/areas/0/lat").decimalValue()).isEqualByComparingTo("22.5036");
        assertThat(d.fields().at("/subjects/0/quantity").isNumber()).isTrue();
        assertThat(d.fields().at("/attachments/0/size").isIntegralNumber()).isTrue();
        assertThat(d.fields().at("/grading/information").isIntegralNumber()).isTrue();
        assertThat(d.fields().at("/grading/source").asText()).isEqualTo("B");
        assertThat(d.fields().at("/areas/1/country").asText()).isEqualTo("CN");
        // the document's XML declaration named UTF-8 and it has no provenance of its own
        assertThat(d.fields().at("/provenance/declaredCharset").asText()).isEqualTo("UTF-8");
    }

    @Test
    void positionsOfFieldsGoIntoTheSourceMap() throws Exception {
        Draft d = read(DOC);

        assertThat(d.where().start()).isEqualTo(new Position(2, 1));
        assertThat(d.where().find("/sourceRef")).isEqualTo(new Position(3, 3));
        assertThat(d.where().find("/category/1")).isEqualTo(new Position(6, 3));
        assertThat(d.where().find("/areas")).isEqualTo(new Position(7, 3));
        assertThat(d.where().find("/areas/0/country")).isEqualTo(new Position(9, 5));
        assertThat(d.where().find("/areas/1")).isEqualTo(new Position(13, 3));
        assertThat(d.where().find("/areas/1/country")).isEqualTo(new Position(15, 5));
        assertThat(d.where().find("/grading/information")).isEqualTo(new Position(26, 5));
        // not in the document: the nearest ancestor's position
        assertThat(d.where().find("/areas/1/lat")).isEqualTo(new Position(13, 3));
    }

    @Test
    void unknownElementIsAProblemWithItsLineNotDroppedInSilence() throws Exception {
        Draft d = read(DOC.replace("  <office>VN-LAOCAI</office>\n", "  <office>VN-LAOCAI</office>\n  <colour>red</colour>\n")
                .replace("<country>CN</country>", "<country>CN</country><county>Hekou</county>"));

        assertThat(d.problems()).extracting(Problem::field, Problem::message, p -> p.at().line())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("colour", "unknown element <colour>", 5),
                        org.assertj.core.groups.Tuple.tuple("areas[1].county", "unknown element <county>", 16));
        assertThat(d.fields().has("colour")).isFalse();
        assertThat(d.fields().at("/areas/1").has("county")).isFalse();
    }

    @Test
    void elementInAnotherNamespaceIsUnknown() throws Exception {
        Draft d = read(DOC.replace("<sourceRef>", "<x:note xmlns:x=\"urn:other\">hi</x:note><sourceRef>"));

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("unknown element <note>").contains("urn:other");
            assertThat(p.at().line()).isEqualTo(3);
        });
    }

    @Test
    void valueThatIsNotANumberIsAProblemOnThatField() throws Exception {
        Draft d = read(DOC.replace("<lat>22.5036</lat>", "<lat>22,5036</lat>")
                .replace("<quantity>12.5</quantity>", "<quantity>twelve</quantity>")
                .replace("<size>2048</size>", "<size>2.5</size>")
                .replace("<information>2</information>", "<information>NaN</information>"));

        assertThat(d.problems()).extracting(Problem::field, p -> p.at().line())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("areas[0].lat", 10),
                        org.assertj.core.groups.Tuple.tuple("subjects[0].quantity", 19),
                        org.assertj.core.groups.Tuple.tuple("attachments[0].size", 22),
                        org.assertj.core.groups.Tuple.tuple("grading.information", 26));
        assertThat(d.problems().get(0).message()).isEqualTo("'22,5036' is not a number");
        assertThat(d.problems().get(2).message()).isEqualTo("'2.5' is not a whole number");
        assertThat(d.fields().at("/areas/0").has("lat")).isFalse();
        assertThat(d.fields().at("/areas/0/lon").isNumber()).isTrue();
    }

    @Test
    void numbersMayBeSurroundedByWhitespace() throws Exception {
        Draft d = read(DOC.replace("<lat>22.5036</lat>", "<lat>\n  -0.5e1 </lat>"));

        assertThat(d.problems()).isEmpty();
        assertThat(d.fields().at("/areas/0/lat").decimalValue()).isEqualByComparingTo("-5");
    }

    @Test
    void textIsKeptAsWrittenAndBlankLeavesAreAbsent() throws Exception {
        Draft d = read(DOC.replace("<sourceRef>LC-2024-17</sourceRef>",
                "<headline>  Xe tải  </headline><description>   </description><language/>"
                        + "<sourceRef>LC-2024-17</sourceRef>")
                .replace("<category>DRUG_TRAFFICKING</category>", "<category> </category>"));

        assertThat(d.problems()).isEmpty();
        assertThat(d.fields().get("headline").asText()).isEqualTo("  Xe tải  ");
        assertThat(d.fields().has("description")).isFalse();
        assertThat(d.fields().has("language")).isFalse();
        // the blank item is skipped, and the next one takes index 0 with its own line
        assertThat(d.fields().get("category")).hasSize(1);
        assertThat(d.fields().at("/category/0").asText()).isEqualTo("OTHER");
        assertThat(d.where().find("/category/0").line()).isEqualTo(6);
    }

    @Test
    void singleFieldGivenTwiceIsAProblem() throws Exception {
        Draft d = read(DOC.replace("<office>VN-LAOCAI</office>", "<office>VN-LAOCAI</office><office>LA-BOTEN</office>"));

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("office");
            assertThat(p.message()).contains("more than once");
            assertThat(p.at().line()).isEqualTo(4);
        });
        assertThat(d.fields().get("office").asText()).isEqualTo("VN-LAOCAI");
    }

    @Test
    void textInAContainerOrElementsInALeafAreProblems() throws Exception {
        Draft d = read(DOC.replace("<areaDesc>Hà Khẩu</areaDesc>", "Hà Khẩu")
                .replace("<office>VN-LAOCAI</office>", "<office><id>VN-LAOCAI</id></office>"));

        assertThat(d.problems()).extracting(Problem::field, p -> p.at().line())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("office", 4),
                        org.assertj.core.groups.Tuple.tuple("areas[1]", 13));
        assertThat(d.problems().get(0).message()).contains("holds text, not elements");
        assertThat(d.problems().get(1).message()).contains("holds elements, not text");
    }

    @Test
    void attributesAreProblemsButASchemaLocationOnTheRootIsNot() throws Exception {
        Draft d = read(DOC.replace("<alert xmlns=\"urn:blo:alert:1\">",
                        "<alert xmlns=\"urn:blo:alert:1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                                + " xsi:schemaLocation=\"urn:blo:alert:1 alert.xsd\">")
                .replace("<country>VN</country>", "<country code=\"VNM\">VN</country>"));

        assertThat(d.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("areas[0].country");
            assertThat(p.message()).contains("attribute code");
            assertThat(p.at().line()).isEqualTo(9);
        });
    }

    @Test
    void emptyObjectIsKeptSoTheSchemaCanNameWhatItLacks() throws Exception {
        Draft d = read(DOC.replace("<grading>\n    <source>B</source>\n    <information>2</information>\n  </grading>",
                "<grading/>"));

        assertThat(d.fields().get("grading").isObject()).isTrue();
        assertThat(d.fields().get("grading")).isEmpty();
        assertThat(d.where().find("/grading").line()).isEqualTo(24);
    }

    @Test
    void rootWithoutTheBloNamespaceIsRefusedSayingWhatWasExpected() {
        UnreadableInputException e = refused("<alert><sourceRef>x</sourceRef></alert>");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("<alert xmlns=\"urn:blo:alert:1\">").contains("no namespace");
    }

    @Test
    void capDocumentIsRefusedSayingWhatWasExpected() {
        UnreadableInputException e = refused(
                "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier></alert>");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.getMessage()).contains("urn:blo:alert:1").contains("urn:oasis:names:tc:emergency:cap:1.2");
    }

    @Test
    void otherRootIsAnUnknownFormat() {
        UnreadableInputException e = refused("\n<report xmlns=\"urn:blo:alert:1\"/>");

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FORMAT);
        assertThat(e.getMessage()).contains("<report>").contains("<alert xmlns=\"urn:blo:alert:1\">");
        assertThat(e.at().line()).isEqualTo(2);
    }

    private UnreadableInputException refused(String xml) {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class, () -> read(xml));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private Draft read(String xml) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SampleAlerts.context(), drafts::add);
        assertThat(drafts).hasSize(1);
        return drafts.get(0);
    }
}
