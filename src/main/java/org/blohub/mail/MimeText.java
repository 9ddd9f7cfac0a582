package org.blohub.mail;

import org.blohub.normalize.TextDecoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mail text the hub reads itself rather than through Jakarta Mail, because Jakarta Mail maps charset labels to the JDK's
 * strict charsets (GB2312, TIS-620) while offices' mailers write the supersets' bytes under those labels (DESIGN §5.5):
 * header values with RFC 2047 encoded-words, raw 8-bit headers, and format=flowed bodies (RFC 3676).
 */
public final class MimeText {

    /** {@code =?charset[*lang]?B|Q?text?=} (RFC 2047, RFC 2231 §5 language suffix). */
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s*]+)(?:\\*[^?\\s]*)?\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private MimeText() {
    }

    /**
     * A header value as text: unfolded; raw 8-bit bytes (a header Jakarta Mail read byte by byte) as UTF-8 when they are
     * UTF-8, else in {@code fallback} (the office's charset); encoded-words decoded with labels read as their supersets,
     * adjacent words of one charset decoded together (mailers split a multi-byte character across words); whitespace
     * between encoded-words dropped; control characters as spaces; NFC.
     */
    public static String decodeHeader(String value, Charset fallback) {
        if (value == null) {
            return "";
        }
        String unfolded = value.replaceAll("\r?\n(?=[ \t])", "").replace("\r", "").replace("\n", "");
        String text = raw8bit(unfolded, fallback == null ? StandardCharsets.UTF_8 : fallback);
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = ENCODED_WORD.matcher(text);
        int last = 0;
        boolean previousWasWord = false;
        Charset pendingCharset = null;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String gap = text.substring(last, m.start());
            Optional<Charset> cs = TextDecoding.charsetFor(m.group(1));
            if (cs.isEmpty()) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(gap).append(m.group());
                previousWasWord = false;
                last = m.end();
                continue;
            }
            if (!(previousWasWord && gap.isBlank())) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(gap);
            }
            byte[] bytes = m.group(2).equalsIgnoreCase("B") ? base64(m.group(3)) : quoted(m.group(3));
            if (pendingCharset != null && !pendingCharset.equals(cs.get())) {
                flush(out, pending, pendingCharset);
            }
            pendingCharset = cs.get();
            pending.writeBytes(bytes);
            previousWasWord = true;
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text.substring(last));
        return clean(out.toString());
    }

    /**
     * A header unfolded: CR, LF and TAB as single spaces, trimmed, NFC. Every other control character stays, so that
     * the alert's check refuses it naming the field instead of the hub quietly changing what the office wrote.
     */
    public static String clean(String s) {
        String spaced = s.codePoints()
                .map(c -> c == '\r' || c == '\n' || c == '\t' ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip();
        return Normalizer.normalize(spaced, Normalizer.Form.NFC);
    }

    /** A header Jakarta Mail read byte by byte (chars 0-255) holding non-ASCII bytes: decoded as UTF-8 or the fallback. */
    static String raw8bit(String s, Charset fallback) {
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return s; // already Unicode text
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return s;
        }
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        Charset cs = TextDecoding.undeclared(bytes, bytes.length, fallback);
        return new String(bytes, cs);
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (charset != null && pending.size() > 0) {
            out.append(new String(pending.toByteArray(), charset));
        }
        pending.reset();
    }

    private static byte[] base64(String s) {
        String t = s.replaceAll("[^A-Za-z0-9+/]", "");
        int pad = (4 - t.length() % 4) % 4;
        if (pad == 3) {
            t = t.substring(0, t.length() - 1); // a lone sextet carries no byte
            pad = 0;
        }
        try {
            return Base64.getDecoder().decode(t + "=".repeat(pad));
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] quoted(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                out.write(c & 0xFF);
            }
        }
        return out.toByteArray();
    }

    /**
     * Undoes format=flowed (RFC 3676) on text in an ASCII-compatible charset: space-stuffing removed, a line ending in a
     * space (a soft break) joined to the next (with delsp=yes without that space). The signature separator
     * {@code "-- "} is never a soft break. Line ends are kept as the input had them.
     */
    public static byte[] unflow(byte[] in, boolean delSp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        int n = in.length;
        while (i < n) {
            int end = i;
            while (end < n && in[end] != '\n') {
                end++;
            }
            int contentEnd = end > i && in[end - 1] == '\r' ? end - 1 : end;
            int start = i;
            if (start < contentEnd && in[start] == ' ') {
                start++; // space-stuffed
            }
            boolean signature = contentEnd - start == 3 && in[start] == '-' && in[start + 1] == '-' && in[start + 2] == ' ';
            boolean soft = !signature && contentEnd > start && in[contentEnd - 1] == ' ' && end < n;
            int copyEnd = soft && delSp ? contentEnd - 1 : contentEnd;
            out.write(in, start, copyEnd - start);
            if (!soft) {
                out.write(in, contentEnd, Math.min(end + 1, n) - contentEnd); // the line end as it was
            }
            i = end + 1;
        }
        return out.toByteArray();
    }

    /**
     * {@code text} in {@code charset}, or empty if some character has no encoding there. A character the charset has no
     * precomposed form for is written as a canonically equivalent sequence it has: windows-1258 writes Vietnamese
     * {@code ệ} as {@code ê} followed by a combining dot below, as Vietnamese Windows software does.
     */
    static Optional<byte[]> encode(String text, Charset charset) {
        CharsetEncoder enc = charset.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder equivalent = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String c = new String(Character.toChars(cp));
            i += c.length();
            if (enc.canEncode(c)) {
                equivalent.append(c);
                continue;
            }
            String e = encodableEquivalent(c, enc);
            if (e == null) {
                return Optional.empty();
            }
            equivalent.append(e);
        }
        try {
            ByteBuffer b = enc.encode(java.nio.CharBuffer.wrap(equivalent));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return Optional.of(bytes);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The base letter composed with some of its marks, then the other marks: the first such form the encoder can write. */
    private static String encodableEquivalent(String c, CharsetEncoder enc) {
        String d = Normalizer.normalize(c, Normalizer.Form.NFD);
        if (d.length() < 2 || d.length() > 5) {
            return null;
        }
        String base = d.substring(0, 1);
        String marks = d.substring(1);
        int n = marks.length();
        for (int size = n; size >= 0; size--) {
            for (int mask = (1 << n) - 1; mask >= 0; mask--) {
                if (Integer.bitCount(mask) != size) {
                    continue;
                }
                StringBuilder with = new StringBuilder(base);
                StringBuilder rest = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    ((mask & (1 << k)) != 0 ? with : rest).append(marks.charAt(k));
                }
                String candidate = Normalizer.normalize(with, Normalizer.Form.NFC) + rest;
                if (enc.canEncode(candidate)
                        && Normalizer.normalize(candidate, Normalizer.Form.NFC).equals(Normalizer.normalize(c, Normalizer.Form.NFC))) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
