package org.blohub.routing;

import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Tlp;
import org.blohub.office.ConfigException;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency.Channel;
import org.blohub.routing.Agency.Rendering;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgencyRegistryTest {

    static final Path CONFIG = Path.of("config");
    static final List<String> COUNTRIES = List.of("VN", "LA", "KH", "TH", "MM", "CN");

    @Test
    void shippedAgenciesLoadWithTheDemoNetworkOfDesign8() {
        AgencyRegistry agencies = AgencyRegistry.load(CONFIG, OfficeRegistry.load(CONFIG));
        assertThat(agencies.all()).hasSize(36);
        assertThat(agencies.roles()).containsExactly("CUSTOMS", "CYBER247", "DRUG", "ENV", "FOCAL", "TIP");
        for (String cc : COUNTRIES) {
            String lc = cc.toLowerCase(Locale.ROOT);
            Agency focal = agencies.find(cc + "-FOCAL").orElseThrow();
            assertThat(agencies.focalPoint(cc)).contains(focal);
            assertThat(focal.focalPoint()).isTrue();
            assertThat(focal.categories()).containsExactlyInAnyOrder(Category.values());
            assertThat(focal.minSeverity()).isEqualTo(Severity.Unknown);
            assertThat(focal.maxTlp()).isEqualTo(Tlp.RED);
            assertThat(focal.delivery()).isEqualTo(Agency.Delivery.jms("agency." + cc + "-FOCAL", Rendering.JSON));

            Agency drug = agencies.find(cc + "-DRUG").orElseThrow();
            assertThat(drug.categories()).containsExactly(Category.DRUG_TRAFFICKING, Category.PRECURSOR_CHEMICALS);
            assertThat(drug.delivery()).isEqualTo(Agency.Delivery.jms("agency." + cc + "-DRUG", Rendering.JSON));

            Agency tip = agencies.find(cc + "-TIP").orElseThrow();
            assertThat(tip.categories()).containsExactly(Category.TRAFFICKING_IN_PERSONS, Category.MIGRANT_SMUGGLING);
            assertThat(tip.delivery()).isEqualTo(Agency.Delivery.smtp(lc + "-tip@agencies.blo-hub.local", Rendering.JSON));

            Agency env = agencies.find(cc + "-ENV").orElseThrow();
            assertThat(env.categories()).containsExactly(Category.WILDLIFE_TRAFFICKING, Category.TIMBER_TRAFFICKING,
                    Category.ENVIRONMENTAL_CRIME);
            assertThat(env.delivery()).isEqualTo(Agency.Delivery.sftp(lc + "-env/inbox", Rendering.XML));

            Agency customs = agencies.find(cc + "-CUSTOMS").orElseThrow();
            assertThat(customs.categories()).contains(Category.DRUG_TRAFFICKING, Category.PRECURSOR_CHEMICALS,
                    Category.WILDLIFE_TRAFFICKING, Category.TIMBER_TRAFFICKING, Category.FIREARMS_TRAFFICKING,
                    Category.COUNTERFEIT_GOODS, Category.MONEY_LAUNDERING);
            assertThat(customs.maxTlp()).isEqualTo(Tlp.AMBER);
            assertThat(customs.delivery()).isEqualTo(Agency.Delivery.jms("agency." + cc + "-CUSTOMS", Rendering.XML));

            Agency cyber = agencies.find(cc + "-CYBER247").orElseThrow();
            assertThat(cyber.categories()).containsExactly(Category.CYBERCRIME);
            assertThat(cyber.delivery()).isEqualTo(
                    Agency.Delivery.smtp(lc + "-cyber247@agencies.blo-hub.local", Rendering.CAP));

            for (String role : List.of("DRUG", "TIP", "ENV", "CUSTOMS", "CYBER247")) {
                Agency a = agencies.find(cc + "-" + role).orElseThrow();
                assertThat(a.focalPoint()).as(a.id()).isFalse();
                assertThat(a.country()).isEqualTo(cc);
                assertThat(a.role()).isEqualTo(role);
                assertThat(a.name()).isNotBlank();
            }
        }
        assertThat(agencies.all()).extracting(a -> a.delivery().channel())
                .contains(Channel.JMS, Channel.SMTP, Channel.SFTP);
    }

    // ---- mistakes ------------------------------------------------------------------------------------------

    static final String VALID = """
            agencies:
              - id: VN-FOCAL
                country: VN
                name: Focal point
                focalPoint: true
                categories: [DRUG_TRAFFICKING, OTHER]
                minSeverity: Unknown
                maxTlp: "TLP:RED"
                delivery: {channel: jms, rendering: json}
              - id: VN-DRUG
                country: VN
                name: Drug police
                focalPoint: false
                categories: [DRUG_TRAFFICKING]
                minSeverity: Minor
                maxTlp: "TLP:AMBER"
                delivery: {channel: jms, rendering: json}
            """;
    static final String DRUG_ENTRY = "agencies[1] (VN-DRUG)";
    static final String DRUG_DELIVERY = "delivery: {channel: jms, rendering: json}\n";

    /** Every mistake, made in the second entry of a valid file: which text it replaces, the entry and the problem. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key           | 'name: Drug police'               | 'name: Drug police\\n    colour: blue' | agencies[1] (VN-DRUG)  | unknown key 'colour'
            id pattern            | 'id: VN-DRUG'                     | 'id: VN_drug'                  | agencies[1] (VN_drug)  | id: must look like CC-NAME
            id of another country | 'id: VN-DRUG'                     | 'id: LA-DRUG'                  | agencies[1] (LA-DRUG)  | id: must start with its country code VN-
            duplicate id          | 'id: VN-DRUG'                     | 'id: VN-FOCAL'                 | agencies[1] (VN-FOCAL) | id: duplicate of agencies[0] (VN-FOCAL)
            country not a country | 'country: VN\\n    name: Drug'     | 'country: XX\\n    name: Drug'  | agencies[1] (VN-DRUG)  | country: not an ISO 3166-1 alpha-2 code: 'XX'
            country read as bool  | 'country: VN\\n    name: Drug'     | 'country: no\\n    name: Drug'  | agencies[1] (VN-DRUG)  | country: must be text, got false
            missing name          | '    name: Drug police\\n'        | ''                             | agencies[1] (VN-DRUG)  | name: missing
            unknown category      | '[DRUG_TRAFFICKING]'              | '[DRUG_TRAFFICKING, DRUGS]'    | agencies[1] (VN-DRUG)  | categories: unknown category 'DRUGS'
            category twice        | '[DRUG_TRAFFICKING]'              | '[DRUG_TRAFFICKING, DRUG_TRAFFICKING]' | agencies[1] (VN-DRUG) | categories: 'DRUG_TRAFFICKING' is listed twice
            categories not list   | '[DRUG_TRAFFICKING]'              | 'DRUG_TRAFFICKING'             | agencies[1] (VN-DRUG)  | categories: must be a list
            unknown severity      | 'minSeverity: Minor'              | 'minSeverity: Low'             | agencies[1] (VN-DRUG)  | minSeverity: unknown severity 'Low'
            unknown TLP           | 'maxTlp: "TLP:AMBER"'             | 'maxTlp: "TLP:ORANGE"'         | agencies[1] (VN-DRUG)  | maxTlp: unknown TLP label 'TLP:ORANGE'
            TLP 1.0 label         | 'maxTlp: "TLP:AMBER"'             | 'maxTlp: "TLP:WHITE"'          | agencies[1] (VN-DRUG)  | TLP:WHITE is now TLP:CLEAR
            missing maxTlp        | '    maxTlp: "TLP:AMBER"\\n'      | ''                             | agencies[1] (VN-DRUG)  | maxTlp: missing
            focalPoint not bool   | 'focalPoint: false'               | 'focalPoint: "no"'             | agencies[1] (VN-DRUG)  | focalPoint: must be true or false
            missing focalPoint    | '    focalPoint: false\\n'        | ''                             | agencies[1] (VN-DRUG)  | focalPoint: missing
            two focal points      | 'focalPoint: false\\n    categories: [DRUG_TRAFFICKING]\\n    minSeverity: Minor\\n    maxTlp: "TLP:AMBER"' | 'focalPoint: true\\n    categories: [DRUG_TRAFFICKING]\\n    minSeverity: Minor\\n    maxTlp: "TLP:RED"' | agencies[1] (VN-DRUG) | VN already has a focal point, agencies[0] (VN-FOCAL)
            focal not cleared RED | 'maxTlp: "TLP:RED"'               | 'maxTlp: "TLP:AMBER"'          | agencies[0] (VN-FOCAL) | maxTlp: a focal point receives alerts no other agency can take
            FOCAL not focal point | 'focalPoint: true'                | 'focalPoint: false'            | agencies[0] (VN-FOCAL) | an agency named VN-FOCAL must be its country's focal point
            missing delivery      | '    delivery: {channel: jms, rendering: json}\\n' | ''            | agencies[1] (VN-DRUG)  | delivery: missing
            unknown channel       | 'channel: jms, rendering: json}\\n' | 'channel: ftp, rendering: json}\\n' | agencies[1] (VN-DRUG) | delivery.channel: unknown channel 'ftp'
            channel upper case    | 'channel: jms, rendering: json}\\n' | 'channel: JMS, rendering: json}\\n' | agencies[1] (VN-DRUG) | delivery.channel: unknown channel 'JMS'
            unknown rendering     | 'channel: jms, rendering: json}\\n' | 'channel: jms, rendering: pdf}\\n'  | agencies[1] (VN-DRUG) | delivery.rendering: unknown rendering 'pdf'
            missing rendering     | 'channel: jms, rendering: json}\\n' | 'channel: jms}\\n'                  | agencies[1] (VN-DRUG) | delivery.rendering: missing
            unknown delivery key  | 'channel: jms, rendering: json}\\n' | 'channel: jms, rendering: json, port: 1}\\n' | agencies[1] (VN-DRUG) | delivery: unknown key 'port'
            smtp without address  | 'channel: jms, rendering: json}\\n' | 'channel: smtp, rendering: json}\\n' | agencies[1] (VN-DRUG) | delivery.address: missing
            smtp bad address      | 'channel: jms, rendering: json}\\n' | 'channel: smtp, rendering: json, address: vn-drug}\\n' | agencies[1] (VN-DRUG) | delivery.address: not an email address
            sftp without dir      | 'channel: jms, rendering: json}\\n' | 'channel: sftp, rendering: xml}\\n'  | agencies[1] (VN-DRUG) | delivery.directory: missing
            sftp dir escapes      | 'channel: jms, rendering: json}\\n' | 'channel: sftp, rendering: xml, directory: vn-drug/../vn-focal}\\n' | agencies[1] (VN-DRUG) | delivery.directory: must be a relative path
            sftp absolute dir     | 'channel: jms, rendering: json}\\n' | 'channel: sftp, rendering: xml, directory: /etc}\\n' | agencies[1] (VN-DRUG) | delivery.directory: must be a relative path
            https without url     | 'channel: jms, rendering: json}\\n' | 'channel: https, rendering: cap, secretRef: X}\\n' | agencies[1] (VN-DRUG) | delivery.url: missing
            https plain http      | 'channel: jms, rendering: json}\\n' | 'channel: https, rendering: cap, url: "http://agency.example/x", secretRef: X}\\n' | agencies[1] (VN-DRUG) | delivery.url: must be an https:// URL
            https creds in url    | 'channel: jms, rendering: json}\\n' | 'channel: https, rendering: cap, url: "https://u:p@agency.example/x", secretRef: X}\\n' | agencies[1] (VN-DRUG) | delivery.url: must not carry credentials
            https no secretRef    | 'channel: jms, rendering: json}\\n' | 'channel: https, rendering: cap, url: "https://agency.example/x"}\\n' | agencies[1] (VN-DRUG) | delivery.secretRef: missing
            setting of other chan | 'channel: jms, rendering: json}\\n' | 'channel: jms, rendering: json, address: a@b.example}\\n' | agencies[1] (VN-DRUG) | delivery.address: only for channel smtp, this delivery is jms
            bad queue name        | 'channel: jms, rendering: json}\\n' | 'channel: jms, rendering: json, queue: "a queue"}\\n' | agencies[1] (VN-DRUG) | delivery.queue: not a queue name
            """)
    void eachMistakeNamesFileEntryAndProblem(String what, String text, String replacement, String entry, String problem,
                                             @TempDir Path dir) throws IOException {
        String old = unescape(text);
        String yaml = replaceInEntry(VALID, old, unescape(replacement), entry.startsWith("agencies[0]") ? 0 : 1);
        assertThat(yaml).as("the test's own edit applies").isNotEqualTo(VALID);
        Path file = write(dir, yaml);
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .as(what).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": " + entry + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void aValidFileLoads(@TempDir Path dir) throws IOException {
        write(dir, VALID);
        AgencyRegistry a = AgencyRegistry.load(dir, vnOffice());
        assertThat(a.all()).extracting(Agency::id).containsExactly("VN-FOCAL", "VN-DRUG");
        // an https agency, and an sftp one with a trailing slash
        write(dir, VALID.replace(DRUG_DELIVERY, "delivery: {channel: https, rendering: cap, url: \"https://a.example/hook\", secretRef: VN-DRUG-WEBHOOK}\n")
                + VALID.substring(VALID.indexOf("  - id: VN-DRUG")).replace("VN-DRUG", "VN-ENV")
                .replace(DRUG_DELIVERY, "delivery: {channel: sftp, rendering: xml, directory: vn-env/inbox/}\n"));
        a = AgencyRegistry.load(dir, vnOffice());
        assertThat(a.find("VN-DRUG").orElseThrow().delivery())
                .isEqualTo(Agency.Delivery.https("https://a.example/hook", "VN-DRUG-WEBHOOK", Rendering.CAP));
        assertThat(a.find("VN-ENV").orElseThrow().delivery().directory()).isEqualTo("vn-env/inbox");
    }

    @Test
    void aCountryWithAnOfficeNeedsAFocalPoint(@TempDir Path dir) throws IOException {
        Path file = write(dir, VALID);
        OfficeRegistry offices = new OfficeRegistry(List.of(RouterTest.office("VN-LAOCAI", "VN", null),
                RouterTest.office("LA-NAMPHAO", "LA", null)));
        assertThatThrownBy(() -> AgencyRegistry.load(dir, offices)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": agencies: no focal point (focalPoint: true) for LA, the country of LA-NAMPHAO");
    }

    @Test
    void fileLevelMistakes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("agencies.yaml");
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice())).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": missing");
        write(dir, "");
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice())).hasMessage(file + ": is empty");
        write(dir, VALID + "extra: 1\n");
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .hasMessage(file + ": top level: unknown key 'extra' (known: agencies)");
        write(dir, "agencies: []\n");
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .hasMessage(file + ": top level: needs a non-empty list 'agencies'");
        write(dir, VALID.replace("    name: Drug police\n", "    name: Drug police\n    name: Again\n"));
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .hasMessageStartingWith(file + ": not valid YAML (line 13): Duplicate field 'name'");
        write(dir, VALID.replace("[DRUG_TRAFFICKING]", "[DRUG_TRAFFICKING"));
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .hasMessageStartingWith(file + ": not valid YAML (line ");
        write(dir, "agencies:\n  - just text\n");
        assertThatThrownBy(() -> AgencyRegistry.load(dir, vnOffice()))
                .hasMessageStartingWith(file + ": agencies[0]: must be a mapping of keys");
    }

    @Test
    void indexesAreBuiltFromAgenciesMadeInCode() {
        Agency focal = RouterTest.agency("VN-FOCAL", EnumSet.allOf(Category.class), Severity.Unknown, Tlp.RED, true);
        assertThatThrownBy(() -> new AgencyRegistry(List.of(focal, focal)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate agency id VN-FOCAL");
        Agency other = RouterTest.agency("VN-MAIN", EnumSet.allOf(Category.class), Severity.Unknown, Tlp.RED, true);
        assertThatThrownBy(() -> new AgencyRegistry(List.of(focal, other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two focal points for VN");
        AgencyRegistry r = new AgencyRegistry(List.of(other));
        // a focal point is found by the role FOCAL and by its own name
        assertThat(r.roles()).containsExactly("FOCAL", "MAIN");
    }

    static OfficeRegistry vnOffice() {
        return new OfficeRegistry(List.of(RouterTest.office("VN-LAOCAI", "VN", null)));
    }

    static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("agencies.yaml"), yaml, StandardCharsets.UTF_8);
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n");
    }

    /** Replaces the first occurrence of {@code old} within entry {@code index} (0 or 1) of the valid file. */
    static String replaceInEntry(String yaml, String old, String replacement, int index) {
        int start = index == 0 ? yaml.indexOf("  - id: VN-FOCAL") : yaml.indexOf("  - id: VN-DRUG");
        int at = yaml.indexOf(old, start);
        return at < 0 ? yaml : yaml.substring(0, at) + replacement + yaml.substring(at + old.length());
    }
}
