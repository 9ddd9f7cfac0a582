package org.blohub.alert;

/**
 * Control characters in text that comes from outside. Alert text may hold TAB, LF and CR and no other C0
 * control, no DEL and no C1 control; names taken from a transport (file names, subjects, Message-IDs, user
 * names) become ids, XML and log lines only through {@link #escape}.
 */
public final class CleanText {

    private CleanText() {
    }

    /** Whether this code point may not appear in alert text: C0 other than TAB/LF/CR, DEL, C1. */
    public static boolean forbidden(int codePoint) {
        return (codePoint < 0x20 && codePoint != '\t' && codePoint != '\n' && codePoint != '\r')
                || (codePoint >= 0x7f && codePoint <= 0x9f);
    }

    /** The index (in chars) of the first forbidden control character of {@code s}, or -1 if there is none. */
    public static int firstForbidden(String s) {
        if (s == null) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (forbidden(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** How a control character is named in a message: {@code U+001B}. */
    public static String name(int codePoint) {
        return String.format("U+%04X", codePoint);
    }

    /**
     * {@code s} with every control character (TAB, LF and CR too) and every backslash written as {@code \\uXXXX}:
     * one printable line, safe as an id, in XML and in a log. Null stays null.
     */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (needsEscape(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\\' || c == '\u2028' || c == '\u2029';
    }
}
