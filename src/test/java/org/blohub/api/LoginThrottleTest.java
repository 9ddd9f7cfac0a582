package org.blohub.api;

import org.blohub.db.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {

    static final LoginThrottle.Settings SETTINGS = new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15),
            Duration.ofMinutes(10), 1000);

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(SETTINGS, clock, Runnable::run);

    @Test
    void fiveFailuresLockTheUserForTheBackoffThenItEnds() {
        for (int i = 1; i <= 4; i++) {
            assertThat(throttle.failed("VN-LAOCAI", "10.0.0.1")).as("failure " + i).isEmpty();
            assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.1")).isEmpty();
        }
        var locks = throttle.failed("VN-LAOCAI", "10.0.0.1");
        assertThat(locks).singleElement().satisfies(l -> {
            assertThat(l.limit()).isEqualTo(LoginThrottle.Limit.USER);
            assertThat(l.key()).isEqualTo("VN-LAOCAI");
            assertThat(l.failures()).isEqualTo(5);
            assertThat(l.until()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        });
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.9.9.9")).contains(Duration.ofMinutes(10));
        assertThat(throttle.refusedFor("CN-HEKOU", "10.0.0.1")).as("another user from the same address").isEmpty();

        clock.advance(Duration.ofMinutes(9));
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.1")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.1")).as("the backoff has passed").isEmpty();
        assertThat(throttle.failed("VN-LAOCAI", "10.0.0.1")).as("counting starts again").isEmpty();
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("VN-LAOCAI", "10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.failed("VN-LAOCAI", "10.0.0.1")).isEmpty();
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.1")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUsersCount() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("VN-LAOCAI", "10.0.0.1");
        }
        throttle.succeeded("VN-LAOCAI");
        for (int i = 0; i < 4; i++) {
            assertThat(throttle.failed("VN-LAOCAI", "10.0.0.1")).isEmpty();
        }
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.1")).isEmpty();
    }

    @Test
    void anAddressWithTooManyFailuresIsLockedForEveryUser() {
        for (int i = 1; i < 20; i++) {
            assertThat(throttle.failed("guess-" + i, "10.0.0.7")).isEmpty();
        }
        assertThat(throttle.failed("guess-20", "10.0.0.7")).singleElement()
                .satisfies(l -> assertThat(l.limit()).isEqualTo(LoginThrottle.Limit.ADDRESS));
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.7")).isPresent();
        assertThat(throttle.refusedFor("VN-LAOCAI", "10.0.0.8")).isEmpty();
    }

    @Test
    void aFloodOfDistinctNamesAndAddressesStaysAtTheBound() {
        for (int i = 0; i < 100_000; i++) {
            throttle.failed("user-" + i + "x".repeat(1000), "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }
        int[] tracked = throttle.tracked();
        assertThat(tracked[0]).as("user names counted").isLessThanOrEqualTo(SETTINGS.maxTracked());
        assertThat(tracked[1]).as("addresses counted").isLessThanOrEqualTo(SETTINGS.maxTracked());
        assertThat(tracked[0]).as("the cache is in use").isPositive();
    }

    @Test
    void aLockBeginsOnceNotAtEveryLaterFailure() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("VN-LAOCAI", "10.0.0.1");
        }
        assertThat(throttle.failed("VN-LAOCAI", "10.0.0.2")).isEmpty();
    }

    @Test
    void settingsComeFromTheEnvironmentWithTheDefaults() {
        var env = new org.springframework.mock.env.MockEnvironment()
                .withProperty("blo.security.login-throttle.backoff", "2m")
                .withProperty("blo.security.login-throttle.max-user-failures", "3");
        LoginThrottle.Settings s = LoginThrottle.Settings.from(env);
        assertThat(s.backoff()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.maxUserFailures()).isEqualTo(3);
        assertThat(s.window()).isEqualTo(LoginThrottle.Settings.DEFAULT.window());
        assertThat(s.maxTracked()).isEqualTo(LoginThrottle.Settings.DEFAULT.maxTracked());
    }
}
