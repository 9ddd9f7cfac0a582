package org.blohub.audit;

import java.time.Instant;

/**
 * What {@link TraceQuery#search} looks for; every criterion is optional (null) and they all hold together.
 *
 * @param office    the sending office
 * @param sourceRef the office's own reference
 * @param agency    an agency the item was routed to
 * @param status    its status now ({@link AlertStatus})
 * @param from      received at or after (inclusive)
 * @param to        received before (exclusive)
 * @param page      0 = the first page
 * @param size      items per page, 1 to {@value #MAX_SIZE}
 */
public record TraceSearch(String office, String sourceRef, String agency, AlertStatus status, Instant from,
                          Instant to, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public TraceSearch {
        office = blankToNull(office);
        sourceRef = blankToNull(sourceRef);
        agency = blankToNull(agency);
        if (page < 0) {
            throw new IllegalArgumentException("page must be 0 or more, not " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1 to " + MAX_SIZE + ", not " + size);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /** Everything, newest first, first page. */
    public static TraceSearch all() {
        return new TraceSearch(null, null, null, null, null, null, 0, DEFAULT_SIZE);
    }

    public TraceSearch office(String v) {
        return new TraceSearch(v, sourceRef, agency, status, from, to, page, size);
    }

    public TraceSearch sourceRef(String v) {
        return new TraceSearch(office, v, agency, status, from, to, page, size);
    }

    public TraceSearch agency(String v) {
        return new TraceSearch(office, sourceRef, v, status, from, to, page, size);
    }

    public TraceSearch status(AlertStatus v) {
        return new TraceSearch(office, sourceRef, agency, v, from, to, page, size);
    }

    public TraceSearch between(Instant fromInclusive, Instant toExclusive) {
        return new TraceSearch(office, sourceRef, agency, status, fromInclusive, toExclusive, page, size);
    }

    public TraceSearch page(int p, int s) {
        return new TraceSearch(office, sourceRef, agency, status, from, to, p, s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
