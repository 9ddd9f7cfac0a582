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
        String ascii = new String(head, 0, Math.min(length, 256), StandardCharsets.ISO_8859_1);
        Matcher m = XML_DECLARATION.matcher(ascii);
        return m.find() ? Optional.of(m.group(2)) : Optional.empty();
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
     * transport declared, the one the document declares (XML), UTF-8 if the bytes are UTF-8 text,
     * the fallback (the office's default).
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
        } else {
            Optional<String> inDocument = xml ? xmlDeclaredEncoding(bytes, bytes.length) : Optional.empty();
            if (inDocument.isPresent()) {
                label = inDocument.get();
                String l = label;
                charset = charsetFor(l).orElseThrow(() -> new UnreadableInputException(
                        UnreadableInputException.Reason.CHARSET, "unknown charset '" + l + "' declared", Position.line(1)));
            } else {
                charset = undeclared(bytes, bytes.length, fallback);
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
