package org.blohub.broker;

import org.apache.activemq.artemis.core.security.CheckType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerTopologyTest {

    private final BrokerTopology t = new BrokerTopology(List.of("VN-LAOCAI", "CN-HEKOU"), List.of("VN-DRUG", "VN-TIP"));

    @Test
    void queuesFollowDesign8() {
        assertThat(t.queues()).containsExactlyInAnyOrder(
                "blo.inbound.VN-LAOCAI", "blo.receipts.VN-LAOCAI", "blo.inbound.CN-HEKOU", "blo.receipts.CN-HEKOU",
                "agency.VN-DRUG", "hub.outbox.VN-DRUG", "agency.VN-TIP", "hub.outbox.VN-TIP", "hub.quarantine");
        assertThat(BrokerTopology.deadLetters("agency.VN-DRUG")).isEqualTo("DLQ.agency.VN-DRUG");
    }

    @Test
    void officeSendsToItsInboundAndReadsItsReceiptsOnly() {
        assertThat(t.permissions("VN-LAOCAI", "blo.inbound.VN-LAOCAI")).containsExactly(CheckType.SEND);
        assertThat(t.permissions("VN-LAOCAI", "blo.receipts.VN-LAOCAI"))
                .containsExactlyInAnyOrder(CheckType.CONSUME, CheckType.BROWSE);
        assertThat(t.permissions("VN-LAOCAI", "blo.inbound.CN-HEKOU")).isEmpty();
        assertThat(t.permissions("VN-LAOCAI", "blo.receipts.CN-HEKOU")).isEmpty();
        assertThat(t.permissions("VN-LAOCAI", "agency.VN-DRUG")).isEmpty();
        assertThat(t.permissions("VN-LAOCAI", "hub.quarantine")).isEmpty();
        assertThat(t.permissions("VN-LAOCAI", "anything.else")).isEmpty();
    }

    @Test
    void agencyReadsItsQueueOnly() {
        assertThat(t.permissions("VN-DRUG", "agency.VN-DRUG")).containsExactlyInAnyOrder(CheckType.CONSUME, CheckType.BROWSE);
        assertThat(t.permissions("VN-DRUG", "agency.VN-TIP")).isEmpty();
        assertThat(t.permissions("VN-DRUG", "hub.outbox.VN-DRUG")).isEmpty();
        assertThat(t.permissions("VN-DRUG", "blo.inbound.VN-LAOCAI")).isEmpty();
    }

    @Test
    void hubMayDoEverythingEverywhereAndConsoleUsersNothing() {
        for (String address : List.of("#", "blo.inbound.VN-LAOCAI", "agency.VN-DRUG", "DLA", "activemq.management")) {
            assertThat(t.permissions("hub", address)).isEqualTo(EnumSet.allOf(CheckType.class));
            assertThat(t.permissions("operator", address)).isEmpty();
            assertThat(t.permissions("viewer", address)).isEmpty();
        }
    }
}
