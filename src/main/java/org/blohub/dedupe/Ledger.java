package org.blohub.dedupe;

import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

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

    public Ledger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Claim claim(Alert alert) {
        try {
            jdbc.update("INSERT INTO alert_ledger (alert_id, office, source_ref, original_id, received_at, alert_json) "
                            + "VALUES (?, ?, ?, ?, ?, ?)",
                    alert.alertId(), alert.office(), alert.sourceRef(), originalId(alert),
                    Timestamp.from(alert.receivedAt().toInstant()), AlertJson.write(alert));
            return new Claim(Verdict.FIRST, alert.alertId());
        } catch (DuplicateKeyException e) {
            List<String[]> first = jdbc.query("SELECT alert_id, original_id FROM alert_ledger WHERE office = ? AND source_ref = ?",
                    (rs, i) -> new String[]{rs.getString(1), rs.getString(2)}, alert.office(), alert.sourceRef());
            if (first.isEmpty()) {
                // same alert id, other key: cannot happen with name-based ids unless the key was deleted meanwhile
                throw e;
            }
            boolean again = first.get(0)[1].equals(originalId(alert));
            return new Claim(again ? Verdict.REDELIVERY : Verdict.DUPLICATE, first.get(0)[0]);
        }
    }

    /**
     * Forgets the claims of an input whose hand-over was rolled back, when its channel reports the failure
     * to the sender instead of redelivering (the API): a retry then is not a DUPLICATE.
     */
    public void releaseAll(String inputId) {
        jdbc.update("DELETE FROM alert_ledger WHERE original_id = ? OR original_id LIKE ?", inputId, inputId + "#%");
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
