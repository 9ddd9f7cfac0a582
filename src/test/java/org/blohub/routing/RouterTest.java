package org.blohub.routing;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Tlp;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency.Delivery;
import org.blohub.routing.Agency.Rendering;
import org.blohub.routing.RoutingDecision.Recipient;
import org.blohub.routing.RoutingDecision.Withheld;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The router against the shipped config/ (demo network) and against small hand-made ones. */
class RouterTest {

    static final Path CONFIG = Path.of("config");
    static OfficeRegistry offices;
    static Router router;

    @BeforeAll
    static void load() {
        offices = OfficeRegistry.load(CONFIG);
        router = Router.load(CONFIG, offices);
    }

    private static List<String> to(RoutingDecision d) {
        return d.agencyIds();
    }

    private static String ruleOf(RoutingDecision d, String agency) {
        return d.recipients().stream().filter(r -> r.agencyId().equals(agency)).map(Recipient::rule)
                .findFirst().orElse(null);
    }

    private static Withheld withheld(RoutingDecision d, String agency) {
        return d.withheld().stream().filter(w -> w.agencyId().equals(agency)).findFirst().orElse(null);
    }

    // ---- default -------------------------------------------------------------------------------------------

    @Test
    void defaultGoesToTheConcernedCountrysAgenciesTakingTheCategory() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.AMBER).build());
        // VN by default; CN-FOCAL because Lao Cai's counterpart is Hekou (CN)
        assertThat(d.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("VN-FOCAL", "default"), tuple("VN-DRUG", "default"), tuple("VN-CUSTOMS", "default"),
                tuple("CN-FOCAL", "counterpart-focal-point"));
        assertThat(d.withheld()).isEmpty();
        assertThat(d.alertId()).isEqualTo("00000000-0000-4000-8000-000000000001");
        assertThat(d.fellBack()).isFalse();
    }

    @Test
    void crossBorderAlertReachesBothCountriesAgencies() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").category(Category.WILDLIFE_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.AMBER).areas("VN", "CN").build());
        assertThat(d.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("VN-FOCAL", "default"), tuple("VN-ENV", "default"), tuple("VN-CUSTOMS", "default"),
                tuple("CN-FOCAL", "default"), tuple("CN-ENV", "default"), tuple("CN-CUSTOMS", "default"));
    }

    @Test
    void countriesConcernedAreConcernedToo() {
        RoutingDecision d = router.route(TestAlerts.from("KH-BAVET").category(Category.TRAFFICKING_IN_PERSONS)
                .severity(Severity.Moderate).tlp(Tlp.GREEN).concerned("TH").build());
        assertThat(to(d)).containsExactly("VN-FOCAL", "KH-FOCAL", "KH-TIP", "TH-FOCAL", "TH-TIP");
        assertThat(ruleOf(d, "VN-FOCAL")).isEqualTo("counterpart-focal-point");
    }

    @Test
    void officesCountryIsConcernedEvenWhenTheAreasLieAcrossTheBorder() {
        RoutingDecision d = router.route(TestAlerts.from("TH-MAESAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Extreme).tlp(Tlp.GREEN).areas("MM").build());
        assertThat(to(d)).containsExactly("TH-FOCAL", "TH-DRUG", "TH-CUSTOMS", "MM-FOCAL", "MM-DRUG", "MM-CUSTOMS");
        assertThat(d.recipients()).extracting(Recipient::rule).containsOnly("default");
    }

    @Test
    void severityThresholds() {
        // VN-DRUG takes Minor and up, VN-CUSTOMS Moderate and up; Unknown is the least severe
        assertThat(to(router.route(drug(Severity.Moderate, Tlp.AMBER))))
                .contains("VN-DRUG", "VN-CUSTOMS");
        assertThat(to(router.route(drug(Severity.Minor, Tlp.AMBER))))
                .contains("VN-DRUG").doesNotContain("VN-CUSTOMS");
        assertThat(to(router.route(drug(Severity.Unknown, Tlp.AMBER))))
                .containsExactly("VN-FOCAL", "CN-FOCAL");
        // below a minimum severity is not "withheld": the agency does not take such alerts at all
        assertThat(router.route(drug(Severity.Unknown, Tlp.AMBER)).withheld()).isEmpty();
    }

    @Test
    void tlpThresholdsWithholdAndSaySo() {
        // customs is cleared up to TLP:AMBER, drug police up to TLP:RED
        RoutingDecision d = router.route(drug(Severity.Severe, Tlp.AMBER_STRICT));
        assertThat(to(d)).containsExactly("VN-FOCAL", "VN-DRUG", "CN-FOCAL");
        assertThat(d.withheld()).containsExactly(new Withheld("VN-CUSTOMS", "default",
                "not cleared for TLP:AMBER+STRICT (receives up to TLP:AMBER)"));
        assertThat(to(router.route(drug(Severity.Severe, Tlp.AMBER)))).contains("VN-CUSTOMS");
        assertThat(to(router.route(drug(Severity.Severe, Tlp.CLEAR)))).contains("VN-CUSTOMS");
    }

    private static Alert drug(Severity severity, Tlp tlp) {
        return TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING).severity(severity).tlp(tlp).build();
    }

    // ---- rules ---------------------------------------------------------------------------------------------

    @Test
    void cybercrimeGoesToTheTwentyFourSevenContactPointsOfEveryConcernedCountryWhateverItsSeverity() {
        // CC-CYBER247 takes Moderate and up by default; the rule adds them for any severity
        RoutingDecision d = router.route(TestAlerts.from("LA-BOTEN").category(Category.CYBERCRIME)
                .severity(Severity.Minor).tlp(Tlp.GREEN).areas("LA").concerned("TH").build());
        assertThat(d.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("LA-FOCAL", "default"), tuple("LA-CYBER247", "cybercrime-247"),
                tuple("TH-FOCAL", "default"), tuple("TH-CYBER247", "cybercrime-247"),
                tuple("CN-FOCAL", "counterpart-focal-point"));
        // at or above its minimum, the default already sends it
        RoutingDecision severe = router.route(TestAlerts.from("LA-BOTEN").category(Category.CYBERCRIME)
                .severity(Severity.Severe).tlp(Tlp.GREEN).build());
        assertThat(ruleOf(severe, "LA-CYBER247")).isEqualTo("default");
    }

    @Test
    void cybercrimeRuleNeverExceedsAClearance() {
        // a 24/7 contact point is cleared up to TLP:AMBER+STRICT; TLP:RED is the addressees' only
        RoutingDecision d = router.route(TestAlerts.from("LA-BOTEN").category(Category.CYBERCRIME)
                .severity(Severity.Minor).tlp(Tlp.RED).addressees("LA-FOCAL").build());
        assertThat(to(d)).containsExactly("LA-FOCAL");
    }

    @Test
    void counterpartFocalPointGetsAlertsFromTheCrossing() {
        RoutingDecision d = router.route(TestAlerts.from("LA-HOUAYXAI").category(Category.TIMBER_TRAFFICKING)
                .severity(Severity.Moderate).tlp(Tlp.GREEN).build());
        assertThat(d.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("LA-FOCAL", "default"), tuple("LA-ENV", "default"), tuple("LA-CUSTOMS", "default"),
                tuple("TH-FOCAL", "counterpart-focal-point"));
    }

    @Test
    void exercisesAndTestsGoOnlyToFocalPoints() {
        for (Status status : List.of(Status.Exercise, Status.Test, Status.Draft, Status.System)) {
            RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").status(status)
                    .category(Category.DRUG_TRAFFICKING).severity(Severity.Extreme).tlp(Tlp.GREEN).build());
            assertThat(to(d)).as(status.name()).containsExactly("VN-FOCAL", "CN-FOCAL");
            assertThat(d.withheld()).as(status.name()).extracting(Withheld::agencyId, Withheld::rule, Withheld::reason)
                    .containsExactly(
                            tuple("VN-DRUG", "exercise-to-focal", "restricted to FOCAL of any country"),
                            tuple("VN-CUSTOMS", "exercise-to-focal", "restricted to FOCAL of any country"));
        }
        assertThat(to(router.route(TestAlerts.from("VN-LAOCAI").status(Status.Actual).build()))).contains("VN-DRUG");
    }

    @Test
    void sendersAddresseesAlsoReceiveNonRedAlerts() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.AMBER).addressees("TH-DRUG", "XX-NOBODY").build());
        assertThat(ruleOf(d, "TH-DRUG")).isEqualTo("sender-addressees");
        assertThat(d.withheld()).containsExactly(
                new Withheld("XX-NOBODY", "sender-addressees", "no such agency in agencies.yaml"));
    }

    @Test
    void addresseeNotClearedForTheTlpIsWithheldNotSent() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.AMBER_STRICT).addressees("TH-CUSTOMS").build());
        assertThat(to(d)).doesNotContain("TH-CUSTOMS");
        assertThat(withheld(d, "TH-CUSTOMS")).isEqualTo(new Withheld("TH-CUSTOMS", "sender-addressees",
                "not cleared for TLP:AMBER+STRICT (receives up to TLP:AMBER)"));
    }

    // ---- TLP:RED -------------------------------------------------------------------------------------------

    @Test
    void tlpRedGoesToItsAddresseesOnly() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Extreme).tlp(Tlp.RED).areas("VN", "CN").addressees("CN-DRUG", "VN-DRUG").build());
        assertThat(d.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("VN-DRUG", "tlp-red-addressees-only"), tuple("CN-DRUG", "tlp-red-addressees-only"));
        // the focal points the default chose are removed, and that is said; customs was never cleared
        assertThat(d.withheld()).extracting(Withheld::agencyId, Withheld::rule).containsExactly(
                tuple("VN-FOCAL", "tlp-red-addressees-only"), tuple("VN-CUSTOMS", "default"),
                tuple("CN-FOCAL", "tlp-red-addressees-only"), tuple("CN-CUSTOMS", "default"));
        assertThat(withheld(d, "VN-FOCAL").reason()).isEqualTo("restricted to the alert's addressees");
    }

    @Test
    void tlpRedAddresseeNotClearedIsReportedAndTheOthersStillReceiveIt() {
        RoutingDecision d = router.route(TestAlerts.from("TH-MAESAI").category(Category.TRAFFICKING_IN_PERSONS)
                .severity(Severity.Severe).tlp(Tlp.RED).addressees("TH-TIP", "TH-FOCAL", "MM-TIP").build());
        assertThat(to(d)).containsExactly("TH-FOCAL");
        assertThat(ruleOf(d, "TH-FOCAL")).isEqualTo("tlp-red-addressees-only");
        assertThat(withheld(d, "TH-TIP")).isEqualTo(new Withheld("TH-TIP", "tlp-red-addressees-only",
                "not cleared for TLP:RED (receives up to TLP:AMBER+STRICT)"));
        assertThat(withheld(d, "MM-TIP").rule()).isEqualTo("tlp-red-addressees-only");
    }

    @Test
    void tlpRedWithNoAddresseeClearedIsRefusedNeverWidened() {
        Alert red = TestAlerts.from("TH-MAESAI").category(Category.TRAFFICKING_IN_PERSONS)
                .severity(Severity.Severe).tlp(Tlp.RED).addressees("TH-TIP", "ZZ-UNKNOWN").build();
        assertThatThrownBy(() -> router.route(red)).isInstanceOfSatisfying(UnroutableAlertException.class, e -> {
            assertThat(e.getMessage()).contains("TH-TIP: not cleared for TLP:RED").contains("ZZ-UNKNOWN: no such agency");
            assertThat(e.withheld()).contains(
                    new Withheld("TH-TIP", "tlp-red-addressees-only", "not cleared for TLP:RED (receives up to TLP:AMBER+STRICT)"),
                    new Withheld("ZZ-UNKNOWN", "tlp-red-addressees-only", "no such agency in agencies.yaml"));
        });
    }

    @Test
    void tlpRedExerciseStillGoesToItsAddresseesOnly() {
        RoutingDecision d = router.route(TestAlerts.from("VN-LAOCAI").status(Status.Exercise).tlp(Tlp.RED)
                .addressees("VN-DRUG").build());
        assertThat(to(d)).containsExactly("VN-DRUG");
    }

    // ---- fallback, order, robustness ----------------------------------------------------------------------

    @Test
    void noMatchGoesToTheFocalPointOfTheOfficesCountry() {
        // a focal point that takes only serious drug alerts, and no rules: a minor timber alert matches nobody
        Office laocai = office("VN-LAOCAI", "VN", null);
        OfficeRegistry o = new OfficeRegistry(List.of(laocai));
        AgencyRegistry a = new AgencyRegistry(List.of(
                agency("VN-FOCAL", Set.of(Category.DRUG_TRAFFICKING), Severity.Severe, Tlp.RED, true),
                agency("VN-ENV", Set.of(Category.TIMBER_TRAFFICKING), Severity.Moderate, Tlp.AMBER, false)));
        Router r = new Router(a, new RoutingRules(List.of()), o);
        RoutingDecision d = r.route(TestAlerts.from("VN-LAOCAI").category(Category.TIMBER_TRAFFICKING)
                .severity(Severity.Minor).tlp(Tlp.GREEN).build());
        assertThat(d.recipients()).containsExactly(new Recipient("VN-FOCAL", "no-match-focal-point"));
        // and a TLP above every matching agency's clearance
        RoutingDecision red = r.route(TestAlerts.from("VN-LAOCAI").category(Category.TIMBER_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.AMBER_STRICT).build());
        assertThat(red.recipients()).containsExactly(new Recipient("VN-FOCAL", "no-match-focal-point"));
        assertThat(red.withheld()).extracting(Withheld::agencyId).containsExactly("VN-ENV");
    }

    @Test
    void orderIsTheConfigFilesWhateverTheAlertsOrder() {
        Alert a = TestAlerts.from("VN-LAOCAI").category(Category.WILDLIFE_TRAFFICKING, Category.DRUG_TRAFFICKING)
                .areas("CN", "VN").concerned("LA").build();
        Alert b = TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING, Category.WILDLIFE_TRAFFICKING)
                .areas("VN").concerned("CN", "LA").build();
        RoutingDecision da = router.route(a);
        assertThat(da).isEqualTo(router.route(b)).isEqualTo(router.route(a));
        List<String> registryOrder = router.agencies().all().stream().map(Agency::id).toList();
        assertThat(da.agencyIds()).isSortedAccordingTo((x, y) -> registryOrder.indexOf(x) - registryOrder.indexOf(y));
        assertThat(da.agencyIds()).doesNotHaveDuplicates()
                .containsExactly("VN-FOCAL", "VN-DRUG", "VN-ENV", "VN-CUSTOMS", "LA-FOCAL", "LA-DRUG", "LA-ENV",
                        "LA-CUSTOMS", "CN-FOCAL", "CN-DRUG", "CN-ENV", "CN-CUSTOMS");
    }

    @Test
    void unknownOfficeOfAKnownCountryFallsBackOnItsIdAndAnUnroutableOneIsALoudError() {
        assertThat(to(router.route(TestAlerts.from("VN-NEWPOST").category(Category.OTHER).build())))
                .containsExactly("VN-FOCAL");
        assertThatThrownBy(() -> router.route(TestAlerts.from("XX-NOWHERE").category(Category.OTHER).areas().build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XX-NOWHERE");
    }

    @Test
    void everyDemoAlertHasARecipientAndIsFast() {
        List<Alert> alerts = new java.util.ArrayList<>();
        for (Office o : offices.all()) {
            for (Category c : Category.values()) {
                for (Tlp t : Tlp.values()) {
                    alerts.add(TestAlerts.from(o.id()).category(c).tlp(t).severity(Severity.Minor)
                            .addressees(t == Tlp.RED ? new String[]{"VN-DRUG"} : new String[0]).build());
                }
            }
        }
        for (Alert a : alerts) {
            RoutingDecision d = router.route(a);
            assertThat(d.recipients()).isNotEmpty();
            for (Recipient r : d.recipients()) {
                assertThat(router.agencies().find(r.agencyId()).orElseThrow().clearedFor(a.tlp())).isTrue();
            }
        }
    }

    // ---- rules written for a test, over the shipped agencies -----------------------------------------------

    @Test
    void restrictOnlyAndAgencyTargetsFromATestRoutingFile(@TempDir Path dir) throws IOException {
        Files.copy(CONFIG.resolve("offices.yaml"), dir.resolve("offices.yaml"));
        Files.copy(CONFIG.resolve("agencies.yaml"), dir.resolve("agencies.yaml"));
        Files.writeString(dir.resolve("routing.yaml"), """
                rules:
                  - name: hekou-firearms-to-customs-hq
                    description: firearms seen at Hekou also go to Viet Nam customs
                    match: {offices: [CN-HEKOU], categories: [FIREARMS_TRAFFICKING]}
                    add: {agencies: [VN-CUSTOMS]}
                  - name: minor-stays-home
                    description: minor alerts stay in the office's country
                    match: {severity: [Minor, Unknown]}
                    restrict: {roles: [FOCAL, DRUG, CUSTOMS, ENV, TIP], in: office}
                  - name: money-laundering-to-th-only
                    description: money laundering with Thailand concerned goes to Thai customs only
                    match: {categories: [MONEY_LAUNDERING], countries: [TH]}
                    only: {agencies: [TH-CUSTOMS]}
                """, StandardCharsets.UTF_8);
        OfficeRegistry o = OfficeRegistry.load(dir);
        Router r = Router.load(dir, o);

        RoutingDecision firearms = r.route(TestAlerts.from("CN-HEKOU").category(Category.FIREARMS_TRAFFICKING)
                .severity(Severity.Severe).tlp(Tlp.GREEN).build());
        assertThat(firearms.recipients()).extracting(Recipient::agencyId, Recipient::rule).containsExactly(
                tuple("VN-CUSTOMS", "hekou-firearms-to-customs-hq"), tuple("CN-FOCAL", "default"),
                tuple("CN-CUSTOMS", "default"));

        RoutingDecision minor = r.route(TestAlerts.from("VN-LAOCAI").category(Category.DRUG_TRAFFICKING)
                .severity(Severity.Minor).tlp(Tlp.GREEN).areas("VN", "CN").build());
        assertThat(to(minor)).containsExactly("VN-FOCAL", "VN-DRUG");
        assertThat(withheld(minor, "CN-DRUG")).isEqualTo(new Withheld("CN-DRUG", "minor-stays-home",
                "restricted to FOCAL, DRUG, CUSTOMS, ENV, TIP of the office's country"));

        RoutingDecision ml = r.route(TestAlerts.from("KH-POIPET").category(Category.MONEY_LAUNDERING)
                .severity(Severity.Severe).tlp(Tlp.AMBER).concerned("TH").build());
        assertThat(ml.recipients()).containsExactly(new Recipient("TH-CUSTOMS", "money-laundering-to-th-only"));
        assertThat(ml.withheld()).extracting(Withheld::agencyId).containsExactly("KH-FOCAL", "KH-CUSTOMS", "TH-FOCAL");
    }

    static Office office(String id, String country, String counterpart) {
        return new Office(id, country, id, ZoneId.of("Asia/Bangkok"), "en", StandardCharsets.UTF_8, counterpart,
                List.of(), id.toLowerCase());
    }

    static Agency agency(String id, Set<Category> categories, Severity min, Tlp max, boolean focal) {
        return new Agency(id, id.substring(0, 2), id, EnumSet.copyOf(categories), min, max, focal,
                Delivery.jms("agency." + id, Rendering.JSON));
    }
}
