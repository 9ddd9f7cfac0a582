package org.blohub.normalize.flat;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.normalize.AlertReader;
import org.blohub.normalize.Draft;
import org.blohub.normalize.Position;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.StrictDecodingReader;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UndecodableTextException;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.normalize.UnreadableInputException.Reason;
import org.blohub.normalize.flat.FlatFields.Key;

import java.io.BufferedInputStream;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A CSV batch (DESIGN §5.4): RFC 4180, a header row of flat keys, one alert per row. Streamed:
 * each row is handed over as soon as it is read, and only one row is ever held, so a file of a
 * million rows costs no more memory than a file of one.
 */
public final class CsvAlertReader implements AlertReader {

    // RFC 4180 as is; empty lines come through as one empty cell and are skipped here, so that
    // the parser's line count stays the count of physical lines (each row's line is exact).
    private static final CSVFormat FORMAT = CSVFormat.RFC4180;

    @Override
    public OriginalFormat format() {
        return OriginalFormat.CSV;
    }

    @Override
    public void read(InputStream in, ReadContext ctx, Consumer<Draft> sink) throws UnreadableInputException {
        int maxRowChars = ctx.limits().maxRowChars();
        try {
            BufferedInputStream bytes = new BufferedInputStream(in, 64 * 1024);
            Charset charset;
            String declaredLabel = null;
            bytes.mark(64 * 1024);
            byte[] head = bytes.readNBytes(64 * 1024);
            bytes.reset();
            Optional<TextDecoding.Bom> bom = TextDecoding.bom(head, head.length);
            if (bom.isPresent()) {
                charset = bom.get().charset();
                bytes.skipNBytes(bom.get().length());
            } else if (ctx.declaredCharset() != null) {
                charset = ctx.declaredCharset();
                declaredLabel = charset.name();
            } else {
                charset = TextDecoding.undeclared(head, head.length, ctx.fallbackCharset(null));
                TextDecoding.refuseUndeclaredIso2022(head, head.length, charset);
            }
            RowBound text = new RowBound(new StrictDecodingReader(bytes, charset), maxRowChars);
            CSVParser parser = CSVParser.builder().setReader(text).setFormat(FORMAT).get();
            Iterator<CSVRecord> records = parser.iterator();

            CSVRecord first = next(records, 1, maxRowChars);
            if (first == null) {
                throw new UnreadableInputException(Reason.MALFORMED, "empty, no header row", Position.line(1));
            }
            Key[] columns = header(first);
            while (true) {
                // the parser has consumed every line of the rows before: this row starts on the next
                long rowStart = parser.getCurrentLineNumber() + 1;
                text.rowStarts();
                CSVRecord row = next(records, rowStart, maxRowChars);
                if (row == null) {
                    break;
                }
                if (row.size() == 1 && row.get(0).isEmpty()) {
                    continue; // a blank line
                }
                sink.accept(draft(row, columns, rowStart, maxRowChars, ctx, declaredLabel));
            }
        } catch (IOException e) {
            throw unreadable(e, 1, maxRowChars);
        }
    }

    /** The next record, null at the end; the parser's failures as the input's. */
    private static CSVRecord next(Iterator<CSVRecord> records, long rowStart, int maxRowChars)
            throws UnreadableInputException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw unreadable(e.getCause(), rowStart, maxRowChars);
        }
    }

    /** The header's keys, column by column; an unknown or repeated column makes the file unreadable. */
    private static Key[] header(CSVRecord header) throws UnreadableInputException {
        Key[] columns = new Key[header.size()];
        Map<Key, Integer> seen = new EnumMap<>(Key.class);
        for (int i = 0; i < columns.length; i++) {
            String name = header.get(i).strip();
            if (name.isEmpty()) {
                throw malformedHeader("column " + (i + 1) + " has no name");
            }
            Key key = FlatFields.key(name).orElseThrow(() -> malformedHeader(
                    "unknown column '" + name + "' (known: " + FlatFields.knownKeys() + ")"));
            Integer before = seen.put(key, i);
            if (before != null) {
                throw malformedHeader("column '" + name + "' appears twice (columns " + (before + 1) + " and " + (i + 1) + ")");
            }
            columns[i] = key;
        }
        return columns;
    }

    private static Draft draft(CSVRecord row, Key[] columns, long line, int maxRowChars, ReadContext ctx,
                               String declaredLabel) throws UnreadableInputException {
        Position at = Position.line((int) Math.min(line, Integer.MAX_VALUE));
        int n = row.size();
        long chars = n - 1L;
        for (int i = 0; i < n; i++) {
            chars += row.get(i).length();
        }
        if (chars > maxRowChars) {
            throw tooLong(line, maxRowChars);
        }
        FlatFields.Form form = new FlatFields.Form();
        if (n != columns.length) {
            form.problem("", "row has " + n + " cell" + (n == 1 ? "" : "s") + " but the header has " + columns.length
                    + " columns", at);
        }
        for (int i = 0, m = Math.min(n, columns.length); i < m; i++) {
            form.set(columns[i], row.get(i), at);
        }
        return form.toDraft(ctx, OriginalFormat.CSV, ctx.sourceName() + "#" + line, at, declaredLabel);
    }

    private static UnreadableInputException unreadable(Throwable e, long rowStart, int maxRowChars) {
        if (e instanceof UndecodableTextException u) {
            return new UnreadableInputException(Reason.CHARSET, u.getMessage(), u.at(), u);
        }
        if (e instanceof RowTooLongException) {
            return tooLong(rowStart, maxRowChars);
        }
        if (e instanceof org.apache.commons.csv.CSVException) {
            // a quote left open at the end, or text after a closing quote: no row boundary can be trusted after it
            String what = e.getMessage() != null && e.getMessage().contains("EOF reached before encapsulated token")
                    ? "a quoted cell opened in this row is never closed"
                    : "malformed quoting (" + e.getMessage() + ")";
            return new UnreadableInputException(Reason.MALFORMED, what,
                    Position.line((int) Math.min(rowStart, Integer.MAX_VALUE)), e);
        }
        return new UnreadableInputException(Reason.IO, "cannot read input: " + e.getMessage(), Position.UNKNOWN, e);
    }

    private static UnreadableInputException tooLong(long line, int maxRowChars) {
        return new UnreadableInputException(Reason.TOO_LARGE, "row longer than the limit of "
                + maxRowChars + " characters (a quote left open?)", Position.line((int) Math.min(line, Integer.MAX_VALUE)));
    }

    private static UnreadableInputException malformedHeader(String message) {
        return new UnreadableInputException(Reason.MALFORMED, "header: " + message, Position.line(1));
    }

    /**
     * Counts the characters the parser pulls for the current row and stops it when they exceed the
     * limit, so that an open quote cannot swallow the rest of the file into memory. The parser reads
     * ahead by a buffer, so the count may be off by that much either way: the bound is the limit
     * plus one chunk (never a false alarm), and the exact length is checked on the parsed row.
     */
    private static final class RowBound extends FilterReader {

        private static final int CHUNK = 8192;
        private final long bound;
        private long sinceRowStart;

        RowBound(Reader in, int maxRowChars) {
            super(in);
            this.bound = (long) maxRowChars + CHUNK;
        }

        void rowStarts() {
            sinceRowStart = 0;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                count(1);
            }
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, Math.min(len, CHUNK));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RowTooLongException {
            sinceRowStart += n;
            if (sinceRowStart > bound) {
                throw new RowTooLongException();
            }
        }
    }

    private static final class RowTooLongException extends IOException {
        RowTooLongException() {
            super("row too long");
        }
    }
}
