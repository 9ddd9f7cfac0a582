package org.blohub.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteActivityTest {

    @Test
    void aRouteIsFailingFromItsLastFailureUntilItsNextSuccess() {
        RouteActivity.Activity a = new RouteActivity.Activity();
        assertThat(a.failing()).isFalse();
        a.completed(1_000);
        a.failed(2_000, "ConnectException: Connection refused");
        assertThat(a.failing()).isTrue();
        a.failed(3_000, "ConnectException: Connection refused");
        assertThat(a.failing()).isTrue();
        a.completed(4_000);
        assertThat(a.failing()).isFalse();
        assertThat(a.total()).isEqualTo(4);
        assertThat(a.failures()).isEqualTo(2);
        assertThat(a.lastError()).isEqualTo("ConnectException: Connection refused");
        assertThat(a.lastErrorAt()).hasToString("1970-01-01T00:00:03Z");
    }

    @Test
    void theRateCountsTheLastMinuteOnly() {
        RouteActivity.Activity a = new RouteActivity.Activity();
        for (int i = 0; i < 30; i++) {
            a.completed(100_000 + i * 1_000L);
        }
        assertThat(a.perMinute(129_500)).isEqualTo(30);
        assertThat(a.perMinute(159_500)).isEqualTo(30);
        assertThat(a.perMinute(170_500)).as("seconds 111 to 129").isEqualTo(19);
        assertThat(a.perMinute(200_000)).isZero();
    }
}
