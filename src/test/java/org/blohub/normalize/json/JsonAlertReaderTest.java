package org.blohub.normalize.json;

import org.blohub.normalize.Draft;
import org.blohub.normalize.InputLimits;
import org.blohub.TestOffices;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonAlertReaderTest {

    final JsonAlertReader reader = new JsonAlertReader();

    List<Draft> read(byte[] bytes, InputLimits limits) throws UnreadableInputException {
        List<Draft> out = new ArrayList<>();
        reader.read(new ByteArrayInputStream(bytes), new ReadContext("in.json", TestOffices.LAOCAI,
                TestOffices.OFFICES, null, limits), out::add);
        return out;
    }

    List<Draft> read(String s) throws UnreadableInputException {
        return read(s.getBytes(StandardCharsets.UTF_8), null);
    }

    @Test
    void oneObjectAnArrayOrJsonLines() throws Exception {
        assertThat(read("{\"sourceRef\":\"a\"}")).hasSize(1);
        assertThat(read("[{\"sourceRef\":\"a\"},{\"sourceRef\":\"b\"}]")).extracting(d -> d.fields().get("sourceRef").asText())
                .containsExactly("a", "b");
        List<Draft> lines = read("{\"sourceRef\":\"a\"}\n{\"sourceRef\":\"b\"}\n{\"sourceRef\":\"c\"}\n");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2).originalId()).isEqualTo("in.json#3");
        assertThat(lines.get(2).where().start()).isEqualTo(new Position(3, 1));
    }

    @Test
    void positionsOfNestedFields() throws Exception {
        Draft d = read("{\n \"sourceRef\": \"a\",\n \"areas\": [\n  {\"areaDesc\": \"x\",\n   \"country\": \"XX\"}]}").get(0);
        assertThat(d.where().find("/areas/0/country").line()).isEqualTo(5);
        assertThat(d.where().find("/sourceRef").line()).isEqualTo(2);
    }

    @Test
    void nullMembersAreAbsent() throws Exception {
        assertThat(read("{\"sourceRef\":\"a\",\"headline\":null}").get(0).fields().has("headline")).isFalse();
    }

    @Test
    void duplicateKeysAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> read("{\"tlp\":\"TLP:RED\",\n\"tlp\":\"TLP:CLEAR\"}"))
                .isInstanceOf(UnreadableInputException.class)
                .hasMessageContaining("Duplicate field 'tlp'")
                .satisfies(e -> assertThat(((UnreadableInputException) e).at().line()).isEqualTo(2));
    }

    @Test
    void malformedJsonNamesWhere() {
        assertThatThrownBy(() -> read("{\"sourceRef\":\"a\",\n\"x\": }"))
                .isInstanceOf(UnreadableInputException.class)
                .satisfies(e -> {
                    UnreadableInputException u = (UnreadableInputException) e;
                    assertThat(u.reason()).isEqualTo(UnreadableInputException.Reason.MALFORMED);
                    assertThat(u.at().line()).isEqualTo(2);
                });
    }

    @Test
    void depthAndSizeAreBounded() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertThatThrownBy(() -> read(deep)).isInstanceOfSatisfying(UnreadableInputException.class,
                e -> assertThat(e.reason()).isEqualTo(UnreadableInputException.Reason.TOO_DEEP));
        assertThatThrownBy(() -> read(("{\"description\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8),
                new InputLimits(1000, 32, 100, 100))).isInstanceOfSatisfying(UnreadableInputException.class,
                e -> assertThat(e.reason()).isEqualTo(UnreadableInputException.Reason.TOO_LARGE));
    }

    @Test
    void bomAndOfficeCharset() throws Exception {
        byte[] bom = "\uFEFF{\"headline\":\"ຢາເສບຕິດ\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(read(bom, null).get(0).fields().get("headline").asText()).isEqualTo("ຢາເສບຕິດ");
        byte[] gbk = "{\"headline\":\"河口口岸查获冰毒\"}".getBytes(Charset.forName("GBK"));
        List<Draft> out = new ArrayList<>();
        reader.read(new ByteArrayInputStream(gbk), new ReadContext("in.json", null, TestOffices.OFFICES,
                Charset.forName("GBK"), null), out::add);
        assertThat(out.get(0).fields().get("headline").asText()).isEqualTo("河口口岸查获冰毒");
    }

    @Test
    void undecodableBytesNameTheirLine() {
        byte[] bad = "{\"sourceRef\":\"a\",\n\"headline\":\"\u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(bad, null)).isInstanceOfSatisfying(UnreadableInputException.class, e -> {
            assertThat(e.reason()).isEqualTo(UnreadableInputException.Reason.CHARSET);
            assertThat(e.at().line()).isEqualTo(2);
            assertThat(e.getMessage()).contains("UTF-8").doesNotContain("line");
        });
    }
}
