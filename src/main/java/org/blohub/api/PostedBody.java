package org.blohub.api;

import org.blohub.alert.CleanText;
import org.blohub.normalize.TextDecoding;
import org.springframework.http.HttpStatus;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;

/**
 * What the headers of a POSTed alert say about its body, checked before a byte of it is read: a charset the hub
 * cannot decode is 415, a Content-Length above the limit 413. A chunked body (no Content-Length) passes here and is
 * read up to the limit + 1 byte.
 *
 * @param charset the charset the Content-Type names, as its WHATWG superset; null when it names none
 * @param refusal the status to answer with instead of reading the body; null when the body may be read
 * @param reason  why, for the answer's {@code errors}; null when not refused
 */
public record PostedBody(Charset charset, HttpStatus refusal, String reason) {

    /** Longest charset label shown in a reason: the header is the sender's. */
    private static final int MAX_LABEL = 64;

    public static PostedBody check(String contentType, long contentLength, long maxBytes) {
        if (contentLength > maxBytes) {
            return new PostedBody(null, HttpStatus.PAYLOAD_TOO_LARGE, "the body of " + contentLength
                    + " bytes (Content-Length) is larger than the limit of " + maxBytes + " bytes; nothing was read");
        }
        Optional<String> label = charsetLabel(contentType);
        if (label.isEmpty()) {
            return new PostedBody(null, null, null);
        }
        Optional<Charset> charset = TextDecoding.charsetFor(label.get()).filter(PostedBody::decodes);
        if (charset.isEmpty()) {
            String shown = label.get().length() > MAX_LABEL ? label.get().substring(0, MAX_LABEL) + "…" : label.get();
            return new PostedBody(null, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type: charset \""
                    + CleanText.escape(shown) + "\" is not a charset the hub can decode; send UTF-8 "
                    + "(charset=utf-8) or a charset Java knows; nothing was accepted");
        }
        return new PostedBody(charset.get(), null, null);
    }

    /**
     * The {@code charset} parameter of a Content-Type header, unquoted. Read here rather than by Spring's MediaType,
     * which throws on a charset Java does not know instead of saying which one it was.
     */
    static Optional<String> charsetLabel(String contentType) {
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

    private static boolean decodes(Charset charset) {
        try {
            charset.newDecoder();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
