package org.blohub.audit;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trace over HTTP, for operators and viewers (ApiSecurity: GET /api/** needs OPERATOR or VIEWER). Thin: the
 * console calls {@link TraceQuery} itself.
 */
@RestController
public class TraceController {

    private final TraceQuery query;

    public TraceController(TraceQuery query) {
        this.query = query;
    }

    /** The alert's trace in time order: {@code {alertId, events: [...]}}; 404 when the trace has no such alert. */
    @GetMapping(path = "/api/alerts/{alertId}/trace", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> trace(@PathVariable String alertId) {
        List<TraceEvent> events = query.trace(alertId);
        return events.isEmpty() ? ResponseEntity.notFound().build()
                : ResponseEntity.ok(Map.of("alertId", alertId, "events", events));
    }

    /**
     * Search: {@code {items, page, size, total}}, newest first. {@code status} one of {@link AlertStatus};
     * {@code from} (inclusive) and {@code to} (exclusive) are received times, ISO-8601 with an offset
     * ({@code 2026-11-23T09:00:00Z}) or a date (UTC midnight); {@code page} from 0, {@code size} 1 to
     * {@value TraceSearch#MAX_SIZE} (default {@value TraceSearch#DEFAULT_SIZE}).
     */
    @GetMapping(path = "/api/alerts", produces = MediaType.APPLICATION_JSON_VALUE)
    public TracePage search(@RequestParam(required = false) String office,
                            @RequestParam(required = false) String sourceRef,
                            @RequestParam(required = false) String agency,
                            @RequestParam(required = false) String status,
                            @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to,
                            @RequestParam(defaultValue = "0") int page,
                            @RequestParam(defaultValue = "" + TraceSearch.DEFAULT_SIZE) int size) {
        return query.search(new TraceSearch(office, sourceRef, agency, status(status), time("from", from),
                time("to", to), page, size));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("errors", List.of(e.getMessage())));
    }

    private static AlertStatus status(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return AlertStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("status must be one of " + List.of(AlertStatus.values()) + ", not '" + s + "'");
        }
    }

    static Instant time(String name, String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(s.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(name + " must be ISO-8601 with an offset (2026-11-23T09:00:00Z) "
                        + "or a date (2026-11-23), not '" + s + "'");
            }
        }
    }
}
