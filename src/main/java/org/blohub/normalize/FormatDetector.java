package org.blohub.normalize;

import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.blohub.normalize.xml.SafeXml;
import org.blohub.normalize.xml.XmlElement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells the inbound format (DESIGN §5) by content, never by file name: JSON by its first
 * character, XML by its root element's namespace, CSV by a header of known field names, the
 * email form by a {@code Key: Value} first line.
 */
public final class FormatDetector {

    static final String CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2";
    static final String CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1";
    static final String BLO_XML = "urn:blo:alert:1";

    private static final int HEAD = 64 * 1024;
    private static final Pattern PROLOG = Pattern.compile(
            "\\A\\s*(?:<\\?.*?\\?>\\s*|<!--.*?-->\\s*|<!DOCTYPE(?:[^\\[>]|\\[.*?])*>\\s*)*", Pattern.DOTALL);
    private static final Pattern ROOT = Pattern.compile("\\A<(?:([\\w.-]+):)?([\\w.-]+)([^>]*)>", Pattern.DOTALL);
    private static final Pattern FORM_LINE = Pattern.compile("\\A[A-Za-z][A-Za-z0-9]*\\s*:.*");
    /** Keys a CSV header or a form may use (DESIGN §5, flat forms); a CSV header must name sourceRef. */
    private static final Set<String> FLAT_KEYS = Set.of("sourceref", "office", "sentat", "status", "msgtype",
            "references", "category", "urgency", "severity", "certainty", "language", "headline", "description",
            "areas", "areacountry", "unlocode", "lat", "lon", "countriesconcerned", "subjects", "tlp",
            "handlingcodes", "gradingsource", "gradinginformation", "addressees");

    private FormatDetector() {
    }

    /** Peeks at the head of the stream (which must support mark/reset) and names its format. */
    public static OriginalFormat detect(BufferedInputStream in, ReadContext ctx) throws UnreadableInputException {
        byte[] head;
        try {
            in.mark(HEAD + 1);
            head = in.readNBytes(HEAD); // as long as the input when shorter: no 64 KB per message
            in.reset();
        } catch (IOException e) {
            throw new UnreadableInputException(Reason.IO, "cannot read input: " + e.getMessage(), Position.UNKNOWN, e);
        }
        int n = head.length;
        if (n == 0) {
            throw new UnreadableInputException(Reason.UNKNOWN_FORMAT, "empty input", Position.line(1));
        }
        String text = sniffText(head, n);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return OriginalFormat.JSON;
        }
        if (trimmed.startsWith("<")) {
            return xml(text, in, ctx);
        }
        String firstLine = trimmed.lines().findFirst().orElse("");
        if (isCsvHeader(firstLine)) {
            return OriginalFormat.CSV;
        }
        if (FORM_LINE.matcher(firstLine).matches()) {
            return OriginalFormat.EMAIL_FORM;
        }
        throw new UnreadableInputException(Reason.UNKNOWN_FORMAT, "unknown format: expected JSON, BLO XML, CAP, "
                + "a CSV header naming the fields (sourceRef,...) or a 'Key: Value' form", Position.line(1));
    }

    /**
     * The head as text good enough to sniff: ASCII-compatible unless a UTF-16 byte order mark, or XML's {@code <?}
     * in UTF-16 without one, says otherwise.
     */
    private static String sniffText(byte[] head, int n) {
        Optional<TextDecoding.Bom> bom = TextDecoding.bom(head, n);
        Charset cs = bom.map(TextDecoding.Bom::charset)
                .orElse(TextDecoding.xmlUtf16(head, n).orElse(StandardCharsets.ISO_8859_1));
        if (cs == StandardCharsets.UTF_8) {
            cs = StandardCharsets.ISO_8859_1;
        }
        int skip = bom.map(TextDecoding.Bom::length).orElse(0);
        int end = cs == StandardCharsets.ISO_8859_1 ? n : skip + ((n - skip) & ~1);
        return new String(head, skip, end - skip, cs);
    }

    private static OriginalFormat xml(String text, BufferedInputStream in, ReadContext ctx) throws UnreadableInputException {
        Matcher prolog = PROLOG.matcher(text);
        int rootStart = prolog.lookingAt() ? prolog.end() : 0;
        Matcher root = ROOT.matcher(text.substring(rootStart));
        if (root.find() && !text.substring(0, rootStart).contains("<!DOCTYPE")) {
            String prefix = root.group(1);
            Matcher ns = Pattern.compile("xmlns" + (prefix == null ? "" : ":" + Pattern.quote(prefix))
                    + "\\s*=\\s*([\"'])(.*?)\\1").matcher(root.group(3));
            String namespace = ns.find() ? ns.group(2).trim() : "";
            if (namespace.equals(CAP_12) || namespace.equals(CAP_11)) {
                return OriginalFormat.CAP;
            }
            if (namespace.equals(BLO_XML)) {
                return OriginalFormat.BLO_XML;
            }
        }
        // Not one we know from its head: parse it safely, so hostile XML is refused for what it is.
        TextDecoding.Decoded decoded = TextDecoding.readDocument(in, ctx, true);
        XmlElement e = SafeXml.parse(decoded.text(), ctx.limits());
        throw new UnreadableInputException(Reason.UNKNOWN_FORMAT, "unknown XML format: root element <" + e.name() + ">"
                + (e.namespace().isEmpty() ? " in no namespace" : " in namespace " + e.namespace())
                + "; expected CAP 1.2/1.1 (" + CAP_12 + ") or BLO XML (" + BLO_XML + ")", e.at());
    }

    private static boolean isCsvHeader(String line) {
        if (!line.contains(",")) {
            return false;
        }
        boolean sourceRef = false;
        for (String cell : line.split(",", -1)) {
            String key = cell.trim().replace("\"", "").toLowerCase(Locale.ROOT);
            sourceRef |= key.equals("sourceref");
            if (key.isEmpty()) {
                return false;
            }
        }
        // Unknown columns in a header naming sourceRef are the CSV reader's to report, by name.
        return sourceRef;
    }
}
