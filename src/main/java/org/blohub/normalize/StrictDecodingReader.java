package org.blohub.normalize;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes a byte stream strictly: bytes that are not valid in the charset raise an
 * {@link UndecodableTextException} naming the line and column, never a silent U+FFFD.
 * Everything decoded before the bad bytes is still delivered first.
 */
public final class StrictDecodingReader extends Reader {

    /** The buffers' size for a stream of unknown length. */
    private static final int BUFFER = 16 * 1024;
    /** The smallest buffers: room for the longest byte sequence of a character, many times over. */
    private static final int MIN_BUFFER = 64;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes;
    private final CharBuffer chars;
    private boolean endOfInput;
    private boolean flushed;
    private UndecodableTextException pending;
    private int line = 1;
    private int column = 0;

    public StrictDecodingReader(InputStream in, Charset charset) {
        this(in, charset, BUFFER);
    }

    /** @param length the input's length when known (buffers no larger than it: the hub decodes every message) */
    public StrictDecodingReader(InputStream in, Charset charset, int length) {
        int size = Math.max(MIN_BUFFER, Math.min(BUFFER, length));
        this.bytes = ByteBuffer.allocate(size);
        this.chars = CharBuffer.allocate(size);
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        for (int i = off; i < off + n; i++) {
            advance(buf[i]);
        }
        return n;
    }

    private void advance(char c) {
        if (c == '\n') {
            line++;
            column = 0;
        } else {
            column++;
        }
    }

    /** Decodes more characters into the (empty) char buffer; false at the end of input. */
    private boolean fill() throws IOException {
        if (pending != null) {
            throw pending;
        }
        chars.clear();
        try {
            while (chars.position() == 0) {
                if (flushed) {
                    return false;
                }
                if (!endOfInput && !bytes.hasRemaining() || bytes.remaining() < 16 && !endOfInput) {
                    bytes.compact();
                    int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
                    if (r < 0) {
                        endOfInput = true;
                    } else {
                        bytes.position(bytes.position() + r);
                    }
                    bytes.flip();
                }
                CoderResult result = decoder.decode(bytes, chars, endOfInput);
                if (result.isError()) {
                    pending = undecodable(result.length());
                    if (chars.position() == 0) {
                        throw pending;
                    }
                    return true;
                }
                if (endOfInput && !bytes.hasRemaining()) {
                    decoder.flush(chars);
                    flushed = true;
                }
            }
            return true;
        } finally {
            chars.flip();
        }
    }

    private UndecodableTextException undecodable(int length) {
        // The position is after the characters decoded so far, delivered or still in the buffer.
        int l = line;
        int c = column;
        for (int i = 0; i < chars.position(); i++) {
            if (chars.get(i) == '\n') {
                l++;
                c = 0;
            } else {
                c++;
            }
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length && bytes.position() + i < bytes.limit(); i++) {
            hex.append(i == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + i) & 0xff));
        }
        Position at = new Position(l, c + 1);
        return new UndecodableTextException("byte" + (length > 1 ? "s " : " ") + hex
                + " cannot be decoded as " + decoder.charset().name(), at);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
