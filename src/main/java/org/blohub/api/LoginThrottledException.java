package org.blohub.api;

import org.springframework.security.authentication.LockedException;

import java.time.Duration;

/** A login refused, its password unchecked, because its user or its address failed too often just before. */
public class LoginThrottledException extends LockedException {

    private final Duration retryAfter;

    public LoginThrottledException(Duration retryAfter) {
        super("too many failed attempts, try again in " + minutes(retryAfter) + " minute"
                + (minutes(retryAfter) == 1 ? "" : "s"));
        this.retryAfter = retryAfter;
    }

    /** How long until the lock ends. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up: the Retry-After header. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toSeconds() + 59) / 60);
    }
}
