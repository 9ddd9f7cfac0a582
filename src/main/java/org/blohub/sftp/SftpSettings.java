package org.blohub.sftp;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code blo.sftp.*} settings (config/application.yaml documents each).
 *
 * @param embedded              run the embedded drop box (standalone; default true, false in the production profile)
 * @param host                  the drop box's host (embedded: the address it listens on)
 * @param port                  its port (embedded: 0 picks a free one)
 * @param root                  embedded: the directory holding every home
 * @param sshDir                embedded: host key and known_hosts ({@code <data-dir>/ssh})
 * @param user                  the hub's account
 * @param password              the hub's password; null: the user's entry in the credentials
 * @param knownHosts            the known_hosts file with the server's key; null: embedded, written at start
 * @param authorizedKeysDir     embedded: an operators' directory of {@code <ID>} authorized_keys files, or null
 * @param pollDelay             between polls of an inbox
 * @param readLockCheckInterval an upload counts as complete once its size and time stay the same this long
 * @param readLockTimeout       give up waiting for that (try again next poll)
 * @param chunkRows             alerts handed over per JMS transaction
 * @param claimLease            a claimed file whose reader shows no sign of life this long is put back
 * @param recoveryInterval      between sweeps of the claimed files
 * @param retryDelay            first backoff after a failed attempt (doubling)
 * @param maxRetryDelay         the backoff's ceiling
 * @param timeout               connect and read timeout of the hub's SFTP connections
 */
public record SftpSettings(boolean embedded, String host, int port, Path root, Path sshDir, String user, String password,
                           Path knownHosts, Path authorizedKeysDir, Duration pollDelay, Duration readLockCheckInterval,
                           Duration readLockTimeout, int chunkRows, Duration claimLease, Duration recoveryInterval,
                           Duration retryDelay, Duration maxRetryDelay, Duration timeout) {

    public static SftpSettings from(Environment env) {
        Path dataDir = Path.of(env.getProperty("blo.data-dir", "data"));
        boolean production = env.acceptsProfiles(Profiles.of("production"));
        String knownHosts = env.getProperty("blo.sftp.known-hosts");
        String keysDir = env.getProperty("blo.sftp.authorized-keys-dir");
        return new SftpSettings(
                env.getProperty("blo.sftp.embedded", Boolean.class, !production),
                env.getProperty("blo.sftp.host", env.getProperty("blo.bind-address", "127.0.0.1")),
                env.getProperty("blo.sftp.port", Integer.class, 2222),
                Path.of(env.getProperty("blo.sftp.root", dataDir.resolve("sftp").toString())),
                dataDir.resolve("ssh"),
                env.getProperty("blo.sftp.user", "hub"),
                blankToNull(env.getProperty("blo.sftp.password")),
                knownHosts == null || knownHosts.isBlank() ? null : Path.of(knownHosts),
                keysDir == null || keysDir.isBlank() ? null : Path.of(keysDir),
                duration(env, "blo.sftp.poll-delay", Duration.ofSeconds(5)),
                duration(env, "blo.sftp.read-lock-check-interval", Duration.ofSeconds(1)),
                duration(env, "blo.sftp.read-lock-timeout", Duration.ofSeconds(20)),
                env.getProperty("blo.sftp.chunk-rows", Integer.class, 500),
                duration(env, "blo.sftp.claim-lease", Duration.ofMinutes(2)),
                duration(env, "blo.sftp.recovery-interval", Duration.ofSeconds(30)),
                duration(env, "blo.sftp.retry-delay", Duration.ofSeconds(5)),
                duration(env, "blo.sftp.max-retry-delay", Duration.ofMinutes(5)),
                duration(env, "blo.sftp.timeout", Duration.ofSeconds(30)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Duration duration(Environment env, String key, Duration fallback) {
        String v = env.getProperty(key);
        return v == null || v.isBlank() ? fallback : DurationStyle.detectAndParse(v.trim());
    }

    @Override
    public String toString() {
        return "SftpSettings[embedded=" + embedded + ", " + user + "@" + host + ":" + port + ", root=" + root + "]";
    }
}
