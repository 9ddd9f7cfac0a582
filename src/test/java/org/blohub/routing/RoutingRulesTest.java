package org.blohub.routing;

import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Tlp;
import org.blohub.office.ConfigException;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.RoutingRule.Action;
import org.blohub.routing.RoutingRule.Scope;
import org.blohub.routing.RoutingRule.Target;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingRulesTest {

    static final Path CONFIG = Path.of("config");
    static OfficeRegistry offices;
    static AgencyRegistry agencies;

    @BeforeAll
    static void load() {
        offices = OfficeRegistry.load(CONFIG);
        agencies = AgencyRegistry.load(CONFIG, offices);
    }

    @Test
    void shippedRulesLoadInOrder() {
        RoutingRules rules = RoutingRules.load(CONFIG, agencies, offices);
        assertThat(rules.all()).extracting(RoutingRule::name).containsExactly("sender-addressees", "cybercrime-247",
                "counterpart-focal-point", "exercise-to-focal", "tlp-red-addressees-only");
        assertThat(rules.all()).allSatisfy(r -> assertThat(r.description()).hasSizeGreaterThan(20));

        RoutingRule cyber = rules.find("cybercrime-247").orElseThrow();
        assertThat(cyber.match().categories()).containsExactly(Category.CYBERCRIME);
        assertThat(cyber.action()).isEqualTo(Action.ADD);
        assertThat(cyber.target()).isEqualTo(new Target(null, List.of("CYBER247"), Scope.CONCERNED, false));

        RoutingRule counterpart = rules.find("counterpart-focal-point").orElseThrow();
        assertThat(counterpart.match()).isEqualTo(RoutingRule.Match.ANY);
        assertThat(counterpart.target()).isEqualTo(new Target(null, List.of("FOCAL"), Scope.COUNTERPART, false));

        RoutingRule exercise = rules.find("exercise-to-focal").orElseThrow();
        assertThat(exercise.match().status()).contains(Status.Exercise, Status.Test);
        assertThat(exercise.action()).isEqualTo(Action.RESTRICT);

        RoutingRule red = rules.find("tlp-red-addressees-only").orElseThrow();
        assertThat(red.match().tlp()).containsExactly(Tlp.RED);
        assertThat(red.action()).isEqualTo(Action.ONLY);
        assertThat(red.target().addressees()).isTrue();
        assertThat(red.isFinal()).isTrue();
        assertThat(rules.all().get(rules.all().size() - 1)).isEqualTo(red);
    }

    static final String VALID = """
            rules:
              - name: cyber
                description: cybercrime to the 24/7 points
                match:
                  categories: [CYBERCRIME]
                add:
                  roles: [CYBER247]
            """;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown rule key       | '  - name: cyber'            | '  - name: cyber\\n    priority: 1' | rules[0] (cyber) | unknown key 'priority'
            bad name               | 'name: cyber'                | 'name: Cyber Rule'            | rules[0] (Cyber Rule) | name: lower-case words joined by '-'
            reserved name          | 'name: cyber'                | 'name: default'               | rules[0] (default) | name: 'default' is reserved
            missing description    | '    description: cybercrime to the 24/7 points\\n' | ''     | rules[0] (cyber) | description: missing
            unknown match key      | 'categories: [CYBERCRIME]'   | 'category: [CYBERCRIME]'      | rules[0] (cyber) | match: unknown key 'category'
            unknown category       | '[CYBERCRIME]'               | '[CYBER]'                     | rules[0] (cyber) | match.categories: unknown category 'CYBER'
            unknown status         | 'categories: [CYBERCRIME]'   | 'status: [Real]'              | rules[0] (cyber) | match.status: unknown status 'Real'
            unknown msgType        | 'categories: [CYBERCRIME]'   | 'msgType: [Alarm]'            | rules[0] (cyber) | match.msgType: unknown msgType 'Alarm'
            unknown tlp            | 'categories: [CYBERCRIME]'   | 'tlp: [RED]'                  | rules[0] (cyber) | match.tlp: unknown TLP label 'RED'
            unknown severity       | 'categories: [CYBERCRIME]'   | 'severity: [High]'            | rules[0] (cyber) | match.severity: unknown severity 'High'
            unknown country        | 'categories: [CYBERCRIME]'   | 'countries: [XX]'             | rules[0] (cyber) | match.countries: not an ISO 3166-1 alpha-2 code: 'XX'
            unknown office         | 'categories: [CYBERCRIME]'   | 'offices: [VN-HANOI]'         | rules[0] (cyber) | match.offices: no office 'VN-HANOI'
            match value not list   | 'categories: [CYBERCRIME]'   | 'categories: CYBERCRIME'      | rules[0] (cyber) | match.categories: must be a list
            empty match list       | 'categories: [CYBERCRIME]'   | 'categories: []'              | rules[0] (cyber) | match.categories: is an empty list
            no action              | '    add:\\n      roles: [CYBER247]\\n' | ''                     | rules[0] (cyber) | no action: a rule has exactly one of add, only, restrict
            two actions            | '    add:'                    | '    only: {agencies: [VN-FOCAL]}\\n    add:' | rules[0] (cyber) | more than one action (add, only)
            unknown action key     | 'roles: [CYBER247]'          | 'roles: [CYBER247]\\n      to: all' | rules[0] (cyber) | add: unknown key 'to'
            no targets             | '    add:\\n      roles: [CYBER247]\\n' | '    add: {}\\n'        | rules[0] (cyber) | add: names no targets
            action not a mapping   | '    add:\\n      roles: [CYBER247]\\n' | '    add: CYBER247\\n'  | rules[0] (cyber) | add: must name its targets
            unknown role           | 'roles: [CYBER247]'          | 'roles: [CYBER]'              | rules[0] (cyber) | add.roles: no agency has the role 'CYBER'
            unknown agency         | 'roles: [CYBER247]'          | 'agencies: [VN-CYBER]'        | rules[0] (cyber) | add.agencies: no agency 'VN-CYBER'
            unknown scope          | 'roles: [CYBER247]'          | 'roles: [CYBER247]\\n      in: everywhere' | rules[0] (cyber) | add.in: unknown scope 'everywhere'
            scope without roles    | 'roles: [CYBER247]'          | 'agencies: [VN-FOCAL]\\n      in: any' | rules[0] (cyber) | add.in: says where to look up roles, but there are no roles
            addressees false       | 'roles: [CYBER247]'          | 'addressees: false'           | rules[0] (cyber) | add.addressees: write 'addressees: true' or leave it out
            final not a boolean    | '    add:'                    | '    final: "yes"\\n    add:'   | rules[0] (cyber) | final: must be true or false
            """)
    void eachMistakeNamesFileEntryAndProblem(String what, String text, String replacement, String entry, String problem,
                                             @TempDir Path dir) throws IOException {
        String yaml = VALID.replaceFirst(java.util.regex.Pattern.quote(unescape(text)),
                java.util.regex.Matcher.quoteReplacement(unescape(replacement)));
        assertThat(yaml).as("the test's own edit applies").isNotEqualTo(VALID);
        Path file = write(dir, yaml);
        assertThatThrownBy(() -> RoutingRules.load(dir, agencies, offices))
                .as(what).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": " + entry + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void duplicateNamesAndFileLevelMistakes(@TempDir Path dir) throws IOException {
        Path file = write(dir, VALID + VALID.substring(VALID.indexOf("  - name")));
        assertThatThrownBy(() -> RoutingRules.load(dir, agencies, offices)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": rules[1] (cyber): name: duplicate of rules[0] (cyber)");
        write(dir, "rule:\n  - name: x\n");
        assertThatThrownBy(() -> RoutingRules.load(dir, agencies, offices)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": top level: unknown key 'rule' (known: rules)");
        write(dir, "rules:\n");
        assertThatThrownBy(() -> RoutingRules.load(dir, agencies, offices)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": top level: needs a list 'rules'");
        // no rules at all is allowed: the default and the fallback still route
        write(dir, "rules: []\n");
        assertThat(RoutingRules.load(dir, agencies, offices).all()).isEmpty();
    }

    @Test
    void theHubDoesNotStartOnAMistakeInAnyFile(@TempDir Path dir) throws IOException {
        Files.copy(CONFIG.resolve("offices.yaml"), dir.resolve("offices.yaml"));
        Files.copy(CONFIG.resolve("agencies.yaml"), dir.resolve("agencies.yaml"));
        Files.writeString(dir.resolve("routing.yaml"), Files.readString(CONFIG.resolve("routing.yaml"))
                .replace("roles: [CYBER247]", "roles: [CYBER24-7]"));
        OfficeRegistry o = OfficeRegistry.load(dir);
        assertThatThrownBy(() -> Router.load(dir, o)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("routing.yaml") + ": rules[1] (cybercrime-247): add.roles: no agency has the role 'CYBER24-7'");
    }

    static Path write(Path dir, String yaml) throws IOException {
        return Files.writeString(dir.resolve("routing.yaml"), yaml, StandardCharsets.UTF_8);
    }

    static String unescape(String s) {
        return s.replace("\\n", "\n");
    }
}
