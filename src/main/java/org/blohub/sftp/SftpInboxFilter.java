package org.blohub.sftp;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.blohub.alert.CleanText;
import org.blohub.sftp.SftpFiles.FileRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, before the idempotent repository is asked, whether a file listed in an inbox may be taken now:
 * <ul>
 *   <li>not while the backoff of a failed attempt runs ({@code sftp_file.retry_after});</li>
 *   <li>a claim key left in the repository by an attempt that never took the file (its read lock was not acquired,
 *       or an instance died between registering the key and renaming the file) is removed once older than the
 *       claim lease, so that the file is not skipped forever.</li>
 * </ul>
 * Hidden names (a leading '.') are never listed by Camel; temporary upload names ({@code *.part}, {@code *.filepart},
 * {@code *.tmp}) are skipped here.
 */
public final class SftpInboxFilter implements GenericFileFilter<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(SftpInboxFilter.class);

    private final SftpFiles files;
    private final SftpClaims claims;
    private final Duration lease;

    public SftpInboxFilter(SftpFiles files, SftpClaims claims, Duration lease) {
        this.files = files;
        this.claims = claims;
        this.lease = lease;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (file.isDirectory()) {
            return false;
        }
        String name = file.getFileNameOnly();
        if (name.endsWith(".part") || name.endsWith(".filepart") || name.endsWith(".tmp")) {
            return false;
        }
        String home = home(file.getAbsoluteFilePath());
        String key = SftpFiles.key(home, name, file.getFileLength(), file.getLastModified());
        Instant now = Instant.now();
        Optional<FileRow> row = files.find(key);
        if (row.isPresent() && row.get().retryAfter() != null && row.get().retryAfter().isAfter(now)) {
            return false;
        }
        boolean live = row.isPresent() && row.get().owner() != null
                && row.get().heartbeatAt().isAfter(now.minus(lease));
        if (!live && files.claimedAt(key).map(t -> t.isBefore(now.minus(lease))).orElse(false)) {
            LOG.info("SFTP {}/inbox/{}: removing a stale claim (the file was never taken)", home, CleanText.escape(name));
            claims.remove(key);
        }
        return true;
    }

    /** {@code vn-laocai} of {@code vn-laocai/inbox/x.csv} (or {@code /vn-laocai/inbox/x.csv}). */
    static String home(String path) {
        String p = path.replace('\\', '/');
        int inbox = p.lastIndexOf("/inbox/");
        String before = inbox >= 0 ? p.substring(0, inbox) : p.substring(0, Math.max(p.lastIndexOf('/'), 0));
        return before.substring(before.lastIndexOf('/') + 1);
    }
}
