package org.blohub.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.SynchronizationAdapter;
import org.blohub.alert.CleanText;
import org.blohub.dedupe.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes a mail polled from the hub's mailbox in: its bytes as they are on the server (fetched with IMAP PEEK, so the
 * mail stays unseen until the exchange completes), read by {@link MailReader} into a {@link MailJob} (exchange property
 * {@value MailJob#PROPERTY}, its key in {@value MailJob#KEY}). Every header of the mail is dropped from the exchange:
 * nothing a sender writes reaches a later stage or a producer.
 *
 * <p>A mail whose processing fails stays unseen and is read again at the next poll. One that fails
 * {@code maxAttempts} times in a row (a fault in the mail that no retry mends) is then refused as a whole: quarantined
 * with its bytes and the last error, answered, and marked seen, so it stops coming back. The count is kept in memory:
 * a restart gives such a mail its attempts again, which costs retries, never the mail. Its ledger claims are released
 * first, so that the office can send the alerts again in a new mail.
 */
public final class MailIngress implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(MailIngress.class);
    private static final int MAX_TRACKED_FAILURES = 10_000;
    /** Exchange property: true when the mail is refused as a whole (quarantined, maybe answered). */
    public static final String REFUSED = "bloMailRefused";

    private final MailReader reader;
    private final long maxBytes;
    private final int maxAttempts;
    private final Ledger ledger;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    private record Failure(int count, String last) {
    }

    public MailIngress(MailReader reader, long maxBytes, int maxAttempts, Ledger ledger) {
        this.reader = reader;
        this.maxBytes = maxBytes;
        this.maxAttempts = maxAttempts;
        this.ledger = ledger;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MailJob job;
        if (exchange.getIn() instanceof MailMessage mm && mm.getOriginalMessage() != null) {
            job = read(mm.getOriginalMessage());
        } else {
            job = reader.read(exchange.getIn().getMandatoryBody(byte[].class));
        }
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(null);
        Failure failed = failures.get(job.key());
        if (failed != null && failed.count() >= maxAttempts && !job.refused()) {
            ledger.releaseAll(job.originalId());
            job = job.refuse("the hub failed " + failed.count() + " times to take this mail in (last: " + failed.last()
                    + "); it is kept for an operator: send its alerts again in a new mail", job.answer());
        }
        exchange.setProperty(MailJob.PROPERTY, job);
        exchange.setProperty(MailJob.KEY, job.key());
        exchange.setProperty(REFUSED, job.refused());
        String key = job.key();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange e) {
                failures.remove(key);
            }

            @Override
            public void onFailure(Exchange e) {
                if (failures.size() > MAX_TRACKED_FAILURES) {
                    failures.clear();
                }
                Exception cause = e.getException();
                String last = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                failures.merge(key, new Failure(1, last), (a, b) -> new Failure(a.count() + 1, b.last()));
            }
        });
        if (job.refused()) {
            LOG.warn("Mail {} from {} refused ({}): {}", CleanText.escape(job.originalId()),
                    CleanText.escape(job.from()), job.answer() ? "answered" : "not answered",
                    CleanText.escape(job.refusal()));
        } else {
            LOG.info("Mail {} from {} ({}): {} part(s) to read", CleanText.escape(job.originalId()),
                    CleanText.escape(job.from()), job.office().id(), job.parts().size());
        }
    }

    /**
     * A mail whose transaction the broker refused for holding duplicate ids: every send of a mail's transaction carries
     * one ({@code alertId:agency}, {@code mail-reply:<key>}, {@code mail-quarantine:<key>}), and the transaction is all
     * or nothing, so the mail was taken in whole before (its commit went through, the mark as seen did not). It is
     * done: marked seen and recorded, not retried.
     */
    public void takenInBefore(Exchange exchange) {
        MailJob job = exchange.getProperty(MailJob.PROPERTY, MailJob.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.info("Mail {} from {} was taken in before (the broker refused its sends again as duplicates: {}); done",
                CleanText.escape(job.originalId()), CleanText.escape(job.from()),
                e == null ? "" : CleanText.escape(e.getMessage()));
    }

    /** A polled mail read: refused by its size (the server's RFC822.SIZE) before its content is fetched. */
    MailJob read(jakarta.mail.Message mail) throws MessagingException, IOException {
        int size = mail.getSize();
        if (size > maxBytes) {
            return reader.oversize(headerBlock(mail), size, maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(size, 4096));
        mail.writeTo(out);
        if (out.size() > maxBytes) {
            return reader.oversize(headerBlock(mail), out.size(), maxBytes);
        }
        return reader.read(out.toByteArray());
    }

    private static byte[] headerBlock(jakarta.mail.Message mail) throws MessagingException {
        StringBuilder sb = new StringBuilder();
        if (mail instanceof MimeMessage m) {
            for (Enumeration<String> e = m.getAllHeaderLines(); e.hasMoreElements(); ) {
                sb.append(e.nextElement()).append("\r\n");
            }
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
