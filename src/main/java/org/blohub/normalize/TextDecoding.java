package org.blohub.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Charset choice and strict decoding. Labels are read as the WHATWG Encoding Standard reads them:
 * a legacy label means its superset (TIS-620 and ISO-8859-11 are windows-874, GB2312 is GBK,
 * Latin-1 and ASCII are windows-1252), because offices' software writes the superset's bytes
 * under the old label.
 */
public final class TextDecoding {

    private static final Map<String, String> SUPERSETS = Map.ofEntries(
            Map.entry("tis-620", "windows-874"), Map.entry("tis620", "windows-874"),
            Map.entry("iso-8859-11", "windows-874"), Map.entry("iso8859-11", "windows-874"),
            Map.entry("iso_8859-11", "windows-874"), Map.entry("x-iso-8859-11", "windows-874"),
            Map.entry("dos-874", "windows-874"), Map.entry("cp874", "windows-874"), Map.entry("x-windows-874", "windows-874"),
            Map.entry("gb2312", "GBK"), Map.entry("gb_2312", "GBK"), Map.entry("gb_2312-80", "GBK"),
            Map.entry("euc-cn", "GBK"), Map.entry("x-gbk", "GBK"), Map.entry("csgb2312", "GBK"),
            Map.entry("iso-8859-1", "windows-1252"), Map.entry("iso8859-1", "windows-1252"),
            Map.entry("iso_8859-1", "windows-1252"), Map.entry("latin1", "windows-1252"),
            Map.entry("l1", "windows-1252"), Map.entry("us-ascii", "windows-1252"), Map.entry("ascii", "windows-1252"),
            Map.entry("cp1252", "windows-1252"), Map.entry("cp1258", "windows-1258"), Map.entry("utf8", "UTF-8"));

    private static final Pattern XML_DECLARATION = Pattern.compile(
            "^<\\?xml\\s[^>]*?encoding\\s*=\\s*([\"'])([A-Za-z0-9._:-]+)\\1");

    private TextDecoding() {
    }

    /** The charset a label names, read as its WHATWG superset; empty when unknown here. */
    public static Optional<Charset> charsetFor(String label) {
        if (label == null || label.isBlank()) {
            return Optional.empty();
        }
        String l = label.trim().toLowerCase(Locale.ROOT);
        String name = SUPERSETS.getOrDefault(l, l);
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code charset} parameter of a Content-Type header, unquoted. Read here rather than by a
     * media-type parser, which throws on a charset Java does not know instead of saying which one it was.
     */
    public static Optional<String> contentTypeCharset(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("charset")) {
                String value = parts[i].substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1).trim();
                }
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /**
     * The charset a transport declared (MIME, HTTP, {@code --charset}): read as {@link #charsetFor} reads it, but
     * named by the label as the sender wrote it (trimmed), so that {@code provenance.declaredCharset} records
     * {@code TIS-620} and not Java's {@code x-windows-874}. Unicode charsets keep their own name.
     */
    public static Optional<Charset> declaredCharset(String label) {
        Optional<Charset> cs = charsetFor(label);
        if (cs.isEmpty()) {
            return cs;
        }
        String written = label.trim();
        Charset c = cs.get();
        if (c.name().equalsIgnoreCase(written) || c.name().startsWith("UTF-")) {
            return cs;
        }
        try {
            return Optional.of(new Labelled(written, c));
        } catch (IllegalCharsetNameException e) {
            return cs;
        }
    }

    /** A charset that decodes and encodes as another but bears the label it was declared by. */
    private static final class Labelled extends Charset {

        private final Charset actual;

        Labelled(String label, Charset actual) {
            super(label, new String[0]);
            this.actual = actual;
        }

        @Override
        public boolean contains(Charset cs) {
            return actual.contains(cs);
        }

        @Override
        public java.nio.charset.CharsetDecoder newDecoder() {
            return actual.newDecoder();
        }

        @Override
        public java.nio.charset.CharsetEncoder newEncoder() {
            return actual.newEncoder();
        }
    }

    /** The charset of a byte order mark at the start of {@code head}, if any, and its length. */
    public static Optional<Bom> bom(byte[] head, int length) {
        if (length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            return Optional.of(new Bom(StandardCharsets.UTF_8, 3));
        }
        if (length >= 2 && (head[0] & 0xff) == 0xFE && (head[1] & 0xff) == 0xFF) {
            return Optional.of(new Bom(StandardCharsets.UTF_16BE, 2));
        }
        if (length >= 2 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xFE) {
            return Optional.of(new Bom(StandardCharsets.UTF_16LE, 2));
        }
        return Optional.empty();
    }

    public record Bom(Charset charset, int length) {
    }

    /** The encoding label of an XML declaration at the start of an ASCII-compatible head, if any. */
    public static Optional<String> xmlDeclaredEncoding(byte[] head, int length) {
        return xmlDeclaredEncoding(new String(head, 0, Math.min(length, 256), StandardCharsets.ISO_8859_1));
    }

    private static Optional<String> xmlDeclaredEncoding(String head) {
        Matcher m = XML_DECLARATION.matcher(head);
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    /**
     * UTF-16 XML without a byte order mark, told by its first characters {@code <?} as XML 1.0 (Appendix F) says:
     * {@code 3C 00 3F 00} is UTF-16LE, {@code 00 3C 00 3F} UTF-16BE.
     */
    public static Optional<Charset> xmlUtf16(byte[] head, int length) {
        if (length < 4) {
            return Optional.empty();
        }
        if (head[0] == 0x3C && head[1] == 0 && head[2] == 0x3F && head[3] == 0) {
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        if (head[0] == 0 && head[1] == 0x3C && head[2] == 0 && head[3] == 0x3F) {
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        return Optional.empty();
    }

    /**
     * The charset of input that declares none: UTF-8 when its head holds non-ASCII text that is
     * valid UTF-8 (legacy 8-bit text almost never is), else the office's default.
     */
    public static Charset undeclared(byte[] head, int length, Charset officeDefault) {
        if (officeDefault.equals(StandardCharsets.UTF_8)) {
            return officeDefault;
        }
        boolean nonAscii = false;
        int i = 0;
        while (i < length) {
            int b = head[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            nonAscii = true;
            int more = b >= 0xF0 && b <= 0xF4 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 && b <= 0xDF ? 1 : -1;
            if (b >= 0xF5 || more < 0) {
                return officeDefault;
            }
            for (int k = 1; k <= more; k++) {
                if (i + k >= length) {
                    return StandardCharsets.UTF_8; // a sequence cut by the end of the head
                }
                if ((head[i + k] & 0xC0) != 0x80) {
                    return officeDefault;
                }
            }
            i += more + 1;
        }
        return nonAscii ? StandardCharsets.UTF_8 : officeDefault;
    }

    /**
     * Refuses 7-bit text in an ISO-2022 encoding (ISO-2022-JP, -KR, -CN: escape sequences such as {@code ESC $ B}
     * or {@code ESC $ ) C}) that came without a charset: it passes for ASCII, and read as such it would be
     * accepted as mojibake. Nothing is refused when the charset it is read in ({@code chosen}, e.g. an office's
     * default) is an ISO-2022 one.
     */
    public static void refuseUndeclaredIso2022(byte[] head, int length, Charset chosen) throws UnreadableInputException {
        if (chosen.name().toUpperCase(Locale.ROOT).startsWith("ISO-2022")) {
            return;
        }
        int line = 1;
        int column = 0;
        for (int i = 0; i < length; i++) {
            int b = head[i] & 0xff;
            if (b == '\n') {
                line++;
                column = 0;
                continue;
            }
            column++;
            if (b != 0x1B || i + 2 >= length) {
                continue;
            }
            String looks = iso2022(head, i, length);
            if (looks != null) {
                StringBuilder seq = new StringBuilder("ESC");
                for (int k = i + 1; k < length && k <= i + 3 && (head[k] & 0xff) >= 0x20 && (head[k] & 0xff) < 0x7f; k++) {
                    seq.append(' ').append((char) head[k]);
                    if ((head[k] & 0xff) >= 0x40) {
                        break; // the final byte of the escape sequence
                    }
                }
                throw new UnreadableInputException(UnreadableInputException.Reason.CHARSET, "the text looks like "
                        + looks + " (escape sequence " + seq + ") but declares no charset: declare it (e.g. charset="
                        + looks + " in the Content-Type, or --charset " + looks + ")", new Position(line, column));
            }
        }
    }

    /** The ISO-2022 encoding whose designation sequence starts at {@code head[i]} (an ESC), or null. */
    private static String iso2022(byte[] head, int i, int length) {
        int b1 = head[i + 1] & 0xff;
        int b2 = head[i + 2] & 0xff;
        int b3 = i + 3 < length ? head[i + 3] & 0xff : -1;
        if (b1 == '$' && (b2 == '@' || b2 == 'B' || b2 == 'A')) {
            return b2 == 'A' ? "ISO-2022-CN" : "ISO-2022-JP"; // JIS X 0208 (ESC $ @, ESC $ B); GB 2312 (ESC $ A)
        }
        if (b1 == '(' && (b2 == 'J' || b2 == 'I')) {
            return "ISO-2022-JP"; // JIS X 0201 Roman or Katakana
        }
        if (b1 == '$' && b2 == '(' && (b3 == 'D' || b3 == 'Q' || b3 == 'O')) {
            return "ISO-2022-JP"; // JIS X 0212, JIS X 0213
        }
        if (b1 == '$' && b2 == ')' && b3 == 'C') {
            return "ISO-2022-KR"; // KS X 1001
        }
        if (b1 == '$' && (b2 == ')' || b2 == '*' || b2 == '+') && (b3 == 'A' || b3 == 'G' || b3 == 'H' || b3 == 'E')) {
            return "ISO-2022-CN"; // GB 2312, CNS 11643, ISO-IR-165
        }
        return null;
    }

    /**
     * Reads at most {@code max} bytes; more is an error, so a huge input never sits in memory (the JDK reads it in
     * chunks of 8 KB, and stops one byte past the limit).
     */
    public static byte[] readBounded(InputStream in, long max) throws UnreadableInputException {
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        } catch (IOException e) {
            throw new UnreadableInputException(UnreadableInputException.Reason.IO, "cannot read input: " + e.getMessage(),
                    Position.UNKNOWN, e);
        }
        if (bytes.length > max) {
            throw new UnreadableInputException(UnreadableInputException.Reason.TOO_LARGE,
                    "input is larger than the limit of " + max + " bytes", Position.UNKNOWN);
        }
        return bytes;
    }

    /** Reads a whole document (bounded by the context's limit) and decodes it strictly, as {@link #decode} says. */
    public static Decoded readDocument(InputStream in, ReadContext ctx, boolean xml) throws UnreadableInputException {
        byte[] bytes = readBounded(in, ctx.limits().maxDocumentBytes());
        return decode(bytes, ctx.declaredCharset(), ctx.fallbackCharset(null), xml);
    }

    /**
     * Decodes a whole document strictly. The charset is, in order: a byte order mark, the one the
     * transport declared, UTF-16 told by an XML document's first characters, the one the document declares (XML),
     * UTF-8 if the bytes are UTF-8 text, the fallback (the office's default). Undeclared ISO-2022 text is refused.
     */
    public static Decoded decode(byte[] bytes, Charset declared, Charset fallback, boolean xml)
            throws UnreadableInputException {
        Optional<Bom> bom = bom(bytes, bytes.length);
        Charset charset;
        String label = null;
        int skip = 0;
        if (bom.isPresent()) {
            charset = bom.get().charset();
            skip = bom.get().length();
        } else if (declared != null) {
            charset = declared;
            label = declared.name();
        } else if (xml && xmlUtf16(bytes, bytes.length).isPresent()) {
            // the declaration says "UTF-16" (or nothing); the byte order is the one its first characters show
            charset = xmlUtf16(bytes, bytes.length).get();
            label = xmlDeclaredEncoding(new String(bytes, 0, Math.min(bytes.length, 512) & ~1, charset)).orElse(null);
        } else {
            Optional<String> inDocument = xml ? xmlDeclaredEncoding(bytes, bytes.length) : Optional.empty();
            if (inDocument.isPresent()) {
                label = inDocument.get();
                String l = label;
                charset = charsetFor(l).orElseThrow(() -> new UnreadableInputException(
                        UnreadableInputException.Reason.CHARSET, "unknown charset '" + l + "' declared", Position.line(1)));
            } else {
                charset = undeclared(bytes, bytes.length, fallback);
                refuseUndeclaredIso2022(bytes, bytes.length, charset);
            }
        }
        int length = bytes.length - skip;
        StringBuilder out = new StringBuilder(length);
        try (StrictDecodingReader reader = new StrictDecodingReader(
                new java.io.ByteArrayInputStream(bytes, skip, length), charset, length)) {
            char[] buf = new char[Math.max(16, Math.min(8192, length))];
            for (int r; (r = reader.read(buf)) >= 0; ) {
                out.append(buf, 0, r);
            }
        } catch (UndecodableTextException e) {
            throw new UnreadableInputException(UnreadableInputException.Reason.CHARSET, e.getMessage(), e.at(), e);
        } catch (IOException e) {
            throw new UnreadableInputException(UnreadableInputException.Reason.IO, e.getMessage(), Position.UNKNOWN, e);
        }
        return new Decoded(out.toString(), charset, label);
    }

    /** Text decoded from bytes, with the charset used and the label the input declared (null if none). */
    public record Decoded(String text, Charset charset, String declaredLabel) {
    }
}
