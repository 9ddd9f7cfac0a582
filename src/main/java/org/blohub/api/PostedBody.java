package org.blohub.api;

import org.blohub.alert.CleanText;
import org.blohub.normalize.TextDecoding;
import org.springframework.http.HttpStatus;

import java.nio.charset.Charset;
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
        Optional<String> label = TextDecoding.contentTypeCharset(contentType);
        if (label.isEmpty()) {
            return new PostedBody(null, null, null);
        }
        Optional<Charset> charset = TextDecoding.declaredCharset(label.get()).filter(PostedBody::decodes);
        if (charset.isEmpty()) {
            String shown = label.get().length() > MAX_LABEL ? label.get().substring(0, MAX_LABEL) + "…" : label.get();
            return new PostedBody(null, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type: charset \""
                    + CleanText.escape(shown) + "\" is not a charset the hub can decode; send UTF-8 "
                    + "(charset=utf-8) or a charset Java knows; nothing was accepted");
        }
        return new PostedBody(charset.get(), null, null);
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
