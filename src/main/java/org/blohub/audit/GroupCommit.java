package org.blohub.audit;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes trace rows with group commit: every caller's rows are committed before its call returns, but the rows of
 * callers that arrive while a commit is running go into the next commit together. Each commit of the hub's H2 file
 * database rewrites the table's changed pages (WRITE_DELAY=0, for the dedupe ledger's sake), so one commit per
 * alert event cost more CPU than the whole rest of an alert's path; with group commit the cost is shared by every
 * consumer thread waiting. No thread of its own: the caller that gets the lock writes for everyone queued.
 */
final class GroupCommit {

    /** Rows per JDBC batch inside one commit. */
    private static final int BATCH = 500;

    private final JdbcTemplate jdbc;
    private final String insert;
    private final Binder binder;
    private final Queue<Rows> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writer = new ReentrantLock();

    interface Binder {
        void bind(PreparedStatement ps, TraceEvent row) throws SQLException;
    }

    GroupCommit(JdbcTemplate jdbc, String insert, Binder binder) {
        this.jdbc = jdbc;
        this.insert = insert;
        this.binder = binder;
    }

    /** Commits {@code rows}, possibly with others' rows; throws what made them fail (only theirs, see flush). */
    void write(List<TraceEvent> rows) {
        Rows mine = new Rows(rows);
        queue.add(mine);
        writer.lock();
        try {
            if (!mine.done) {
                flush();
            }
        } finally {
            writer.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
    }

    /** Under the lock: everything queued in one transaction; if that fails, each caller's rows on their own. */
    private void flush() {
        List<Rows> group = new ArrayList<>();
        for (Rows r; (r = queue.poll()) != null; ) {
            group.add(r);
        }
        try {
            commit(group);
        } catch (RuntimeException groupFailed) {
            // one caller's bad row must not cost the others theirs
            for (Rows r : group) {
                try {
                    commit(List.of(r));
                } catch (RuntimeException e) {
                    r.error = e;
                }
            }
        }
        group.forEach(r -> r.done = true);
    }

    private void commit(List<Rows> group) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try (PreparedStatement ps = con.prepareStatement(insert)) {
                int pending = 0;
                for (Rows r : group) {
                    for (TraceEvent row : r.rows) {
                        binder.bind(ps, row);
                        ps.addBatch();
                        if (++pending == BATCH) {
                            ps.executeBatch();
                            pending = 0;
                        }
                    }
                }
                if (pending > 0) {
                    ps.executeBatch();
                }
                con.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(con);
                throw e;
            } finally {
                con.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    private static void rollback(Connection con) {
        try {
            con.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one to report
        }
    }

    /** One caller's rows; {@code done} and {@code error} are written and read under the writer lock. */
    private static final class Rows {
        final List<TraceEvent> rows;
        boolean done;
        RuntimeException error;

        Rows(List<TraceEvent> rows) {
            this.rows = rows;
        }
    }
}
