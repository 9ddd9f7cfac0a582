package org.blohub.operations;

import org.blohub.alert.CleanText;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit of operator actions (table {@code operator_action}, Flyway V5): who, when, what, on which queue and
 * message, for which alert, with what outcome. Never the alert body. Logins the hub stops taking for a while after
 * failed attempts are recorded here too ({@link Action#LOGIN_THROTTLED}, {@link #loginThrottled}).
 *
 * <p>An action is recorded in two steps: {@link #begin} before it is taken (outcome {@link Outcome#PENDING}; if that
 * write fails the action is not taken) and {@link #finish} once it is done, failed or found nothing. A crash between
 * the two leaves the PENDING row: the trail shows the action was started, and by whom.
 */
public final class OperatorAudit {

    /** What an operator did. */
    public enum Action {
        INSPECT_DEAD_LETTER, REPLAY_DEAD_LETTER, DISCARD_DEAD_LETTER,
        INSPECT_QUARANTINED, READ_QUARANTINED_ORIGINAL, RESUBMIT_QUARANTINED, DISCARD_QUARANTINED,
        /** logins of a user, or from a client address, refused for a while after too many failures */
        LOGIN_THROTTLED
    }

    /** How it ended. */
    public enum Outcome {
        /** started, not (yet) finished: a crash in between leaves this */
        PENDING,
        OK,
        /** the message was not there (any more): nothing was done */
        NOT_FOUND,
        /** refused before anything was changed (e.g. no office to re-submit as) */
        REFUSED,
        /** failed and rolled back: nothing was changed */
        FAILED
    }

    /** One audit row. */
    public record Entry(long id, OffsetDateTime at, String operator, Action action, String queue, String messageId,
                        String alertId, Outcome outcome, OffsetDateTime finishedAt, String detail) {
    }

    static final int MAX_DETAIL = 2000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OperatorAudit(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records that {@code operator} starts {@code action}; returns the row's id for {@link #finish}. */
    public long begin(String operator, Action action, String queue, String messageId, String alertId) {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(action, "action");
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO operator_action (acted_at, operator_name, action, "
                    + "target_queue, message_id, alert_id, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)", new String[]{"id"});
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, cut(operator, 100));
            ps.setString(3, action.name());
            ps.setString(4, cut(queue, 300));
            ps.setString(5, cut(messageId, 300));
            ps.setString(6, cut(alertId, 100));
            ps.setString(7, Outcome.PENDING.name());
            return ps;
        }, key);
        return Objects.requireNonNull(key.getKey(), "generated id").longValue();
    }

    /** Completes a row {@link #begin} wrote; {@code alertId} fills it in when only the action found it out. */
    public void finish(long id, Outcome outcome, String alertId, String detail) {
        jdbc.update("UPDATE operator_action SET outcome = ?, finished_at = ?, detail = ?, "
                        + "alert_id = COALESCE(alert_id, ?) WHERE id = ?",
                outcome.name(), Timestamp.from(clock.instant()), cut(detail, MAX_DETAIL), cut(alertId, 100), id);
    }

    /** Records an action that changes nothing (an inspection) in one step. */
    public void record(String operator, Action action, String queue, String messageId, String alertId,
                       Outcome outcome, String detail) {
        finish(begin(operator, action, queue, messageId, alertId), outcome, alertId, detail);
    }

    /**
     * Records that logins are refused for a while: {@code user} is the name the failed attempts gave (from outside,
     * so escaped), {@code detail} says from where, how many failures and until when.
     */
    public void loginThrottled(String user, String detail) {
        String who = CleanText.escape(user == null ? "" : user);
        record(who.isEmpty() ? "(none)" : who, Action.LOGIN_THROTTLED, null, null, null, Outcome.REFUSED, detail);
    }

    /** Newest first; each filter is optional (null or blank: any). */
    public Page<Entry> page(int page, int size, String operator, Action action, String alertId) {
        long first = Page.first(page, size);
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (operator != null && !operator.isBlank()) {
            where.append(" AND operator_name = ?");
            args.add(operator);
        }
        if (action != null) {
            where.append(" AND action = ?");
            args.add(action.name());
        }
        if (alertId != null && !alertId.isBlank()) {
            where.append(" AND alert_id = ?");
            args.add(alertId);
        }
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM operator_action" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add(first);
        List<Entry> items = jdbc.query("SELECT id, acted_at, operator_name, action, target_queue, message_id, alert_id, "
                + "outcome, finished_at, detail FROM operator_action" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                (rs, i) -> entry(rs), pageArgs.toArray());
        return new Page<>(items, page, size, total == null ? 0 : total);
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getObject("acted_at", OffsetDateTime.class), rs.getString("operator_name"),
                Action.valueOf(rs.getString("action")), rs.getString("target_queue"), rs.getString("message_id"),
                rs.getString("alert_id"), Outcome.valueOf(rs.getString("outcome")),
                rs.getObject("finished_at", OffsetDateTime.class), rs.getString("detail"));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
