package org.blohub.audit;

import org.blohub.audit.TraceEvent.Event;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the trace (table {@code alert_trace}): the trace of one alert, and the search operators use. Plain SQL that
 * runs on H2 (PostgreSQL mode) and PostgreSQL alike.
 *
 * <p>The search lists <em>items</em>: one alert as one inbound message carried it (the same alert sent again is
 * an item of its own, DUPLICATE); an input that never became an alert is an item too (QUARANTINED). Each has the
 * status defined in {@link AlertStatus}, computed from its rows when asked (the hot path only appends rows).
 */
public class TraceQuery {

    private static final String COLUMNS = "event_at, event, item_id, alert_id, office, source_ref, original_id, "
            + "channel, agency, rule_name, attempt, duplicate_of, raw_sha256, detail";

    private final JdbcTemplate jdbc;

    public TraceQuery(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every row of an alert, in time order (attempts of a redelivered message and every re-send included). */
    public List<TraceEvent> trace(String alertId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_trace WHERE alert_id = ? ORDER BY event_at, id",
                EVENT, alertId);
    }

    /** The rows of one item, in time order: for an input that never became an alert, its whole trace. */
    public List<TraceEvent> traceOfItem(String itemId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM alert_trace WHERE item_id = ? ORDER BY event_at, id",
                EVENT, itemId);
    }

    /** Items matching every criterion given, newest first (received time), one page, with the total. */
    public TracePage search(TraceSearch s) {
        List<Object> params = new ArrayList<>();
        String items = items(s, params);
        String order = " ORDER BY received_at DESC, item_id";
        long total;
        List<TraceItem> found;
        if (s.status() == null) {
            // the page first, then the status of its items only
            total = count("SELECT COUNT(*) FROM " + items, params);
            found = page("SELECT * FROM " + summary("(SELECT * FROM " + items + order + " LIMIT ? OFFSET ?) g")
                    + order, params, s);
        } else {
            // the status of every candidate: narrow it by office, sourceRef, agency or received time
            List<Object> withStatus = new ArrayList<>(params);
            withStatus.add(s.status().name());
            total = count("SELECT COUNT(*) FROM " + summary(items) + " WHERE status = ?", withStatus);
            found = page("SELECT * FROM " + summary(items) + " WHERE status = ?" + order + " LIMIT ? OFFSET ?",
                    withStatus, s);
        }
        return new TracePage(withAgencies(found), s.page(), s.size(), total);
    }

    /**
     * The items matching the criteria, from their RECEIVED rows (received time = the first attempt's), as a derived
     * table {@code g}. (Derived tables and correlated subqueries only, no WITH: H2 2.3.232 re-runs a query whose
     * WITH clause has parameters with the first run's values when the session reuses the statement, as the hub's
     * pool does; h2database issue #4228. The store tests run H2 pooled to catch that.)
     */
    private static String items(TraceSearch s, List<Object> params) {
        StringBuilder where = new StringBuilder("r.event = 'RECEIVED'");
        if (s.office() != null) {
            where.append(" AND r.office = ?");
            params.add(s.office());
        }
        if (s.sourceRef() != null) {
            where.append(" AND r.source_ref = ?");
            params.add(s.sourceRef());
        }
        if (s.agency() != null) {
            where.append(" AND r.item_id IN (SELECT a.item_id FROM alert_trace a WHERE a.agency = ? AND a.event = 'ROUTED')");
            params.add(s.agency());
        }
        if (s.status() != null) {
            // the rare states have a row of their own: only items with one can have them (the status is still
            // checked on the summary); DELIVERED and ACCEPTED are worked out for every candidate
            switch (s.status()) {
                case DUPLICATE, REJECTED, QUARANTINED -> {
                    where.append(" AND r.item_id IN (SELECT n.item_id FROM alert_trace n WHERE n.event = ?)");
                    params.add(s.status().name());
                }
                case FAILED -> where.append(" AND r.alert_id IN (SELECT n.alert_id FROM alert_trace n WHERE n.event = 'FAILED')");
                default -> { }
            }
        }
        // received time = the item's first RECEIVED row; both bounds on the rows themselves, so an index serves them
        if (s.from() != null) {
            // every attempt at or after from: none before it
            where.append(" AND r.event_at >= ? AND NOT EXISTS (SELECT 1 FROM alert_trace e WHERE e.item_id = r.item_id"
                    + " AND e.event = 'RECEIVED' AND e.event_at < ?)");
            params.add(utc(s.from()));
            params.add(utc(s.from()));
        }
        if (s.to() != null) {
            // the first attempt before to (later attempts are left out of the group; its minimum stays the first)
            where.append(" AND r.event_at < ?");
            params.add(utc(s.to()));
        }
        return "(SELECT r.item_id, MIN(r.event_at) AS received_at, MAX(r.alert_id) AS alert_id,"
                + " MAX(r.office) AS office, MAX(r.source_ref) AS source_ref, MAX(r.original_id) AS original_id,"
                + " MAX(r.channel) AS channel"
                + " FROM alert_trace r WHERE " + where
                + " GROUP BY r.item_id) g";
    }

    /** The last delivery event recorded for the routed row {@code x}'s (alert, agency). */
    private static final String LAST_DELIVERY = "(SELECT d.event FROM alert_trace d WHERE d.id = (SELECT MAX(m.id)"
            + " FROM alert_trace m WHERE m.alert_id = x.alert_id AND m.agency = x.agency"
            + " AND m.event IN ('QUEUED', 'DELIVERED', 'FAILED')))";

    /**
     * The items of the derived table {@code g} with their status ({@link AlertStatus}), as a derived table
     * {@code summary}: each item's last stage row, and for a routed item the last delivery event of each agency it
     * was routed to. "Last" is the last recorded (the highest id): rows are appended in the order things happen
     * to an item, across attempts and hub instances alike (an event's own time may be a little earlier, as a
     * delivery recorded when its message commits). Correlated subqueries on the item's and the alert's own rows,
     * each an index lookup.
     */
    private static String summary(String items) {
        return "(SELECT i.item_id, i.received_at, i.alert_id, i.office, i.source_ref, i.original_id, i.channel,"
                + " st.detail AS reason, st.duplicate_of,"
                + " CASE"
                + "  WHEN st.event IN ('DUPLICATE', 'REJECTED', 'QUARANTINED') THEN st.event"
                + "  WHEN st.event <> 'ROUTED' THEN 'ACCEPTED'"
                + "  WHEN EXISTS (SELECT 1 FROM alert_trace x WHERE x.item_id = i.item_id AND x.event = 'ROUTED'"
                + "   AND " + LAST_DELIVERY + " = 'FAILED') THEN 'FAILED'"
                + "  WHEN NOT EXISTS (SELECT 1 FROM alert_trace x WHERE x.item_id = i.item_id AND x.event = 'ROUTED'"
                + "   AND COALESCE(" + LAST_DELIVERY + ", 'PENDING') <> 'DELIVERED') THEN 'DELIVERED'"
                + "  ELSE 'ACCEPTED'"
                + " END AS status"
                + " FROM (SELECT g.*, (SELECT MAX(s.id) FROM alert_trace s WHERE s.item_id = g.item_id"
                + "   AND s.event IN ('RECEIVED', 'NORMALIZED', 'DUPLICATE', 'ROUTED', 'REJECTED', 'QUARANTINED'))"
                + "   AS stage_id FROM " + items + ") i"
                + " JOIN alert_trace st ON st.id = i.stage_id"
                + ") summary";
    }

    private long count(String sql, List<Object> params) {
        Long n = jdbc.queryForObject(sql, Long.class, params.toArray());
        return n == null ? 0 : n;
    }

    private List<TraceItem> page(String sql, List<Object> params, TraceSearch s) {
        List<Object> all = new ArrayList<>(params);
        all.add(s.size());
        all.add((long) s.page() * s.size());
        return jdbc.query(sql, (rs, i) -> new TraceItem(rs.getString("item_id"), rs.getString("alert_id"),
                rs.getString("office"), rs.getString("source_ref"), rs.getString("original_id"),
                rs.getString("channel"), instant(rs, "received_at"), AlertStatus.valueOf(rs.getString("status")),
                reasonOf(rs), rs.getString("duplicate_of"), List.of()), all.toArray());
    }

    private static String reasonOf(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        return status.equals("REJECTED") || status.equals("QUARANTINED") ? rs.getString("reason") : null;
    }

    /** Adds each item's recipients with their latest delivery event (two queries for the whole page). */
    private List<TraceItem> withAgencies(List<TraceItem> items) {
        List<String> itemIds = items.stream().filter(i -> i.alertId() != null).map(TraceItem::itemId).toList();
        if (itemIds.isEmpty()) {
            return items;
        }
        String marks = String.join(", ", Collections.nCopies(itemIds.size(), "?"));
        Map<String, Map<String, String>> routedTo = new LinkedHashMap<>();
        jdbc.query("SELECT item_id, agency, rule_name FROM alert_trace WHERE event = 'ROUTED' AND item_id IN ("
                + marks + ") ORDER BY id", rs -> {
            routedTo.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                    .putIfAbsent(rs.getString(2), rs.getString(3));
        }, itemIds.toArray());
        List<String> alertIds = items.stream().filter(i -> routedTo.containsKey(i.itemId()))
                .map(TraceItem::alertId).distinct().toList();
        Map<String, TraceItem.AgencyState> latest = new LinkedHashMap<>();
        if (!alertIds.isEmpty()) {
            jdbc.query("SELECT alert_id, agency, event, event_at, attempt, detail FROM alert_trace"
                    + " WHERE event IN ('QUEUED', 'DELIVERED', 'FAILED') AND alert_id IN ("
                    + String.join(", ", Collections.nCopies(alertIds.size(), "?")) + ") ORDER BY id", rs -> {
                String event = rs.getString(3);
                boolean failed = event.equals(Event.FAILED.name());
                int attempt = rs.getInt(5);
                Integer failedAttempt = failed && !rs.wasNull() ? attempt : null;
                latest.put(rs.getString(1) + "\n" + rs.getString(2), new TraceItem.AgencyState(rs.getString(2), null,
                        event, instant(rs, "event_at"), failedAttempt, failed ? rs.getString(6) : null));
            }, alertIds.toArray());
        }
        List<TraceItem> out = new ArrayList<>(items.size());
        for (TraceItem i : items) {
            Map<String, String> agencies = routedTo.get(i.itemId());
            if (agencies == null) {
                out.add(i);
                continue;
            }
            List<TraceItem.AgencyState> states = new ArrayList<>();
            agencies.forEach((agency, rule) -> {
                TraceItem.AgencyState s = latest.get(i.alertId() + "\n" + agency);
                states.add(s == null ? new TraceItem.AgencyState(agency, rule, "PENDING", null, null, null)
                        : new TraceItem.AgencyState(agency, rule, s.state(), s.at(), s.attempt(), s.error()));
            });
            out.add(new TraceItem(i.itemId(), i.alertId(), i.office(), i.sourceRef(), i.originalId(), i.channel(),
                    i.receivedAt(), i.status(), i.reason(), i.duplicateOf(), states));
        }
        return out;
    }

    private static final RowMapper<TraceEvent> EVENT = (rs, i) -> {
        int attempt = rs.getInt("attempt");
        Integer a = rs.wasNull() ? null : attempt;
        return new TraceEvent(instant(rs, "event_at"), Event.valueOf(rs.getString("event")), rs.getString("item_id"),
                rs.getString("alert_id"), rs.getString("office"), rs.getString("source_ref"),
                rs.getString("original_id"), rs.getString("channel"), rs.getString("agency"),
                rs.getString("rule_name"), a, rs.getString("duplicate_of"), rs.getString("raw_sha256"),
                rs.getString("detail"));
    };

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
