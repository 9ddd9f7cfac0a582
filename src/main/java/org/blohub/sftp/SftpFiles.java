package org.blohub.sftp;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The files taken from the offices' SFTP inboxes (table {@code sftp_file}, schema by Flyway V3): who reads each,
 * how far it got (a mirror of the checkpoint the broker holds, {@link SftpReceiptStore}), its backoff and its end. In
 * the hub's JDBC database, so that every hub instance sees the same (DESIGN §9).
 */
public final class SftpFiles {

    /** The idempotent repository's processor name (table {@code sftp_claim}). */
    public static final String PROCESSOR = "sftp-in";
    public static final int MAX_KEY = 100;
    private static final DateTimeFormatter MTIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    public enum State { PROCESSING, DONE, ERROR }

    /** One row of {@code sftp_file}. */
    public record FileRow(String key, String office, String name, State state, String owner, String claimDir,
                          Instant heartbeatAt,
                          int attempts, Instant retryAfter, long itemsDone, long lastLine, int parts, long accepted,
                          long duplicate, long rejected, String error, Instant startedAt, Instant finishedAt) {

        public long items() {
            return accepted + duplicate + rejected;
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public SftpFiles(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    // ---- keys -----------------------------------------------------------------------------------------------

    /**
     * A file's identity: its home, name, size and modification time (UTC, to the second: SFTP v3 carries seconds).
     * The same in the consumer's {@code idempotentKey} ({@code <home>/${file:onlyname}/${file:size}/
     * ${date-with-timezone:header.CamelFileLastModified:UTC:yyyyMMddHHmmss}}), across renames (which keep size and
     * time) and across hub instances. A new upload of the same name is a new file.
     */
    public static String rawKey(String home, String name, long size, long lastModifiedMillis) {
        return home + "/" + name + "/" + size + "/" + MTIME.format(Instant.ofEpochMilli(lastModifiedMillis));
    }

    /** The key as stored: as is up to {@value #MAX_KEY} characters (the repository's column), else its SHA-256. */
    public static String stored(String rawKey) {
        if (rawKey.length() <= MAX_KEY) {
            return rawKey;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(rawKey.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String key(String home, String name, long size, long lastModifiedMillis) {
        return stored(rawKey(home, name, size, lastModifiedMillis));
    }

    // ---- rows -----------------------------------------------------------------------------------------------

    public Optional<FileRow> find(String key) {
        return jdbc.query("SELECT * FROM sftp_file WHERE file_key = ?", ROW, key).stream().findFirst();
    }

    /**
     * Takes a file for {@code owner}, claimed into {@code claimDir}: a new row, or the row of an earlier attempt (a
     * retry, or another instance taking over after the lease), whose state and progress stay as they were. Returns
     * the row as taken. Joins the caller's transaction on this database, if there is one.
     *
     * <p>An {@code INSERT ... ON CONFLICT DO NOTHING}, then the takeover if the row was there: never a caught
     * duplicate-key error, which on PostgreSQL would abort the transaction and fail every statement after it.
     */
    public FileRow claim(String key, String office, String name, String owner, String claimDir) {
        return tx.execute(s -> {
            OffsetDateTime now = now();
            int inserted = jdbc.update("INSERT INTO sftp_file (file_key, office, name, state, owner, claim_dir, "
                            + "heartbeat_at, attempts, items_done, last_line, parts, accepted, duplicate, rejected, "
                            + "started_at) VALUES (?, ?, ?, 'PROCESSING', ?, ?, ?, 1, 0, 0, 0, 0, 0, 0, ?) "
                            + "ON CONFLICT DO NOTHING",
                    key, office, truncate(name, 1000), owner, claimDir, now, now);
            if (inserted == 0) {
                jdbc.update("UPDATE sftp_file SET owner = ?, claim_dir = ?, heartbeat_at = ?, attempts = attempts + 1 "
                        + "WHERE file_key = ?", owner, claimDir, now, key);
            }
            return find(key).orElseThrow();
        });
    }

    /**
     * After a chunk's JMS transaction committed: how far the file got, and the reader's heartbeat. A mirror for the
     * operators and the recovery; the checkpoint itself is the chunk's part on the broker ({@link SftpReceiptStore}),
     * committed with the chunk.
     */
    public void checkpoint(String key, String owner, SftpReceiptStore.Progress p) {
        jdbc.update("UPDATE sftp_file SET items_done = ?, last_line = ?, parts = ?, accepted = ?, duplicate = ?, "
                        + "rejected = ?, owner = ?, heartbeat_at = ? WHERE file_key = ?",
                p.itemsDone(), p.lastLine(), p.parts(), p.accepted(), p.duplicate(), p.rejected(), owner, now(), key);
    }

    /** A failed attempt: the file is free for the recovery to put back, but not taken again before {@code retryAfter}. */
    public void release(String key, String error, Instant retryAfter) {
        jdbc.update("UPDATE sftp_file SET owner = NULL, error = ?, retry_after = ? WHERE file_key = ? AND state = 'PROCESSING'",
                truncate(error, 4000), retryAfter.atOffset(ZoneOffset.UTC), key);
    }

    /** The receipt file is written: the row is final. */
    public void finish(String key, State state, String error) {
        jdbc.update("UPDATE sftp_file SET state = ?, owner = NULL, error = ?, retry_after = NULL, finished_at = ? "
                + "WHERE file_key = ?", state.name(), truncate(error, 4000), now(), key);
    }

    /** When the consumer registered this claim key (its idempotent repository), if it did. */
    public Optional<Instant> claimedAt(String key) {
        return jdbc.query("SELECT createdAt FROM sftp_claim WHERE processorName = ? AND messageId = ?",
                (rs, i) -> rs.getTimestamp(1).toInstant(), PROCESSOR, key).stream().findFirst();
    }

    public List<FileRow> all() {
        return jdbc.query("SELECT * FROM sftp_file ORDER BY started_at", ROW);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<FileRow> ROW = (rs, i) -> new FileRow(rs.getString("file_key"), rs.getString("office"),
            rs.getString("name"), State.valueOf(rs.getString("state")), rs.getString("owner"), rs.getString("claim_dir"),
            instant(rs, "heartbeat_at"),
            rs.getInt("attempts"), instant(rs, "retry_after"), rs.getLong("items_done"), rs.getLong("last_line"),
            rs.getInt("parts"), rs.getLong("accepted"), rs.getLong("duplicate"), rs.getLong("rejected"),
            rs.getString("error"), instant(rs, "started_at"), instant(rs, "finished_at"));
}
