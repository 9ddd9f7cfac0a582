package org.blohub.monitor;

import java.util.Locale;

/**
 * Why an input was quarantined or an alert rejected, as a metric tag: a small fixed set, never the free text of the
 * reason (which names fields and positions, and would make a new time series per input).
 */
public enum QuarantineReason {
    HOSTILE_XML, TOO_LARGE, TOO_DEEP, CHARSET, UNKNOWN_FORMAT, MALFORMED, UNKNOWN_SENDER, UNROUTABLE, INVALID;

    /** The class of a reason as the quarantine words it (org.blohub.quarantine.Quarantine). */
    public static QuarantineReason of(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("doctype") || r.contains("dtd") || r.contains("entit") || r.contains("xinclude")) {
            return HOSTILE_XML;
        }
        if (r.contains("too large") || r.contains("larger than") || r.contains("longer than") || r.contains("size limit")) {
            return TOO_LARGE;
        }
        if (r.contains("too deep") || r.contains("nesting") || r.contains("depth")) {
            return TOO_DEEP;
        }
        if (r.contains("decod") || r.contains("charset")) {
            return CHARSET;
        }
        if (r.contains("unknown format") || r.contains("unknown xml format") || r.contains("not blo xml")
                || r.contains("not a cap") || r.contains("empty input")) {
            return UNKNOWN_FORMAT;
        }
        if (r.contains("malformed") || r.contains("unclosed") || r.contains("no root")) {
            return MALFORMED;
        }
        if (r.contains("unknown sender")) {
            return UNKNOWN_SENDER;
        }
        if (r.contains("addressees") || r.contains("may receive")) {
            return UNROUTABLE;
        }
        return INVALID;
    }
}
