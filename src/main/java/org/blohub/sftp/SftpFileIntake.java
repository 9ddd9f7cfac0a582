package org.blohub.sftp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.blohub.alert.Alert;
import org.blohub.alert.AlertJson;
import org.blohub.alert.CleanText;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.FormatDetector;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Origin;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.receipts.Receipt;
import org.blohub.sftp.SftpFiles.FileRow;
import org.blohub.sftp.SftpFiles.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads one file an office dropped in its SFTP inbox (the {@code ingest-sftp} route has claimed it: renamed it out of
 * the inbox and registered it in the idempotent repository). Streamed: the file is read from the server as the
 * readers ask for it, and only one chunk of alerts ({@code blo.sftp.chunk-rows}, 500) is ever held.
 *
 * <p>Each chunk goes through {@code direct:sftp-chunk} (dedupe, route, deliver, quarantine) inside one JMS
 * transaction; once it has committed, the chunk's receipts and the file's progress (the checkpoint: alerts handed
 * over, last line) are written to {@link SftpFiles} in one JDBC transaction. An attempt that fails on a transient
 * fault ({@link SftpFaults}: broker, database, SFTP connection) releases the file with a backoff; the recovery puts it
 * back in the inbox and the next attempt resumes after the checkpoint: the alerts before it are read again (the input is streamed, not seekable) but not
 * handed over again. Should the hub die between a chunk's commit and its checkpoint, that one chunk is handed over
 * again: its alert ids, the ledger (same {@code file#line}: a redelivery) and the broker's duplicate ids keep any
 * agency from getting an alert twice.
 *
 * <p>A chunk that fails on a permanent fault (an alert that cannot be rendered) is handed over again one alert at a
 * time, and the alert that still fails is rejected at once (REJECTED receipt row, quarantine); should not even its
 * rejection go through, the file ends in {@code error/}. Either way it is never retried. The file's name is escaped
 * ({@link CleanText#escape}) wherever it becomes an id ({@code name#row}), a receipt's name, XML or a log line.
 *
 * <p>When every alert is handed over: the receipt file {@code receipts/<name>.receipt.json} (one receipt per alert, in
 * input order, streamed from the stored parts), for an unreadable file {@code error/<name>.reason.txt}, then the row
 * is final and the route's commit moves the file to {@code done/} or {@code error/}.
 */
public final class SftpFileIntake implements Processor {

    /** Exchange properties the route sets from its template parameters. */
    public static final String OFFICE = "bloOffice";
    public static final String HOME = "bloSftpHome";
    /** Set here: {@code done} or {@code error}, the directory the route's commit moves the file to. */
    public static final String OUTCOME = "bloSftpOutcome";
    /** On each chunk: when this upload was first taken (an earlier claim of the same row is an earlier upload's). */
    public static final String STARTED_AT = "bloSftpStartedAt";

    private static final Logger LOG = LoggerFactory.getLogger(SftpFileIntake.class);
    private static final ObjectMapper JSON = AlertJson.mapper();

    /** Called after each chunk has committed and been checkpointed (tests make an attempt fail there). */
    @FunctionalInterface
    public interface ChunkListener {
        void committed(String office, String file, long itemsDone) throws Exception;
    }

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final AlertIntake intake;
    private final OfficeRegistry offices;
    private final InputLimits limits;
    private final SftpFiles files;
    private final SftpReceiptStore parts;
    private final SftpEndpoints endpoints;
    private final int chunkRows;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final String owner;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile ChunkListener listener = (o, f, n) -> { };

    public SftpFileIntake(CamelContext camel, AlertIntake intake, OfficeRegistry offices, InputLimits limits,
                          SftpFiles files, SftpReceiptStore parts, SftpEndpoints endpoints, int chunkRows, Duration retryDelay,
                          Duration maxRetryDelay, String owner) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("blo.sftp.chunk-rows must be >= 1: " + chunkRows);
        }
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.intake = intake;
        this.offices = offices;
        this.limits = limits;
        this.files = files;
        this.parts = parts;
        this.endpoints = endpoints;
        this.chunkRows = chunkRows;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.owner = owner;
    }

    public void setListener(ChunkListener listener) {
        this.listener = listener == null ? (o, f, n) -> { } : listener;
    }

    /** Files this instance is reading now (their keys): the recovery leaves them alone whatever their heartbeat. */
    public boolean isInFlight(String key) {
        return inFlight.contains(key);
    }

    /** This hub instance's name in {@code sftp_file.owner}. */
    public String owner() {
        return owner;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String office = exchange.getProperty(OFFICE, String.class);
        String home = exchange.getProperty(HOME, String.class);
        Message in = exchange.getIn();
        String rawName = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        // the office's file name, escaped: the only form that becomes an id (name#row), a receipt's name, XML or a log
        String name = CleanText.escape(rawName);
        long size = in.getHeader(Exchange.FILE_LENGTH, Long.class);
        long modified = in.getHeader(Exchange.FILE_LAST_MODIFIED, Long.class);
        String key = SftpFiles.key(home, rawName, size, modified);
        if (!inFlight.add(key)) {
            throw new IllegalStateException("SFTP file " + home + "/" + name + " is already being read here");
        }
        FileRow row = null;
        try {
            row = files.claim(key, office, rawName, owner, exchange.getExchangeId());
            String fileId = SftpReceiptStore.fileId(key);
            if (row.state() == State.PROCESSING) {
                SftpReceiptStore.Progress progress = parts.progress(fileId);
                if (progress.itemsDone() < row.itemsDone()) {
                    // the database's copy is written only after a chunk committed: the broker cannot truly be behind it
                    throw new IllegalStateException("the checkpoint read from the broker (" + progress.itemsDone()
                            + " alerts) is behind the database's (" + row.itemsDone() + "): not resumed from it, so "
                            + "that no alert is handed over twice");
                }
                if (row.attempts() > 1) {
                    LOG.info("SFTP {}/inbox/{}: attempt {}, resuming after {} alert(s) (line {})", home, name,
                            row.attempts(), progress.itemsDone(), progress.lastLine());
                }
                Object body = in.getBody();
                if (body instanceof org.apache.camel.StreamCache) {
                    // Camel read the whole file into a cache first: it would not stream (the route needs streamCache false)
                    throw new IllegalStateException("the SFTP route caches the file instead of streaming it");
                }
                Result result;
                try {
                    result = read(in.getBody(InputStream.class), size, row, progress, office, home, name);
                } catch (PermanentFault f) {
                    // not even its rejection could be handed over: the file ends here, in error/, never retried
                    result = new Result(State.ERROR, f.getMessage());
                }
                SftpReceiptStore.Progress done = parts.progress(fileId);
                writeReceipt(home, name, row, fileId, done, result);
                if (result.state() == State.ERROR) {
                    writeReason(home, name, result);
                }
                files.finish(key, result.state(), result.error());
                parts.delete(fileId);
                row = files.find(key).orElseThrow();
                LOG.info("SFTP {}/inbox/{} from {}: {} alert(s): {} accepted, {} duplicate, {} rejected -> {}/", home,
                        name, office, done.items(), done.accepted(), done.duplicate(), done.rejected(), dir(row.state()));
            } else {
                // finished by an earlier attempt that could not move it: only the move is left
                parts.delete(fileId);
                LOG.info("SFTP {}/{}: already {}, moving it to {}/", home, name, row.state(), dir(row.state()));
            }
            exchange.setProperty(OUTCOME, dir(row.state()));
        } catch (Exception | Error e) {
            int attempts = row == null ? 1 : row.attempts();
            Duration backoff = backoff(attempts);
            try {
                files.release(key, e.toString(), Instant.now().plus(backoff));
            } catch (RuntimeException dbDown) {
                e.addSuppressed(dbDown);
            }
            LOG.warn("SFTP {}/{} from {}: attempt {} failed, retried in {} s from its checkpoint: {}", home, name, office,
                    attempts, backoff.toSeconds(), CleanText.escape(e.toString()));
            throw e;
        } finally {
            inFlight.remove(key);
        }
    }

    Duration backoff(int attempts) {
        long ms = retryDelay.toMillis() * (1L << Math.min(attempts - 1, 20));
        return Duration.ofMillis(Math.min(ms, maxRetryDelay.toMillis()));
    }

    private static String dir(State state) {
        return state == State.ERROR ? "error" : "done";
    }

    /** How the reading ended: read to the end (DONE), or unreadable from some point on (ERROR, why). */
    record Result(State state, String error) {
    }

    private Result read(InputStream body, long size, FileRow row, SftpReceiptStore.Progress progress, String office,
                        String home, String name) throws Exception {
        Office o = offices.find(office).orElseThrow(() -> new IllegalStateException("unknown office " + office));
        ReadContext ctx = new ReadContext(name, o, offices, null, limits);
        Origin origin = new Origin(Alert.Channel.SFTP, name, null, false);
        Chunks chunks = new Chunks(row, progress, office, home, name);
        String error = null;
        try (InputStream stream = body) {
            if (stream == null) {
                throw new IOException("no content for " + name + " (the SFTP consumer must stream: streamDownload=true)");
            }
            BufferedInputStream buffered = new BufferedInputStream(stream);
            refuseByItsSize(buffered, size, ctx);
            intake.read(buffered, ctx, origin, chunks::accept);
        } catch (ChunkFailed f) {
            throw f.cause;
        } catch (UnreadableInputException e) {
            if (e.reason() == UnreadableInputException.Reason.IO) {
                throw new IOException("reading " + home + "/" + name + " failed: " + e.getMessage(), e); // the transport, not the file
            }
            error = (e.at().known() ? "line " + e.at() + ": " : "") + e.getMessage();
            Problem p = new Problem("", e.getMessage(), e.at());
            chunks.accept(new Outcome.Rejected(null, office, name, p.at(), List.of(p)));
        }
        chunks.flush();
        return new Result(error == null ? State.DONE : State.ERROR, error);
    }

    /**
     * A JSON or XML document is read whole: one larger than {@code blo.ingest.max-document-bytes} is refused by the size
     * the server lists, after a look at its head (the format) and before its body is read. A CSV batch is streamed, row
     * by row, whatever its size.
     */
    private static void refuseByItsSize(BufferedInputStream in, long size, ReadContext ctx)
            throws UnreadableInputException {
        long max = ctx.limits().maxDocumentBytes();
        if (size > max && FormatDetector.detect(in, ctx) != Alert.OriginalFormat.CSV) {
            throw new UnreadableInputException(UnreadableInputException.Reason.TOO_LARGE, "the file is " + size
                    + " bytes, larger than the limit of " + max + " bytes for one JSON or XML document", Position.UNKNOWN);
        }
    }

    /** Gathers outcomes into chunks and hands each over in one transaction; skips what an earlier attempt handed over. */
    private final class Chunks {

        private final FileRow row;
        private final String office;
        private final String home;
        private final String name;
        private final String fileId;
        private final byte[] reference;
        private final List<Outcome> chunk = new ArrayList<>(chunkRows);
        private final long skip;
        private long ordinal;
        private long lastLine;
        private long lastLineHandedOver;
        private int part;
        private long accepted;
        private long duplicate;
        private long rejected;

        Chunks(FileRow row, SftpReceiptStore.Progress progress, String office, String home, String name) {
            this.row = row;
            this.office = office;
            this.home = home;
            this.name = name;
            this.fileId = SftpReceiptStore.fileId(row.key());
            this.reference = reference(office, home, name);
            this.skip = progress.itemsDone();
            this.lastLine = progress.lastLine();
            this.lastLineHandedOver = progress.lastLine();
            this.part = progress.parts();
            this.accepted = progress.accepted();
            this.duplicate = progress.duplicate();
            this.rejected = progress.rejected();
        }

        void accept(Outcome outcome) {
            ordinal++;
            if (ordinal <= skip) {
                return; // handed over by an earlier attempt
            }
            chunk.add(outcome);
            lastLine = Math.max(lastLine, line(outcome));
            if (chunk.size() >= chunkRows) {
                try {
                    flush();
                } catch (Exception e) {
                    throw new ChunkFailed(e);
                }
            }
        }

        void flush() throws Exception {
            if (chunk.isEmpty()) {
                return;
            }
            List<Outcome> items = new ArrayList<>(chunk);
            chunk.clear();
            try {
                handOver(items, ordinal, lastLine);
            } catch (Exception e) {
                if (SftpFaults.isTransient(e)) {
                    throw e;
                }
                // one of them can never be handed over (its content, a rendering): each on its own, that one rejected
                LOG.warn("SFTP {}/{}: a chunk of {} alert(s) could not be handed over ({}); handing them over one by one",
                        home, name, items.size(), SftpFaults.describe(e));
                long done = ordinal - items.size();
                long line = lastLineHandedOver;
                for (Outcome item : items) {
                    done++;
                    line = Math.max(line, line(item));
                    handOverOrReject(item, done, line);
                    committed(done, line);
                }
                return;
            }
            committed(ordinal, lastLine);
        }

        private void handOverOrReject(Outcome item, long done, long line) throws Exception {
            try {
                handOver(List.of(item), done, line);
                return;
            } catch (Exception e) {
                if (SftpFaults.isTransient(e)) {
                    throw e;
                }
                Outcome rejected = rejection(item, e);
                LOG.warn("SFTP {}/{}: {} rejected: {}", home, name, originalId(item), SftpFaults.describe(e));
                try {
                    handOver(List.of(rejected), done, line);
                } catch (Exception again) {
                    if (SftpFaults.isTransient(again)) {
                        throw again;
                    }
                    throw new PermanentFault(originalId(item) + " could not be handed over, nor rejected: "
                            + SftpFaults.describe(again), again);
                }
            }
        }

        private Outcome rejection(Outcome item, Exception e) {
            long l = line(item);
            Position at = l > 0 && l <= Integer.MAX_VALUE ? Position.line((int) l) : Position.UNKNOWN;
            return new Outcome.Rejected(item.sourceRef(), office, originalId(item), at,
                    List.of(new Problem("", "cannot be handed over: " + SftpFaults.describe(e), at)));
        }

        /** Hands {@code items} over in one transaction; {@code itemsDone} and {@code lineDone} are the checkpoint after them. */
        private void handOver(List<Outcome> items, long itemsDone, long lineDone) throws Exception {
            List<Object> receipts = new ArrayList<>(items.size());
            Exchange x = new DefaultExchange(camel);
            x.setProperty(Inbound.PROPERTY, new Inbound(office, Alert.Channel.SFTP, name, reference, null, receipts));
            x.setProperty(STARTED_AT, row.startedAt());
            x.setProperty(SftpReceiptStore.FILE_ID, fileId);
            x.setProperty(SftpReceiptStore.PART, part + 1);
            x.setProperty(SftpReceiptStore.ITEMS_DONE, itemsDone);
            x.setProperty(SftpReceiptStore.LAST_LINE, lineDone);
            x.getIn().setBody(new ArrayList<>(items));
            producer.send("direct:sftp-chunk", x);
            if (x.getException() != null) {
                throw x.getException();
            }
            // committed, the chunk's receipts and the file's progress with it
            part++;
            for (Object r : receipts) {
                switch (((Receipt) r).status()) {
                    case ACCEPTED -> accepted++;
                    case DUPLICATE -> duplicate++;
                    case REJECTED -> rejected++;
                }
            }
            if (receipts.size() != items.size()) {
                LOG.warn("SFTP {}/{}: {} receipts for {} alerts", home, name, receipts.size(), items.size());
            }
            lastLineHandedOver = lineDone;
        }

        /** After a commit (outside the fault handling above: a failure here fails the attempt, which is retried). */
        private void committed(long itemsDone, long lineDone) throws Exception {
            // for the operators (and the recovery: a live heartbeat); the broker's part is the checkpoint itself
            files.checkpoint(row.key(), owner, new SftpReceiptStore.Progress(part, itemsDone, lineDone, accepted,
                    duplicate, rejected));
            listener.committed(office, name, itemsDone);
        }
    }

    /** The line an outcome comes from (CSV: its row's line; otherwise its position in the file, if known). */
    static long line(Outcome outcome) {
        String originalId = outcome instanceof Outcome.Accepted a && a.alert().provenance() != null
                ? a.alert().provenance().originalId()
                : outcome instanceof Outcome.Rejected r ? r.originalId() : null;
        if (outcome instanceof Outcome.Rejected r && r.at().known()) {
            return r.at().line();
        }
        if (originalId != null) {
            int hash = originalId.lastIndexOf('#');
            if (hash >= 0) {
                try {
                    return Long.parseLong(originalId.substring(hash + 1));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * What quarantine keeps for an SFTP alert: not the bytes (a file may be a million rows, and its original stays on
     * the server), but where they are; the message's {@code bloItem} names the row ({@code file#line}).
     */
    static byte[] reference(String office, String home, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("channel", "SFTP");
        n.put("office", office);
        n.put("file", name);
        n.put("keptAt", home + "/done/" + name + " once read to the end, " + home + "/error/" + name
                + " if it could not be; rows are named by bloItem (file#line)");
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- replies on the server ------------------------------------------------------------------------------

    private void writeReceipt(String home, String name, FileRow row, String fileId, SftpReceiptStore.Progress done,
                              Result result) throws Exception {
        ObjectNode head = JSON.createObjectNode();
        head.put("file", name);
        head.put("office", row.office());
        head.put("status", result.state().name());
        if (result.error() != null) {
            head.put("error", result.error());
        }
        head.put("alerts", done.items());
        head.put("accepted", done.accepted());
        head.put("duplicate", done.duplicate());
        head.put("rejected", done.rejected());
        head.put("lastLine", done.lastLine());
        head.put("attempts", row.attempts());
        head.put("receivedAt", row.startedAt().toString());
        head.put("completedAt", Instant.now().toString());
        String h = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(head);
        // spooled to a local file (streamed from the broker, one part at a time), then uploaded as a stream
        Path spool = Files.createTempFile("blo-receipt-", ".json");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool))) {
                out.write((h.substring(0, h.lastIndexOf('}')).stripTrailing() + ",\n  \"receipts\" : [\n")
                        .getBytes(StandardCharsets.UTF_8));
                parts.forEachPart(fileId, done.parts(), (n, gzipped) -> {
                    if (n > 1) {
                        out.write(",\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    try (InputStream p = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                        p.transferTo(out);
                    }
                });
                out.write("\n  ]\n}\n".getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream body = Files.newInputStream(spool)) {
                upload(endpoints.producerUri(home + "/receipts"), replyName(name) + ".receipt.json", body);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private void writeReason(String home, String name, Result result) throws Exception {
        String text = name + " could not be read: " + result.error() + "\n"
                + "Alerts handed over before that point are listed in receipts/" + replyName(name) + ".receipt.json;"
                + " nothing after it was read.\n"
                + "The file is kept here in error/ as it was received. Correct it and drop it in inbox/ again:"
                + " alerts already accepted are not sent twice.\n";
        upload(endpoints.producerUri(home + "/error"), replyName(name) + ".reason.txt",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The name of a reply file for the file {@code escaped} ({@link CleanText#escape}): the escaped name with each
     * backslash as '_', since the SFTP producer takes a backslash for a directory separator.
     * A file {@code esc<ESC>.csv} (escaped: backslash, u001b) is answered in {@code receipts/esc_u001b.csv.receipt.json}.
     */
    public static String replyName(String escaped) {
        return escaped.replace('\\', '_');
    }

    private void upload(String uri, String fileName, InputStream body) throws Exception {
        Exchange x = new DefaultExchange(camel);
        x.getIn().setHeader(Exchange.FILE_NAME, fileName);
        x.getIn().setBody(body);
        producer.send(uri, x);
        if (x.getException() != null) {
            throw x.getException();
        }
    }

    /** The outcome's {@code file#line} (escaped), or the file's name. */
    private static String originalId(Outcome item) {
        String id = item instanceof Outcome.Accepted a && a.alert().provenance() != null
                ? a.alert().provenance().originalId()
                : item instanceof Outcome.Rejected r ? r.originalId() : null;
        return CleanText.escape(id == null ? item.sourceRef() : id);
    }

    /** An item no retry can hand over, whose rejection could not be handed over either: the file ends in error/. */
    private static final class PermanentFault extends Exception {
        PermanentFault(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A chunk could not be handed over: unwinds the reader, then rethrown as the cause. */
    private static final class ChunkFailed extends RuntimeException {
        private final Exception cause;

        ChunkFailed(Exception cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
