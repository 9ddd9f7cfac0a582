package org.blohub.hub;

import org.apache.camel.CamelExecutionException;
import org.blohub.ingest.PermanentFault;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the hub tells a fault no retry can fix from one a retry may: by the fault's type in the cause chain. */
class PermanentFaultTest {

    @Test
    void aPermanentFaultIsPermanentHoweverItIsWrapped() {
        PermanentFault fault = new PermanentFault("rendering", "the xml rendering for VN-CUSTOMS cannot be made: x",
                new IllegalArgumentException("x"));
        assertThat(PermanentFault.isPermanent(fault)).isTrue();
        assertThat(PermanentFault.isPermanent(new CamelExecutionException("in a route", null,
                new RuntimeException("wrapped", fault)))).isTrue();
        assertThat(PermanentFault.in(new IllegalStateException(fault))).containsSame(fault);
        assertThat(fault.problem().text()).isEqualTo("rendering: the xml rendering for VN-CUSTOMS cannot be made: x");
    }

    @Test
    void everythingElseIsTransient() {
        assertThat(PermanentFault.isPermanent(new IOException("connection refused"))).isFalse();
        assertThat(PermanentFault.isPermanent(new SQLTransientConnectionException("database down"))).isFalse();
        assertThat(PermanentFault.isPermanent(new IllegalArgumentException("a bug, not the office's fault"))).isFalse();
        assertThat(PermanentFault.isPermanent(null)).isFalse();
    }

    @Test
    void aFieldlessFaultNamesOnlyTheProblem() {
        assertThat(new PermanentFault(null, "unsupported", null).problem().text()).isEqualTo("unsupported");
    }
}
