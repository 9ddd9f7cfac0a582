package org.blohub.audit;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Writes trace rows on a thread of its own, many callers' rows per commit. The routes' threads only queue: inserting
 * into the table and its seven indexes, and committing, is work the alert does not wait for (one commit per alert
 * event, on the consumer threads, once cost them more CPU than all the rest of an alert's path: HubBench, JFR). Rows
 * keep their order (one queue, one writer), so "last recorded = highest id"
 * holds. Each commit takes whatever queued while the last one ran, so a row waits about one commit (milliseconds).
 * The price: a crash loses the rows still queued; a graceful stop writes them all ({@link #close()}). The alerts
 * themselves are never at stake (see {@link Trace}). Never interrupted: an interrupt in the middle of H2's file I/O
 * closes the database's file channel.
 */
final class TraceWriter implements AutoCloseable {

    /** How often an idle writer looks whether it was closed. */
    private static final long IDLE_POLL_MS = 100;
    /** Rows per JDBC batch and per commit. */
    private static final int BATCH = 1000;
    /** Rows queued at most; beyond that callers wait (back-pressure, never an unbounded heap). */
    private static final int CAPACITY = 100_000;

    private final JdbcTemplate jdbc;
    private final String insert;
    private final Binder binder;
    private final BiConsumer<List<TraceEvent>, RuntimeException> onFailure;
    private final BlockingQueue<TraceEvent> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Thread thread;
    /** Rows taken from the queue and not yet committed (or given up); guarded by this. */
    private int inFlight;
    private volatile boolean closed;

    interface Binder {
        void bind(PreparedStatement ps, TraceEvent row) throws SQLException;
    }

    /** @param onFailure the rows a failed commit could not write, and why (called on the writer's thread) */
    TraceWriter(JdbcTemplate jdbc, String insert, Binder binder,
                BiConsumer<List<TraceEvent>, RuntimeException> onFailure) {
        this.jdbc = jdbc;
        this.insert = insert;
        this.binder = binder;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, "blo-trace-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues rows for the writer; waits only while the queue is full. */
    void add(List<TraceEvent> rows) {
        for (TraceEvent row : rows) {
            try {
                queue.put(row);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                onFailure.accept(List.of(row), new IllegalStateException("interrupted while queueing a trace row"));
                return;
            }
        }
    }

    /** Waits until every row queued before this call is committed (or given up): for readers that must see them. */
    void flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while ((!queue.isEmpty() || inFlight > 0) && thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS)));
            }
        }
    }

    /** Writes what is queued and stops the writer. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(Duration.ofSeconds(30).toMillis());
    }

    private void run() {
        List<TraceEvent> rows = new ArrayList<>(BATCH);
        while (!(closed && queue.isEmpty())) {
            try {
                TraceEvent first = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                synchronized (this) {
                    rows.add(first);
                    queue.drainTo(rows, BATCH - 1);
                    inFlight = rows.size();
                }
                write(rows);
            } catch (InterruptedException e) {
                return; // the JVM is going down; close() never interrupts
            } finally {
                synchronized (this) {
                    rows.clear();
                    inFlight = 0;
                    notifyAll();
                }
            }
        }
    }

    private void write(List<TraceEvent> rows) {
        try {
            commit(rows);
        } catch (RuntimeException batchFailed) {
            // one bad row must not cost the others theirs
            for (TraceEvent row : rows) {
                try {
                    commit(List.of(row));
                } catch (RuntimeException e) {
                    onFailure.accept(List.of(row), e);
                }
            }
        }
    }

    private void commit(List<TraceEvent> rows) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try (PreparedStatement ps = con.prepareStatement(insert)) {
                for (TraceEvent row : rows) {
                    binder.bind(ps, row);
                    ps.addBatch();
                }
                ps.executeBatch();
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
}
