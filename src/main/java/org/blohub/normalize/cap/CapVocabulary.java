package org.blohub.normalize.cap;

import java.util.ArrayList;
import java.util.List;

/**
 * The CAP names BLO Hub reads and writes: the CAP namespaces and the {@code urn:blo:*} value names
 * with which the hub's own CAP rendering carries what CAP has no element for, so that reading it
 * back restores the alert exactly. One place for both directions, so they cannot drift apart.
 */
public final class CapVocabulary {

    public static final String CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2";
    public static final String CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1";

    /** CAP's own default for an info block without {@code language}. */
    public static final String DEFAULT_LANGUAGE = "en-US";

    public static final String CATEGORY = "urn:blo:category";
    public static final String SCHEMA_VERSION = "urn:blo:schemaVersion";
    public static final String SOURCE_REF = "urn:blo:sourceRef";
    public static final String RECEIVED_AT = "urn:blo:receivedAt";
    public static final String SENT_AT = "urn:blo:sentAt";
    public static final String HANDLING_CODES = "urn:blo:handlingCodes";
    public static final String GRADING = "urn:blo:grading";
    public static final String COUNTRIES_CONCERNED = "urn:blo:countriesConcerned";
    public static final String ADDRESSEES = "urn:blo:addressees";
    public static final String REFERENCES = "urn:blo:references";
    public static final String SUBJECT = "urn:blo:subject";
    public static final String ATTACHMENT = "urn:blo:attachment";
    public static final String PROVENANCE = "urn:blo:provenance";

    /** Geocode value names of an area. */
    public static final String GEO_COUNTRY = "ISO3166-1";
    public static final String GEO_UN_LOCODE = "UN/LOCODE";
    public static final String GEO_POINT = "urn:blo:point";

    private CapVocabulary() {
    }

    public static boolean isCapNamespace(String namespace) {
        return CAP_12.equals(namespace) || CAP_11.equals(namespace);
    }

    /**
     * Splits CAP's {@code addresses}: whitespace separates, double quotes group an address that
     * contains spaces (CAP 1.2 §3.2.1).
     */
    public static List<String> splitAddresses(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any && !current.isEmpty()) {
                    result.add(current.toString());
                }
                current.setLength(0);
                any = false;
            } else {
                current.append(c);
                any = true;
            }
        }
        if (!current.isEmpty()) {
            result.add(current.toString());
        }
        return result;
    }

    /** Joins addresses the way {@link #splitAddresses} reads them back. */
    public static String joinAddresses(List<String> addresses) {
        StringBuilder out = new StringBuilder();
        for (String a : addresses) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            boolean quote = a.chars().anyMatch(Character::isWhitespace);
            out.append(quote ? "\"" + a + "\"" : a);
        }
        return out.toString();
    }
}
