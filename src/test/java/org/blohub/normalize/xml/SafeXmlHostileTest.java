package org.blohub.normalize.xml;

import org.blohub.normalize.Draft;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Hostile XML: refused for what it is, with a reason, and nothing ever fetched or expanded. */
class SafeXmlHostileTest {

    private static final String NS = "xmlns=\"urn:blo:alert:1\"";

    private final BloXmlReader reader = new BloXmlReader();

    private static Path attack(String name) {
        return org.blohub.SharedDir.require("corpus/xml-attacks").resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xmlbomb.xml", "xmlbomb2.xml", "quadratic.xml", "cyclic.xml", "dtd.xml", "external.xml",
            "external_file.xml"})
    void everyCorpusAttackIsRefusedBySafeXmlForItsDoctype(String file) throws Exception {
        String text = Files.readString(attack(file), StandardCharsets.UTF_8);

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> SafeXml.parse(text, InputLimits.DEFAULT));

        assertThat(e).as(file).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.DTD_REFUSED);
        assertThat(e.getMessage()).contains("DOCTYPE");
        assertThat(e.at().line()).as("the DOCTYPE stands on the first lines").isBetween(1, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xmlbomb.xml", "xmlbomb2.xml", "quadratic.xml", "cyclic.xml", "dtd.xml", "external.xml",
            "external_file.xml"})
    void everyCorpusAttackIsRefusedByTheReaderBeforeAnyDraft(String file) throws Exception {
        byte[] bytes = Files.readAllBytes(attack(file));
        List<Draft> drafts = new ArrayList<>();

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(bytes), SampleAlerts.context(), drafts::add));

        assertThat(e).as(file).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.DTD_REFUSED);
        assertThat(e.getMessage()).contains("DOCTYPE");
        assertThat(drafts).isEmpty();
    }

    @Test
    void doctypeInsideABloAlertIsRefusedToo() {
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE alert [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<alert " + NS + "><headline>&x;</headline></alert>";

        UnreadableInputException e = refused(xml);

        assertThat(e.reason()).isEqualTo(Reason.DTD_REFUSED);
        assertThat(e.getMessage()).contains("DOCTYPE");
        assertThat(e.at().line()).isEqualTo(2);
    }

    @Test
    void undeclaredEntityWithoutDoctypeIsRefused() {
        String xml = "<alert " + NS + ">\n<headline>&xxe;</headline>\n</alert>";

        UnreadableInputException e = refused(xml);

        assertThat(e.reason()).isEqualTo(Reason.DTD_REFUSED);
        assertThat(e.getMessage()).contains("xxe");
        assertThat(e.at().line()).isEqualTo(2);
    }

    @Test
    void predefinedAndCharacterReferencesAreStillText() throws Exception {
        XmlElement root = SafeXml.parse("<alert " + NS + "><headline>a &lt;b&gt; &amp; &#x110; &#272;</headline></alert>",
                InputLimits.DEFAULT);

        assertThat(root.childText("headline")).contains("a <b> & Đ Đ");
    }

    @Test
    void thousandDeepNestingIsRefusedAsTooDeep() {
        String xml = "<alert " + NS + ">" + "<areas>".repeat(1000) + "</areas>".repeat(1000) + "</alert>";

        UnreadableInputException e = refused(xml);

        assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
        assertThat(e.getMessage()).contains(String.valueOf(InputLimits.DEFAULT.maxDepth()));
    }

    @Test
    void nestingWithinTheLimitIsRead() throws Exception {
        int depth = InputLimits.DEFAULT.maxDepth();
        String xml = "<a>".repeat(depth) + "</a>".repeat(depth);

        XmlElement root = SafeXml.parse(xml, InputLimits.DEFAULT);

        assertThat(root.name()).isEqualTo("a");
    }

    @Test
    void documentOverTheSizeLimitIsRefusedAsTooLarge() {
        InputLimits small = new InputLimits(1024, 32, 200_000, 1_000_000);
        String xml = "<alert " + NS + "><description>" + "x".repeat(2000) + "</description></alert>";

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                        SampleAlerts.context(null, small), d -> { }));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("1024");
    }

    @Test
    void textOverTheFieldLimitIsRefusedAsTooLarge() {
        InputLimits small = new InputLimits(1_000_000, 32, 100, 1_000_000);
        String xml = "<alert " + NS + "><description>" + "x".repeat(5000) + "</description></alert>";

        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> SafeXml.parse(xml, small));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void xincludeIsNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-INFORMANT-NAME");
        String xml = "<alert " + NS + " xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n"
                + "<sourceRef>LC-1</sourceRef>\n"
                + "<description><xi:include href=\"" + secret.toUri() + "\" parse=\"text\"/></description>\n"
                + "<xi:include href=\"" + secret.toUri() + "\" parse=\"text\"/>\n"
                + "</alert>";

        XmlElement root = SafeXml.parse(xml, InputLimits.DEFAULT);
        assertThat(root.child("description").orElseThrow().children()).singleElement()
                .satisfies(inc -> {
                    assertThat(inc.name()).isEqualTo("include");
                    assertThat(inc.children()).isEmpty();
                    assertThat(inc.text()).isEmpty();
                });

        Draft draft = readOne(xml);
        assertThat(draft.fields().toString()).doesNotContain("TOP-SECRET");
        assertThat(draft.fields().has("description")).isFalse();
        assertThat(draft.problems()).extracting(p -> p.field() + "@" + p.at().line())
                .contains("description@3", "include@4");
        assertThat(draft.problems()).anySatisfy(p -> assertThat(p.message())
                .contains("unknown element <include>").contains("http://www.w3.org/2001/XInclude"));
    }

    @Test
    void stylesheetProcessingInstructionIsIgnored() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<?xml-stylesheet type=\"text/xsl\" href=\"http://attacker.invalid/steal.xsl\"?>\n"
                + "<alert " + NS + "><sourceRef>LC-1</sourceRef></alert>";

        Draft draft = readOne(xml);

        assertThat(draft.problems()).isEmpty();
        assertThat(draft.fields().get("sourceRef").asText()).isEqualTo("LC-1");
        assertThat(draft.fields().toString()).doesNotContain("attacker");
    }

    @Test
    void malformedXmlIsRefusedWithItsLine() {
        UnreadableInputException e = refused("<alert " + NS + ">\n<headline>x</headline>\n<sourceRef>y</alert>");

        assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
        assertThat(e.at().line()).isEqualTo(3);
    }

    private UnreadableInputException refused(String xml) {
        UnreadableInputException e = catchThrowableOfType(UnreadableInputException.class,
                () -> reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SampleAlerts.context(),
                        d -> { }));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private Draft readOne(String xml) throws UnreadableInputException {
        List<Draft> drafts = new ArrayList<>();
        reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), SampleAlerts.context(), drafts::add);
        assertThat(drafts).hasSize(1);
        return drafts.get(0);
    }
}
