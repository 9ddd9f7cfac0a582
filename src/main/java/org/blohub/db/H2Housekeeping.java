package org.blohub.db;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the standalone H2 file from growing without end. The hub's H2 database writes every commit to its file at
 * once (WRITE_DELAY=0, so that a killed hub never forgets a dedupe claim), and with that setting H2 runs no
 * background writer, the thread that would otherwise re-write chunks whose pages are mostly dead. Each commit adds a
 * chunk that keeps a live page or two for ever: the file grew by ~130 KB per alert (32 GB after 237,000 alerts of a
 * CSV by SFTP) and H2 kept every chunk's metadata on the heap until the hub ran out of memory.
 *
 * <p>This does that housekeeping on a schedule: it re-writes the least-filled chunks (a bounded amount each run,
 * under H2's store lock, as H2's own writer would); H2 drops the emptied chunks at a later commit, after its
 * retention time, and reuses their space. Nothing to do on PostgreSQL, or any database that is not an H2 file.
 */
public class H2Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    /** Re-write chunks until this share of the file's chunks is live data (H2's own auto-compaction aims at 90). */
    static final int TARGET_FILL_RATE = 80;
    /**
     * Bytes re-written per round, each under H2's store lock, which every commit of the ledger waits for: rounds of
     * 4 MB held it ~100 ms, and the alerts that arrived meanwhile waited as long (HubBench: a latency spike every 2 s).
     */
    static final int WRITE_PER_ROUND = 512 * 1024;
    /** At most this many rounds per run (16 MB). */
    static final int ROUNDS_PER_RUN = 32;
    /** Between rounds, the store lock is left free this long for the commits that queued behind it. */
    static final long PAUSE_NANOS = 5_000_000;

    private final DataSource dataSource;

    public H2Housekeeping(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(initialDelayString = "${blo.h2.housekeeping-interval:PT2S}",
            fixedDelayString = "${blo.h2.housekeeping-interval:PT2S}")
    public void run() {
        try (Connection con = dataSource.getConnection()) {
            store(con).ifPresent(store -> {
                FileStore<?> file = store.getFileStore();
                int before = file.getChunksFillRate();
                // small rounds while there is much to do; each holds the store lock for one short re-write
                for (int i = 0; i < ROUNDS_PER_RUN && file.getChunksFillRate() < TARGET_FILL_RATE; i++) {
                    if (!store.compact(TARGET_FILL_RATE, WRITE_PER_ROUND)) {
                        break;
                    }
                    LockSupport.parkNanos(PAUSE_NANOS);
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("H2 housekeeping: chunks fill rate {} % -> {} %, file fill rate {} %", before,
                            file.getChunksFillRate(), store.getFillRate());
                }
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 housekeeping failed (will try again): {}", e.toString());
        }
    }

    /** The MVStore behind an embedded H2 connection; empty for any other database. */
    static Optional<MVStore> store(Connection con) throws SQLException {
        if (!con.isWrapperFor(JdbcConnection.class)) {
            return Optional.empty();
        }
        if (!(con.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            return Optional.empty(); // a TCP connection to an H2 server: its own process keeps house
        }
        var store = local.getDatabase().getStore();
        return store == null || store.getMvStore().getFileStore() == null ? Optional.empty()
                : Optional.of(store.getMvStore());
    }
}
