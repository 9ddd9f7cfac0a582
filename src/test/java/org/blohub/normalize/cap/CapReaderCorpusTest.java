package org.blohub.normalize.cap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.blohub.normalize.cap.CapTestSupport.LAO_CAI;

/** The CAP messages of the field corpus (google/cap-library testdata), read as `convert --office VN-LAOCAI` would. */
class CapReaderCorpusTest {

    private static final ReadContext LAO_CAI_CHANNEL = CapTestSupport.context(LAO_CAI, new OfficeRegistry(List.of(LAO_CAI)));

    private static Draft read(String file) throws Exception {
        return CapTestSupport.readOne(Files.readAllBytes(CapTestSupport.shared("corpus/cap/" + file)), LAO_CAI_CHANNEL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"australia.cap", "canada.cap", "earthquake-iso8859-1.cap", "wcatwc-warning.cap",
            "earthquake.cap", "weather.cap", "no_optional_fields.cap", "canada_errors.cap"})
    void validMessagesGiveADraftWithoutProblems(String file) throws Exception {
        Draft draft = read(file);

        assertThat(draft.problems()).isEmpty();
        ObjectNode f = draft.fields();
        for (String field : List.of("sourceRef", "sentAt", "status", "msgType", "category", "urgency", "severity",
                "certainty", "language", "areas", "tlp")) {
            assertThat(f.has(field)).as("%s has %s", file, field).isTrue();
        }
        // foreign senders are no office: the channel's office stands; CAP's own ids are kept
        assertThat(f.has("office")).isFalse();
        assertThat(f.has("alertId")).as("never invented").isFalse();
        assertThat(f.at("/provenance/capIdentifier").asText()).isEqualTo(f.get("sourceRef").asText());
        assertThat(f.at("/category/0").asText()).isEqualTo("OTHER");
        assertThat(f.get("tlp").asText()).isEqualTo("TLP:CLEAR");
        f.get("areas").forEach(a -> assertThat(a.get("country").asText()).isEqualTo("VN"));
        assertThat(draft.where().find("/sourceRef").line()).isGreaterThan(1);
    }

    @Test
    void australiaWithPrefixAndTwoInfoBlocksInOneLanguage() throws Exception {
        ObjectNode f = read("australia.cap").fields();

        assertThat(f.get("sourceRef").asText()).isEqualTo("tag:www.rfs.nsw.gov.au2011-10-06:40184");
        assertThat(f.get("sentAt").asText()).isEqualTo("2011-10-05T23:04:00+10:00");
        assertThat(f.get("language").asText()).isEqualTo("en-AU");
        assertThat(f.get("headline").asText()).isEqualTo("Yerong Creek Structure Fire");
        assertThat(f.get("urgency").asText()).isEqualTo("Expected");
        assertThat(f.get("severity").asText()).isEqualTo("Minor");
        // both infos are en-AU: one info per language, the first is kept
        assertThat(f.has("translations")).isFalse();
        assertThat(f.at("/areas/0/circle").asText()).isEqualTo("-35.3888,147.0598 25.0");
        assertThat(f.at("/provenance/capSender").asText()).isEqualTo("webmaster@rfs.nsw.gov.au");
        assertThat(f.at("/provenance/declaredCharset").asText()).isEqualTo("UTF-8");
    }

    @Test
    void canadaKeepsReferencesPolygonsAndTheFrenchInfo() throws Exception {
        Draft draft = read("canada.cap");
        ObjectNode f = draft.fields();

        assertThat(f.get("msgType").asText()).isEqualTo("Update");
        assertThat(f.get("sentAt").asText()).isEqualTo("2012-05-02T23:21:04-00:00");
        assertThat(f.get("references")).hasSize(2);
        assertThat(f.at("/references/0/office").asText()).isEqualTo("cap@ec.gc.ca");
        assertThat(f.at("/references/0/sourceRef").asText()).isEqualTo("2.49.0.1.124.a3f342a4.2012");
        assertThat(f.at("/references/1/sourceRef").asText()).isEqualTo("2.49.0.1.124.60f31a3a.2012");
        assertThat(f.get("areas")).hasSize(2);
        assertThat(f.at("/areas/1/areaDesc").asText()).isEqualTo("Chatham-Kent - Rondeau Park");
        assertThat(f.at("/areas/0/polygon").asText()).startsWith("42.3481,-82.9314 42.3363,-82.6937");
        assertThat(f.at("/translations/0/language").asText()).isEqualTo("fr-CA");
        assertThat(f.at("/translations/0/headline").asText()).isEqualTo("veille d'orages violents");
        assertThat(f.at("/translations/0/description").asText()).contains("C'est l'épreuve", "a été créé");
        // the headline stands on line 38 of the file, so a later problem with it can say so
        assertThat(draft.where().find("/headline").line()).isEqualTo(38);
    }

    @Test
    void isoLatin1MessageDecodesItsAccentedText() throws Exception {
        ObjectNode f = read("earthquake-iso8859-1.cap").fields();

        assertThat(f.get("headline").asText()).isEqualTo("EQ 4.6 Usulután, Usulután, El Salvador - PRELIMINARY REPORT");
        assertThat(f.at("/areas/0/areaDesc").asText()).startsWith("47 miles (76 km) SSW of Usulután, Usulután");
        assertThat(f.at("/provenance/declaredCharset").asText()).isEqualTo("ISO-8859-1");
        assertThat(f.get("language").asText()).as("CAP's default").isEqualTo("en-US");
        assertThat(f.at("/areas/0/circle").asText()).isEqualTo("12.747,-88.783 0.0");
    }

    @Test
    void tsunamiWarningIsAnUpdateOfTheFirstWarning() throws Exception {
        ObjectNode f = read("wcatwc-warning.cap").fields();

        assertThat(f.get("severity").asText()).isEqualTo("Extreme");
        assertThat(f.get("urgency").asText()).isEqualTo("Immediate");
        assertThat(f.get("references")).hasSize(1);
        assertThat(f.at("/references/0/office").asText()).isEqualTo("PAAQ");
        assertThat(f.at("/references/0/sourceRef").asText()).isEqualTo("PAAQ-1-lqw6d6");
        assertThat(f.at("/areas/0/areaDesc").asText()).startsWith("Coastal areas between and including Unimak Pass");
    }

    @Test
    void cap11MessagesAreRead() throws Exception {
        ObjectNode quake = read("earthquake.cap").fields();
        assertThat(quake.get("certainty").asText()).isEqualTo("Likely");
        assertThat(quake.get("headline").asText()).isEqualTo("EQ 6.3 Neiafu, Tonga - PRELIMINARY REPORT");
        assertThat(quake.at("/areas/0/circle").asText()).isEqualTo("-16.053,-173.274 0.0");

        ObjectNode weather = read("weather.cap").fields();
        assertThat(weather.get("severity").asText()).isEqualTo("Severe");
        assertThat(weather.get("certainty").asText()).isEqualTo("Possible");
        assertThat(weather.get("description").asText()).startsWith("...FLASH FLOOD WATCH REMAINS IN EFFECT")
                .contains("\nTHE FLASH FLOOD WATCH CONTINUES FOR\n");
        assertThat(weather.at("/areas/0/areaDesc").asText()).isEqualTo("Central and Southern Lewis and Clark; Lewis and Clark");
    }

    @Test
    void anAlertWithoutInfoIsPlacedAtTheOfficeAndAssessedUnknown() throws Exception {
        ObjectNode f = read("no_optional_fields.cap").fields();

        assertThat(f.get("areas")).hasSize(1);
        assertThat(f.at("/areas/0/areaDesc").asText()).isEqualTo("BLO Lào Cai");
        assertThat(f.at("/areas/0/country").asText()).isEqualTo("VN");
        assertThat(f.get("urgency").asText()).isEqualTo("Unknown");
        assertThat(f.get("severity").asText()).isEqualTo("Unknown");
        assertThat(f.get("certainty").asText()).isEqualTo("Unknown");
        assertThat(f.get("language").asText()).isEqualTo("en-US");
        assertThat(f.has("headline")).isFalse();
    }

    @Test
    void anUpdateWithEmptyReferencesHasNoReferencesForTheNormalizerToNameLater() throws Exception {
        ObjectNode f = read("canada_errors.cap").fields();

        assertThat(f.get("msgType").asText()).isEqualTo("Update");
        assertThat(f.has("references")).isFalse();
    }

    @Test
    void missingScopeIsNamed() throws Exception {
        Draft draft = read("invalid.cap");

        assertThat(draft.problems()).extracting(Problem::field).containsExactly("scope");
        Problem p = draft.problems().get(0);
        assertThat(p.message()).isEqualTo("CAP element <scope> is missing");
        assertThat(p.at().line()).as("the <alert> element's line").isEqualTo(2);
        assertThat(draft.fields().has("tlp")).isFalse();
    }

    @Test
    void emptyAssessmentElementsAreNamed() throws Exception {
        Draft draft = read("noaa_errors.cap");

        assertThat(draft.problems()).extracting(Problem::field).containsExactlyInAnyOrder("urgency", "severity", "certainty");
        assertThat(draft.problems()).extracting(Problem::message).allMatch(m -> m.contains("is empty"));
        assertThat(draft.problems()).extracting(p -> p.at().line()).containsExactlyInAnyOrder(17, 18, 19);
        assertThat(draft.fields().has("urgency")).isFalse();
    }

    @Test
    void xxeIsRefusedAtTheDoctype() throws Exception {
        byte[] xee = Files.readAllBytes(CapTestSupport.shared("corpus/cap/xee.cap")); // skips, saying so, when absent
        UnreadableInputException e = catchThrowableOfType(() -> CapTestSupport.readOne(xee, LAO_CAI_CHANNEL),
                UnreadableInputException.class);

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(UnreadableInputException.Reason.DTD_REFUSED);
        assertThat(e.getMessage()).contains("DOCTYPE");
        assertThat(e.at().line()).isEqualTo(3);
    }
}
