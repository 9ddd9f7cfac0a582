package org.blohub.routing;

import org.blohub.alert.Alert;
import org.blohub.alert.Alert.Category;
import org.blohub.alert.Alert.Severity;
import org.blohub.alert.Alert.Status;
import org.blohub.alert.Tlp;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds alerts for routing tests with the record constructor; only what routing reads varies. */
final class TestAlerts {

    private final String office;
    private List<Category> categories = List.of(Category.DRUG_TRAFFICKING);
    private Severity severity = Severity.Severe;
    private Tlp tlp = Tlp.AMBER;
    private Status status = Status.Actual;
    private List<String> areaCountries;
    private List<String> concerned = List.of();
    private List<String> addressees = List.of();

    private TestAlerts(String office) {
        this.office = office;
        this.areaCountries = List.of(office.substring(0, 2));
    }

    static TestAlerts from(String office) {
        return new TestAlerts(office);
    }

    TestAlerts category(Category... c) {
        categories = List.of(c);
        return this;
    }

    TestAlerts severity(Severity s) {
        severity = s;
        return this;
    }

    TestAlerts tlp(Tlp t) {
        tlp = t;
        return this;
    }

    TestAlerts status(Status s) {
        status = s;
        return this;
    }

    TestAlerts areas(String... countries) {
        areaCountries = List.of(countries);
        return this;
    }

    TestAlerts concerned(String... countries) {
        concerned = List.of(countries);
        return this;
    }

    TestAlerts addressees(String... ids) {
        addressees = Arrays.asList(ids);
        return this;
    }

    Alert build() {
        List<Alert.Area> areas = new ArrayList<>();
        for (String c : areaCountries) {
            areas.add(new Alert.Area("area in " + c, c, null, null, null, null, null));
        }
        OffsetDateTime t = OffsetDateTime.of(2026, 3, 1, 8, 30, 0, 0, ZoneOffset.ofHours(7));
        return new Alert(Alert.SCHEMA_VERSION, "00000000-0000-4000-8000-000000000001", "REF-1", office, t,
                t.withOffsetSameInstant(ZoneOffset.UTC), status, Alert.MsgType.Alert, List.of(), categories,
                Alert.Urgency.Immediate, severity, Alert.Certainty.Observed, "en", "test alert", null, List.of(),
                areas, concerned, List.of(), List.of(), tlp, List.of(), null, addressees,
                new Alert.Provenance(Alert.Channel.API, Alert.OriginalFormat.JSON, "t-1", null, null, null, null));
    }
}
