package org.blohub.dedupe;

import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The alerts the hub has accepted, keyed by (office, sourceRef): the dedupe repository (JDBC; H2 by
 * default, PostgreSQL in production; schema by Flyway).
 *
 * <p>The claim is written before the alert is handed over, outside the broker's transaction. So a
 * claim whose transaction was lost (crash before commit) must not turn the redelivery of the same
 * message into a DUPLICATE: a claim by the same original id (JMS message id, Message-ID, file#row)
 * is that message coming again, and it is processed again. Deliveries stay exactly-once because the
 * alert id is a name-based UUID of the key and every delivery carries a broker duplicate id.
 */
public final class Ledger {

    /** What a claim found. {@code firstAlertId} is the alert the key belongs to. */
    public record Claim(Verdict verdict, String firstAlertId) {
    }

    public enum Verdict { FIRST, REDELIVERY, DUPLICATE }

    private final JdbcTemplate jdbc;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committer = new ReentrantLock();

    public Ledger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the alert's key, committed before it returns. Claims of consumers that arrive together share one commit
     * (group commit): with H2's WRITE_DELAY=0 each commit rewrites the table's changed pages, which cost a consumer
     * more CPU than the rest of the alert's path (HubBench, JFR). The caller that gets the lock claims for all queued.
     */
    public Claim claim(Alert alert) {
        Pending mine = new Pending(alert);
        queue.add(mine);
        committer.lock();
        try {
            if (!mine.done) {
                commitQueued();
            }
        } finally {
            committer.unlock();
        }
        if (mine.error != null) {
            throw mine.error;
        }
        return mine.claim;
    }

    /** Under the lock: every queued claim in one transaction; if that fails, each on its own, so one bad alert fails alone. */
    private void commitQueued() {
        List<Pending> group = new ArrayList<>();
        for (Pending p; (p = queue.poll()) != null; ) {
            group.add(p);
        }
        try {
            commit(group);
        } catch (RuntimeException groupFailed) {
            for (Pending p : group) {
                try {
                    commit(List.of(p));
                } catch (RuntimeException e) {
                    p.error = e;
                }
            }
        }
        group.forEach(p -> p.done = true);
    }

    private void commit(List<Pending> group) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try {
                for (Pending p : group) {
                    p.claim = claimOn(con, p.alert);
                }
                con.commit();
            } catch (SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            } finally {
                con.setAutoCommit(autoCommit);
            }
            return null;
        });
    }

    /** ON CONFLICT DO NOTHING, not a caught duplicate-key error: on PostgreSQL an error would end the whole group's transaction. */
    private static Claim claimOn(Connection con, Alert alert) throws SQLException {
        try (PreparedStatement insert = con.prepareStatement("INSERT INTO alert_ledger (alert_id, office, source_ref, "
                + "original_id, received_at, alert_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            insert.setString(1, alert.alertId());
            insert.setString(2, alert.office());
            insert.setString(3, alert.sourceRef());
            insert.setString(4, originalId(alert));
            insert.setTimestamp(5, Timestamp.from(alert.receivedAt().toInstant()));
            insert.setString(6, AlertJson.write(alert));
            if (insert.executeUpdate() == 1) {
                return new Claim(Verdict.FIRST, alert.alertId());
            }
        }
        try (PreparedStatement first = con.prepareStatement(
                "SELECT alert_id, original_id FROM alert_ledger WHERE office = ? AND source_ref = ?")) {
            first.setString(1, alert.office());
            first.setString(2, alert.sourceRef());
            try (ResultSet rs = first.executeQuery()) {
                if (!rs.next()) {
                    // same alert id, other key: cannot happen with name-based ids unless the key was deleted meanwhile
                    throw new IllegalStateException("alert " + alert.alertId() + " is claimed under another key");
                }
                boolean again = rs.getString(2).equals(originalId(alert));
                return new Claim(again ? Verdict.REDELIVERY : Verdict.DUPLICATE, rs.getString(1));
            }
        }
    }

    /** One caller's claim; {@code done}, {@code claim} and {@code error} are written and read under the lock. */
    private static final class Pending {
        final Alert alert;
        boolean done;
        Claim claim;
        RuntimeException error;

        Pending(Alert alert) {
            this.alert = alert;
        }
    }

    /**
     * Forgets the claims of an input whose hand-over was rolled back, when its channel reports the failure
     * to the sender instead of redelivering (the API): a retry then is not a DUPLICATE.
     */
    public void releaseAll(String inputId) {
        jdbc.update("DELETE FROM alert_ledger WHERE original_id = ? OR original_id LIKE ?", inputId, inputId + "#%");
    }

    /** Forgets this alert's claim by this input, when the alert was rejected after it was claimed (a permanent fault). */
    public void release(Alert alert) {
        jdbc.update("DELETE FROM alert_ledger WHERE alert_id = ? AND original_id = ?", alert.alertId(), originalId(alert));
    }

    public Optional<Alert> find(String alertId) {
        return jdbc.query("SELECT alert_json FROM alert_ledger WHERE alert_id = ?",
                (rs, i) -> AlertJson.fromJson(rs.getString(1)), alertId).stream().findFirst();
    }

    private static String originalId(Alert alert) {
        String id = alert.provenance() == null ? null : alert.provenance().originalId();
        return id == null ? "" : id;
    }
}
