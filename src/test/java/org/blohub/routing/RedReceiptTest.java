package org.blohub.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.Tlp;
import org.blohub.office.OfficeRegistry;
import org.blohub.receipts.Receipt;
import org.blohub.receipts.Receipts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The receipt of a routed alert names every agency routing left out, and why (the shipped config/). */
class RedReceiptTest {

    static final Path CONFIG = Path.of("config");
    static final Router ROUTER = Router.load(CONFIG, OfficeRegistry.load(CONFIG));

    @Test
    void aRedReceiptListsTheAddresseesHeldBackWithTheReason() throws Exception {
        Alert red = TestAlerts.from("VN-LAOCAI").category(Alert.Category.DRUG_TRAFFICKING)
                .severity(Alert.Severity.Severe).tlp(Tlp.RED).addressees("VN-DRUG", "VN-CUSTOMS", "XX-NOBODY").build();
        Receipt r = new Receipts().accepted(new Routed(red, ROUTER.route(red)));

        assertThat(r.routedTo()).containsExactly("VN-DRUG");
        assertThat(r.withheld()).contains(
                new Receipt.Withheld("VN-CUSTOMS", "not cleared for TLP:RED (receives up to TLP:AMBER)"),
                new Receipt.Withheld("XX-NOBODY", "no such agency in agencies.yaml"));
        assertThat(r.withheld()).extracting(Receipt.Withheld::agency).doesNotContain("VN-DRUG");

        JsonNode json = AlertJson.mapper().readTree(AlertJson.mapper().writeValueAsString(r));
        assertThat(json.get("withheld").get(0).fieldNames()).toIterable().containsExactly("agency", "reason");
        assertThat(json.get("routedTo")).hasSize(1);
    }

    @Test
    void anAlertNobodyIsLeftOutOfHasAnEmptyList() throws Exception {
        Alert amber = TestAlerts.from("VN-LAOCAI").category(Alert.Category.DRUG_TRAFFICKING)
                .severity(Alert.Severity.Severe).tlp(Tlp.AMBER).build();
        Receipt r = new Receipts().accepted(new Routed(amber, ROUTER.route(amber)));
        assertThat(r.withheld()).isEmpty();
        assertThat(AlertJson.mapper().readTree(AlertJson.mapper().writeValueAsString(r)).get("withheld").isArray())
                .isTrue();
    }
}
