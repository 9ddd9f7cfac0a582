package org.blohub.normalize.xml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.render.XmlRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** json -> xml -> json gives the identical tree, in every office language. */
class BloXmlRoundTripTest {

    static final List<SampleAlerts.Sample> samples = SampleAlerts.SAMPLES;

    private final XmlRenderer renderer = new XmlRenderer();
    private final BloXmlReader reader = new BloXmlReader();

    @ParameterizedTest(name = "{0}")
    @FieldSource("samples")
    void fullAlertComesBackIdentical(SampleAlerts.Sample sample) throws Exception {
        Alert original = SampleAlerts.full(sample);
        String xml = renderer.render(original);

        Draft draft = readOne(xml);

        assertThat(draft.problems()).isEmpty();
        ObjectNode back = AlertJson.toTree(AlertJson.fromTree(draft.fields()));
        assertThat(back).isEqualTo(AlertJson.toTree(original));
        assertThat(back.toString()).isEqualTo(AlertJson.toTree(original).toString());
    }

    @Test
    void offsetOfMyanmarAndScaleOfQuantitiesSurvive() throws Exception {
        Alert original = SampleAlerts.full(SampleAlerts.SAMPLES.get(4));
        Draft draft = readOne(renderer.render(original));

        assertThat(draft.fields().get("sentAt").asText()).isEqualTo("2024-03-05T08:45:00+06:30");
        assertThat(draft.fields().at("/subjects/2/quantity").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(draft.fields().at("/subjects/4/quantity").decimalValue()).isEqualByComparingTo("1000");
        assertThat(draft.fields().at("/subjects/2/quantity").isNumber()).isTrue();
        assertThat(draft.fields().at("/attachments/0/size").isIntegralNumber()).isTrue();
        assertThat(draft.fields().at("/grading/information").intValue()).isEqualTo(2);
        assertThat(draft.fields().at("/areas/0/lat").isNumber()).isTrue();
    }

    @Test
    void carriageReturnsAndMarkupCharactersInTextSurvive() throws Exception {
        Alert original = SampleAlerts.full(SampleAlerts.SAMPLES.get(0));
        Draft draft = readOne(renderer.render(original));

        assertThat(draft.fields().get("description").asText())
                .contains("\r\n")
                .contains("<đóng gói> & giấu");
    }

    @Test
    void everyFieldReadHasAPosition() throws Exception {
        Alert original = SampleAlerts.full(SampleAlerts.SAMPLES.get(1));
        String xml = renderer.render(original);
        Draft draft = readOne(xml);

        List<String> lines = xml.lines().toList();
        for (String pointer : List.of("/sourceRef", "/areas", "/areas/0", "/areas/0/country", "/areas/1/circle",
                "/category/2", "/grading/information", "/subjects/4/quantity", "/provenance/capIdentifier")) {
            Position at = draft.where().find(pointer);
            String name = pointer.substring(pointer.lastIndexOf('/') + 1);
            String element = name.matches("\\d+") ? pointer.split("/")[1] : name;
            assertThat(at.known()).as(pointer).isTrue();
            assertThat(lines.get(at.line() - 1)).as(pointer + " at " + at).contains("<" + element + ">");
        }
        // a pointer that is not there falls back to its nearest ancestor
        assertThat(draft.where().find("/areas/1/polygon")).isEqualTo(draft.where().find("/areas/1"));
    }

    private Draft readOne(String xml) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SampleAlerts.context(), drafts::add);
        assertThat(drafts).hasSize(1);
        return drafts.get(0);
    }
}
