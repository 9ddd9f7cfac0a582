package org.blohub.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Failed logins per user name and per client address: after {@code maxUserFailures} failures for a user (or
 * {@code maxAddressFailures} from an address) within {@code window}, logins of that user (from that address) are
 * refused for {@code backoff} without the password being checked. A success clears the user's count. Each count
 * lives in a cache of at most {@code maxTracked} entries, so a flood of made-up names or addresses costs bounded
 * memory (the least recently used are forgotten first).
 */
public final class LoginThrottle {

    /** Longest user name kept as a key; longer names (no real login is one) share the count of their prefix. */
    static final int MAX_KEY_CHARS = 128;

    /**
     * The settings, {@code blo.security.login-throttle.*}; the defaults are {@link #DEFAULT}.
     *
     * @param maxUserFailures    failures of one user within the window that lock the user
     * @param maxAddressFailures failures from one client address within the window that lock the address (higher:
     *                           several people may share an address)
     * @param window             how long a failure counts
     * @param backoff            how long a lock lasts
     * @param maxTracked         most users, and most addresses, counted at once
     */
    public record Settings(int maxUserFailures, int maxAddressFailures, Duration window, Duration backoff,
                           int maxTracked) {

        public static final Settings DEFAULT = new Settings(5, 20, Duration.ofMinutes(15), Duration.ofMinutes(15),
                10_000);
        static final String PREFIX = "blo.security.login-throttle.";

        public Settings {
            if (maxUserFailures < 1 || maxAddressFailures < 1 || maxTracked < 1 || window.isNegative()
                    || window.isZero() || backoff.isNegative() || backoff.isZero()) {
                throw new IllegalArgumentException(PREFIX + "*: counts and durations must be positive");
            }
        }

        public static Settings from(Environment env) {
            return new Settings(
                    env.getProperty(PREFIX + "max-user-failures", Integer.class, DEFAULT.maxUserFailures()),
                    env.getProperty(PREFIX + "max-address-failures", Integer.class, DEFAULT.maxAddressFailures()),
                    duration(env, "window", DEFAULT.window()),
                    duration(env, "backoff", DEFAULT.backoff()),
                    env.getProperty(PREFIX + "max-tracked", Integer.class, DEFAULT.maxTracked()));
        }

        private static Duration duration(Environment env, String key, Duration fallback) {
            String v = env.getProperty(PREFIX + key);
            return v == null || v.isBlank() ? fallback : DurationStyle.detectAndParse(v.trim());
        }
    }

    /** What is locked: a user name or a client address. */
    public enum Limit { USER, ADDRESS }

    /** A lock that has just begun. */
    public record Lock(Limit limit, String key, int failures, Instant until) {
    }

    private record Failures(int count, Instant since, Instant lockedUntil) {
    }

    private final Settings settings;
    private final Clock clock;
    private final Cache<String, Failures> users;
    private final Cache<String, Failures> addresses;

    public LoginThrottle(Settings settings, Clock clock) {
        this(settings, clock, null);
    }

    /** {@code executor}: where the caches evict; null for Caffeine's own (tests pass a direct one). */
    LoginThrottle(Settings settings, Clock clock, Executor executor) {
        this.settings = settings;
        this.clock = clock;
        this.users = cache(settings, clock, executor);
        this.addresses = cache(settings, clock, executor);
    }

    private static Cache<String, Failures> cache(Settings settings, Clock clock, Executor executor) {
        Caffeine<Object, Object> b = Caffeine.newBuilder()
                .maximumSize(settings.maxTracked())
                .expireAfterWrite(settings.window().plus(settings.backoff()))
                .ticker(() -> clock.millis() * 1_000_000L);
        if (executor != null) {
            b.executor(executor);
        }
        return b.build();
    }

    public Settings settings() {
        return settings;
    }

    /** How long logins of this user from this address are still refused; empty when they may be checked. */
    public Optional<Duration> refusedFor(String user, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(users, key(user), now), lockedUntil(addresses, address, now));
        return until == null ? Optional.empty() : Optional.of(Duration.between(now, until));
    }

    /** Counts a failed login; returns the locks it begins (none, the user's, the address's or both). */
    public List<Lock> failed(String user, String address) {
        Instant now = clock.instant();
        List<Lock> locks = new ArrayList<>(2);
        count(users, key(user), settings.maxUserFailures(), now, Limit.USER, locks);
        count(addresses, address, settings.maxAddressFailures(), now, Limit.ADDRESS, locks);
        return locks;
    }

    /** A successful login: the user's failures are forgotten. */
    public void succeeded(String user) {
        String key = key(user);
        if (key != null) {
            users.invalidate(key);
        }
    }

    /** How many user names and how many addresses are counted now (after pending evictions). */
    int[] tracked() {
        users.cleanUp();
        addresses.cleanUp();
        return new int[]{(int) users.estimatedSize(), (int) addresses.estimatedSize()};
    }

    private void count(Cache<String, Failures> cache, String key, int max, Instant now, Limit limit,
                       List<Lock> locks) {
        if (key == null) {
            return;
        }
        Lock[] begun = new Lock[1];
        cache.asMap().compute(key, (k, old) -> {
            boolean expired = old == null
                    || (old.lockedUntil() != null && !now.isBefore(old.lockedUntil()))
                    || (old.lockedUntil() == null && !now.isBefore(old.since().plus(settings.window())));
            Failures current = expired ? new Failures(0, now, null) : old;
            if (current.lockedUntil() != null) {
                return current;
            }
            int count = current.count() + 1;
            if (count < max) {
                return new Failures(count, current.since(), null);
            }
            Instant until = now.plus(settings.backoff());
            begun[0] = new Lock(limit, k, count, until);
            return new Failures(count, current.since(), until);
        });
        if (begun[0] != null) {
            locks.add(begun[0]);
        }
    }

    private static Instant lockedUntil(Cache<String, Failures> cache, String key, Instant now) {
        Failures f = key == null ? null : cache.getIfPresent(key);
        return f == null || f.lockedUntil() == null || !now.isBefore(f.lockedUntil()) ? null : f.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static String key(String user) {
        return user == null ? null : user.length() > MAX_KEY_CHARS ? user.substring(0, MAX_KEY_CHARS) : user;
    }
}
