package org.blohub.sftp;

import org.apache.camel.ExchangeProperty;
import org.blohub.alert.Alert;
import org.blohub.normalize.Outcome;
import org.blohub.receipts.Receipts;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A row's original id is {@code <file name>#<line>}, stable across the attempts at one upload, so that the ledger
 * takes a retry as a redelivery. But an office may drop a file of the same name again later (a daily
 * {@code alerts.csv}): its rows have the same original ids, and are no redelivery but a new sending of alerts already
 * accepted, DUPLICATE. They are told apart by time: a ledger entry made before this upload was first taken is an
 * earlier upload's. Handing such an alert over again would also fail the chunk: inside a transaction, Artemis rolls
 * the whole transaction back on a duplicate id.
 */
public final class SftpReuploads {

    private final JdbcTemplate jdbc;
    private final Receipts receipts;

    public SftpReuploads(JdbcTemplate jdbc, Receipts receipts) {
        this.jdbc = jdbc;
        this.receipts = receipts;
    }

    /** @return the DUPLICATE receipt for an alert an earlier upload already brought, else the outcome itself */
    public Object screen(Outcome.Accepted accepted, @ExchangeProperty(SftpFileIntake.STARTED_AT) Instant startedAt) {
        Alert a = accepted.alert();
        String originalId = a.provenance() == null ? null : a.provenance().originalId();
        if (startedAt == null || originalId == null) {
            return accepted;
        }
        List<Object[]> first = jdbc.query("SELECT alert_id, original_id, received_at FROM alert_ledger "
                        + "WHERE office = ? AND source_ref = ?",
                (rs, i) -> new Object[]{rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)},
                a.office(), a.sourceRef());
        if (first.isEmpty()) {
            return accepted;
        }
        Object[] f = first.get(0);
        boolean sameId = originalId.equals(f[1]);
        boolean earlier = f[2] != null && ((OffsetDateTime) f[2]).toInstant().isBefore(startedAt);
        return sameId && earlier ? receipts.duplicate(a, (String) f[0]) : accepted;
    }
}
