package org.blohub.sftp;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.blohub.sftp.SftpFiles.FileRow;
import org.blohub.alert.CleanText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Puts back into its inbox every file a hub instance claimed and let go of: an attempt that failed (released at
 * once), or an instance that died while reading it (its heartbeat older than {@code blo.sftp.claim-lease}), or before
 * it started, or after it finished but before it moved the file on. Claimed
 * files wait in {@code .hub/processing/<home>/<claim>/} on the server, outside every office's jail; put back, a file
 * is taken again by the next poll (after its backoff) and read from its checkpoint.
 *
 * <p>A file goes back only by a rename that never replaces anything: should the office have dropped a new file of
 * the same name meanwhile, the old one waits until that one is taken. Runs on a timer ({@code sftp-recovery} route);
 * it connects as the hub, with the host key checked like every SFTP endpoint.
 *
 * <p>One office's trouble does not hold up the others: a missing {@code .hub/processing/<home>/} holds nothing to
 * put back, and a directory that cannot be swept is logged once, with its path, while the sweep goes on with the
 * rest. Only a lost connection ends a sweep.
 */
public final class SftpRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SftpRecovery.class);

    private final SftpEndpoints endpoints;
    private final SftpAccounts accounts;
    private final SftpFiles files;
    private final SftpClaims claims;
    private final SftpFileIntake intake;
    private final Duration lease;
    private final Duration interval;
    private boolean failing;
    /** The directories the last sweep could not sweep: each is logged once while it keeps failing. */
    private Set<String> failedPaths = new HashSet<>();
    private SshClient client;
    private ClientSession session;
    private SftpClient sftp;

    public SftpRecovery(SftpEndpoints endpoints, SftpAccounts accounts, SftpFiles files, SftpClaims claims,
                        SftpFileIntake intake, Duration lease, Duration interval) {
        this.endpoints = endpoints;
        this.accounts = accounts;
        this.files = files;
        this.claims = claims;
        this.intake = intake;
        this.lease = lease;
        this.interval = interval;
    }

    /** @return the number of files put back */
    public synchronized int sweep() {
        int returned = 0;
        try {
            SftpClient sftp = connection();
            Set<String> failedNow = new HashSet<>();
            for (SftpAccount office : accounts.offices()) {
                returned += sweep(sftp, office.home(), failedNow);
            }
            for (String path : failedPaths) {
                if (!failedNow.contains(path)) {
                    LOG.info("SFTP recovery: {} is swept again", CleanText.escape(path));
                }
            }
            failedPaths = failedNow;
            if (failing) {
                LOG.info("SFTP recovery: the SFTP server answers again");
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            close(); // connect afresh next time
            if (!failing) {
                LOG.warn("SFTP recovery: cannot sweep the claimed files on {}:{} ({}); trying again every {} s",
                        CleanText.escape(endpoints.host()), endpoints.port(), CleanText.escape(e.toString()),
                        seconds(interval));
                failing = true;
            } else {
                LOG.debug("SFTP recovery: still failing: {}", CleanText.escape(e.toString()));
            }
        }
        return returned;
    }

    /** One SFTP session, kept between sweeps (an SSH handshake per sweep would cost more than the sweep). */
    private SftpClient connection() throws IOException {
        if (sftp != null && sftp.isOpen() && session.isOpen()) {
            return sftp;
        }
        close();
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                endpoints.knownHosts()));
        client.start();
        session = client.connect(endpoints.user(), endpoints.host(), endpoints.port())
                .verify(endpoints.timeout()).getSession();
        session.addPasswordIdentity(endpoints.password());
        session.auth().verify(endpoints.timeout());
        sftp = SftpClientFactory.instance().createSftpClient(session);
        return sftp;
    }

    public synchronized void close() {
        try {
            if (sftp != null) {
                sftp.close();
            }
            if (session != null) {
                session.close();
            }
        } catch (IOException e) {
            LOG.debug("SFTP recovery: closing: {}", e.getMessage());
        } finally {
            if (client != null) {
                client.stop();
            }
            sftp = null;
            session = null;
            client = null;
        }
    }

    private int sweep(SftpClient sftp, String home, Set<String> failedNow) throws IOException {
        String base = EmbeddedSftpServer.HUB_DIR + "/processing/" + home;
        List<SftpClient.DirEntry> claimDirs;
        try {
            claimDirs = entries(sftp, base);
        } catch (IOException | RuntimeException e) {
            failed(base, e, failedNow);
            return 0;
        }
        int returned = 0;
        for (SftpClient.DirEntry claim : claimDirs) {
            if (!claim.getAttributes().isDirectory()) {
                continue;
            }
            String dir = base + "/" + claim.getFilename();
            try {
                returned += sweepClaim(sftp, home, dir, claim);
            } catch (IOException | RuntimeException e) {
                failed(dir, e, failedNow);
            }
        }
        return returned;
    }

    private int sweepClaim(SftpClient sftp, String home, String dir, SftpClient.DirEntry claim) throws IOException {
        int returned = 0;
        List<SftpClient.DirEntry> inside = entries(sftp, dir);
        for (SftpClient.DirEntry f : inside) {
            if (f.getAttributes().isRegularFile() && orphan(home, f, claim.getFilename(), claim.getAttributes())) {
                returned += putBack(sftp, home, dir, f.getFilename());
            }
        }
        if (inside.isEmpty() && olderThanLease(claim.getAttributes())) {
            try {
                sftp.rmdir(dir); // the claim directory of a file that was moved on
            } catch (SftpException e) {
                LOG.debug("SFTP recovery: cannot remove {}: {}", CleanText.escape(dir), CleanText.escape(e.getMessage()));
            }
        }
        return returned;
    }

    /**
     * A directory that could not be swept: logged (once while it keeps failing), and the sweep goes on with the
     * others, unless the connection itself is gone.
     */
    private void failed(String path, Exception e, Set<String> failedNow) throws IOException {
        if (!connected()) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        failedNow.add(path);
        if (failedPaths.contains(path)) {
            LOG.debug("SFTP recovery: {} still cannot be swept: {}", CleanText.escape(path), CleanText.escape(e.toString()));
        } else {
            LOG.warn("SFTP recovery: cannot sweep {} ({}); the other claimed files are swept on, this one again every {} s",
                    CleanText.escape(path), CleanText.escape(e.toString()), seconds(interval));
        }
    }

    /** "0.3", "30": a recovery interval in seconds, as configured. */
    private static String seconds(Duration d) {
        return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private boolean connected() {
        return sftp != null && sftp.isOpen() && session != null && session.isOpen();
    }

    /**
     * Whether nobody reads a claimed file any more. The row tells, if it is of this claim (the attempt's directory):
     * the attempt failed (released), its reader's heartbeat is older than the lease, or it finished longer ago than
     * the lease but never moved the file on. Without a row of this claim (the reader died before it started, or has
     * not started yet), the claim must be older than the lease.
     */
    private boolean orphan(String home, SftpClient.DirEntry f, String claimName, SftpClient.Attributes claimDir) {
        SftpClient.Attributes a = f.getAttributes();
        String key = SftpFiles.key(home, f.getFilename(), a.getSize(), a.getModifyTime().toMillis());
        if (intake.isInFlight(key)) {
            return false;
        }
        Instant cutoff = Instant.now().minus(lease);
        Optional<FileRow> row = files.find(key);
        if (row.isEmpty() || !claimName.equals(row.get().claimDir())) {
            return olderThanLease(claimDir);
        }
        FileRow r = row.get();
        if (r.state() != SftpFiles.State.PROCESSING) {
            return r.finishedAt() != null && r.finishedAt().isBefore(cutoff);
        }
        return r.owner() == null || r.heartbeatAt().isBefore(cutoff);
    }

    private int putBack(SftpClient sftp, String home, String dir, String name) throws IOException {
        SftpClient.Attributes a = sftp.stat(dir + "/" + name);
        String key = SftpFiles.key(home, name, a.getSize(), a.getModifyTime().toMillis());
        String target = home + "/inbox/" + name;
        if (exists(sftp, target)) {
            LOG.warn("SFTP recovery: {}/{} waits: the office dropped another {} meanwhile", CleanText.escape(dir),
                    CleanText.escape(name), CleanText.escape(target));
            return 0;
        }
        claims.remove(key);
        sftp.rename(dir + "/" + name, target);
        Optional<FileRow> row = files.find(key);
        LOG.warn("SFTP recovery: put {} back into {}/inbox/ (attempts so far {}, {} alert(s) already handed over)",
                CleanText.escape(name), home, row.map(FileRow::attempts).orElse(0), row.map(FileRow::itemsDone).orElse(0L));
        try {
            sftp.rmdir(dir);
        } catch (SftpException e) {
            LOG.debug("SFTP recovery: {} not removed: {}", CleanText.escape(dir), CleanText.escape(e.getMessage()));
        }
        return 1;
    }

    private boolean olderThanLease(SftpClient.Attributes a) {
        return a.getModifyTime() != null && a.getModifyTime().toInstant().isBefore(Instant.now().minus(lease));
    }

    private static boolean exists(SftpClient sftp, String path) throws IOException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            return false;
        }
    }

    /** A directory's entries; none if it does not exist. */
    private static List<SftpClient.DirEntry> entries(SftpClient sftp, String dir) throws IOException {
        try {
            List<SftpClient.DirEntry> list = new ArrayList<>();
            for (SftpClient.DirEntry e : sftp.readDir(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    list.add(e);
                }
            }
            return list;
        } catch (UncheckedIOException e) {
            return noneIfMissing(dir, e.getCause()); // MINA's directory iterator wraps the server's answer
        } catch (SftpException e) {
            return noneIfMissing(dir, e);
        }
    }

    private static List<SftpClient.DirEntry> noneIfMissing(String dir, IOException e) throws IOException {
        if (e instanceof SftpException s && s.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
            LOG.debug("SFTP recovery: no {}: nothing claimed there", CleanText.escape(dir));
            return List.of();
        }
        throw e;
    }
}
