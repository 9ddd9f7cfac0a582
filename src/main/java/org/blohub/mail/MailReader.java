package org.blohub.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import org.blohub.alert.Alert.OriginalFormat;
import org.blohub.alert.CleanText;
import org.blohub.alert.Sha256;
import org.blohub.normalize.FormatDetector;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.ReadContext;
import org.blohub.normalize.TextDecoding;
import org.blohub.normalize.UnreadableInputException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a mail from its bytes (DESIGN §5.5): the sender and the office it belongs to, the subject, and the parts to read
 * as alerts. Pure: no server, no broker; the hub's route does the rest.
 *
 * <ul>
 *   <li>The From names the office, and only when the mail server proves it ({@link SenderProof}); a mail whose
 *       sender is not proven, or with more parts to read as alerts than the limit, is refused whole, unread.</li>
 *   <li>The body is the first inline {@code text/plain} part (of a {@code multipart/alternative}, the plain one). It is
 *       read as the {@code Key: Value} form; the subject stands for the headline unless the form gives one (a
 *       {@code Subject:} line is added where the form ends, so the form's own line numbers stay right). When the mail
 *       also has attachments, a body that is no alert format (a covering note) is not read.</li>
 *   <li>Every other part is an attachment, read by content (JSON, BLO XML, CAP, CSV): one or more alerts each, or a
 *       REJECTED receipt saying why not (a photo is reported, not dropped). Inline resources of a
 *       {@code multipart/related} body and signatures of a {@code multipart/signed} mail are not read.</li>
 *   <li>A part's declared charset is read as its superset (TIS-620 as windows-874, GB2312 as GBK); none declared means
 *       the office's default; {@code us-ascii} on 8-bit text counts as none (mailers write it by default).</li>
 * </ul>
 */
public final class MailReader {

    private static final Set<String> SIGNATURES = Set.of("application/pgp-signature", "application/pkcs7-signature",
            "application/x-pkcs7-signature");
    private static final Set<String> ASCII_LABELS = Set.of("us-ascii", "ascii", "us_ascii", "ansi_x3.4-1968");
    private static final Pattern FORM_HAS_SUBJECT = Pattern.compile("(?im)^(subject|headline)[ \\t]*:");

    /** How many alert parts a mail may have by default (blo.mail.max-alert-parts). */
    public static final int DEFAULT_MAX_ALERT_PARTS = 100;

    private final OfficeRegistry offices;
    private final InputLimits limits;
    private final String hubDomain;
    private final SenderProof proof;
    private final int maxAlertParts;
    private final Session session;

    /**
     * @param hubDomain     the domain of the hub's own Message-IDs (a mail whose In-Reply-To names one answers the hub)
     * @param proof         whether the mail server vouches for a mail's From: a mail without it is refused whole
     * @param maxAlertParts a mail with more parts to read as alerts is refused whole, unread
     */
    public MailReader(OfficeRegistry offices, InputLimits limits, String hubDomain, SenderProof proof,
                      int maxAlertParts) {
        this.offices = offices;
        this.limits = limits;
        this.hubDomain = hubDomain.toLowerCase(Locale.ROOT);
        this.proof = proof;
        this.maxAlertParts = maxAlertParts;
        Properties p = new Properties();
        p.setProperty("mail.mime.allowutf8", "false");        // raw 8-bit headers come through byte by byte
        p.setProperty("mail.mime.address.strict", "false");
        p.setProperty("mail.mime.decodefilename", "false");   // encoded-word file names: MimeText, with supersets
        p.setProperty("mail.mime.parameters.strict", "false");
        p.setProperty("mail.mime.multipart.allowempty", "true");
        this.session = Session.getInstance(p);
    }

    /** A session for parsing and writing mail without a server. */
    public Session session() {
        return session;
    }

    /** Reads a whole mail. */
    public MailJob read(byte[] raw) {
        MimeMessage msg;
        try {
            msg = new MimeMessage(session, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            return new MailJob(key(null, raw), null, "sha256:" + Sha256.hex(raw), null, "", null, raw, null, false,
                    "cannot read the mail's headers: " + e.getMessage(), false, false, List.of(), List.of());
        }
        Head head = head(msg, raw);
        if (head.refusal != null) {
            return head.job(raw, head.refusal, head.answer, List.of(), List.of());
        }
        Collector c = new Collector();
        try {
            c.walk(msg, true);
        } catch (MessagingException | IOException | RuntimeException e) {
            return head.job(raw, "cannot read the mail's MIME structure: " + e.getMessage(), true, List.of(), List.of());
        }
        List<MailPart> parts = new ArrayList<>();
        List<String> ignored = new ArrayList<>(c.ignored);
        try {
            body(c, head, parts, ignored);
            int alertParts = parts.size() + c.attachments.size();
            if (alertParts > maxAlertParts) {
                return head.job(raw, "the mail has " + alertParts + " parts to read as alerts, more than the hub reads"
                        + " in one mail (" + maxAlertParts + "): send them in several mails", true, List.of(), List.of());
            }
            int n = 0;
            for (Part p : c.attachments) {
                n++;
                parts.add(attachment(p, n, head));
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            return head.job(raw, "cannot read the mail's parts: " + e.getMessage(), true, List.of(), List.of());
        }
        return head.job(raw, null, head.answer, parts, ignored);
    }

    /**
     * A mail too large to read: only its header block is kept (for quarantine and the reply), it is refused and
     * answered if the sender is known.
     */
    public MailJob oversize(byte[] headerBlock, long size, long max) {
        MailJob job = read(headerBlock);
        return job.refuse((job.refused() ? job.refusal() + "; " : "") + "the mail is " + size
                + " bytes, more than the hub reads (" + max + "): send the alerts in smaller mails; the mail itself is"
                + " kept in the hub's mailbox", job.answer());
    }

    // --------------------------------------------------------------------------------------------------------------

    /** What the headers say. */
    private final class Head {
        String messageId;
        String originalId;
        String from;
        Office office;
        String subject = "";
        String references;
        boolean answer;
        boolean repliesToHub;
        boolean proven;
        String refusal;
        String key;

        MailJob job(byte[] raw, String refusal, boolean answer, List<MailPart> parts, List<String> ignored) {
            return new MailJob(key, messageId, originalId, from, subject, references, raw, office, proven, refusal,
                    answer && office != null, repliesToHub, parts, ignored);
        }
    }

    private Head head(MimeMessage msg, byte[] raw) {
        Head h = new Head();
        h.messageId = header(msg, "Message-ID");
        if (h.messageId != null) {
            h.messageId = MimeText.clean(h.messageId);
            if (h.messageId.isEmpty()) {
                h.messageId = null;
            }
        }
        h.key = key(h.messageId, raw);
        String escapedId = CleanText.escape(h.messageId);
        h.originalId = h.messageId == null ? "sha256:" + Sha256.hex(raw)
                : escapedId.length() <= 500 ? escapedId : "sha256:" + Sha256.hex(h.messageId.getBytes(StandardCharsets.UTF_8));
        h.references = header(msg, "References");
        String inReplyTo = header(msg, "In-Reply-To");
        h.repliesToHub = inReplyTo != null && inReplyTo.toLowerCase(Locale.ROOT).contains("@" + hubDomain + ">");
        String auto = header(msg, "Auto-Submitted");
        h.answer = auto == null || auto.trim().toLowerCase(Locale.ROOT).startsWith("no");
        String fromProblem = null;
        try {
            jakarta.mail.Address[] from = msg.getFrom();
            if (from == null || from.length == 0) {
                fromProblem = "the mail names no sender (From)";
            } else if (from.length > 1) {
                fromProblem = "the mail names " + from.length + " senders (From); the hub takes mail from one office";
            } else if (from[0] instanceof InternetAddress a && a.getAddress() != null && !a.getAddress().isBlank()
                    && a.getAddress().trim().codePoints().noneMatch(cp -> CleanText.forbidden(cp) || Character.isWhitespace(cp))) {
                h.from = a.getAddress().trim().toLowerCase(Locale.ROOT);
            } else {
                fromProblem = "the sender (From) is not a mail address";
            }
        } catch (AddressException e) {
            fromProblem = "the sender (From) cannot be read: " + e.getMessage();
        } catch (MessagingException e) {
            fromProblem = "the sender (From) cannot be read: " + e.getMessage();
        }
        h.office = h.from == null ? null : offices.findByEmailSender(h.from).orElse(null);
        Charset fallback = h.office == null ? StandardCharsets.UTF_8 : h.office.charset();
        h.subject = MimeText.decodeHeader(header(msg, "Subject"), fallback);
        if (fromProblem != null) {
            h.refusal = "unknown sender: " + fromProblem;
        } else if (h.office == null) {
            h.refusal = "unknown sender '" + CleanText.escape(h.from) + "': no office allows it (config/offices.yaml,"
                    + " emailSenders)";
        } else {
            h.refusal = proof.refusal(msg, h.from, h.office);
            h.proven = h.refusal == null;
        }
        return h;
    }

    private static String header(MimeMessage msg, String name) {
        try {
            return msg.getHeader(name, " ");
        } catch (MessagingException e) {
            return null;
        }
    }

    // --------------------------------------------------------------------------------------------------------------

    /** Walks the MIME tree: the body, the attachments, and what is deliberately not read. */
    private static final class Collector {
        Part body;
        Part html;
        final List<Part> attachments = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();

        void walk(Part p, boolean top) throws MessagingException, IOException {
            String type = baseType(p);
            if (type.startsWith("multipart/")) {
                Object content = p.getContent();
                if (content instanceof Multipart mp) {
                    multipart(type, mp);
                    return;
                }
            }
            if (type.equals("message/rfc822")) {
                attachments.add(p);
                return;
            }
            String disposition = disposition(p);
            String filename = fileName(p);
            boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(disposition) || filename != null;
            if (SIGNATURES.contains(type)) {
                ignored.add(describe(p, "a signature"));
            } else if (!attachment && type.equals("text/plain") && body == null) {
                body = p;
            } else if (!attachment && type.equals("text/html") && body == null && html == null) {
                html = p;
            } else if (!attachment && type.equals("text/plain") && blank(p)) {
                ignored.add(describe(p, "empty"));
            } else {
                attachments.add(p);
            }
        }

        private void multipart(String type, Multipart mp) throws MessagingException, IOException {
            int count = mp.getCount();
            switch (type) {
                case "multipart/alternative" -> {
                    BodyPart chosen = null;
                    for (int i = 0; i < count; i++) {
                        if (mp.getBodyPart(i).isMimeType("text/plain")) {
                            chosen = mp.getBodyPart(i);
                            break;
                        }
                    }
                    if (chosen == null && count > 0) {
                        chosen = mp.getBodyPart(count - 1);
                    }
                    if (chosen != null) {
                        walk(chosen, false);
                    }
                }
                case "multipart/related" -> {
                    if (count > 0) {
                        walk(mp.getBodyPart(0), false);
                    }
                    for (int i = 1; i < count; i++) {
                        ignored.add(describe(mp.getBodyPart(i), "part of the HTML body"));
                    }
                }
                case "multipart/signed" -> {
                    if (count > 0) {
                        walk(mp.getBodyPart(0), false);
                    }
                    for (int i = 1; i < count; i++) {
                        ignored.add(describe(mp.getBodyPart(i), "a signature"));
                    }
                }
                default -> {
                    for (int i = 0; i < count; i++) {
                        walk(mp.getBodyPart(i), false);
                    }
                }
            }
        }
    }

    private void body(Collector c, Head head, List<MailPart> parts, List<String> ignored)
            throws MessagingException, IOException {
        boolean others = !c.attachments.isEmpty();
        String label = "the mail body";
        if (c.body == null) {
            if (c.html != null && !others) {
                parts.add(new MailPart(label, head.originalId, bytes(c.html), null,
                        "the mail has only an HTML body: write the form as plain text, or attach the alert"));
            } else if (c.html != null) {
                ignored.add("the mail body (HTML, a covering note)");
            } else if (!others) {
                parts.add(new MailPart(label, head.originalId, new byte[0], null,
                        "the mail holds no alert: its body is empty and nothing is attached"));
            }
            return;
        }
        byte[] bytes;
        try {
            bytes = bytes(c.body);
        } catch (IOException e) {
            parts.add(new MailPart(label, head.originalId, rawBytes(c.body), null,
                    "cannot undo its transfer encoding: " + e.getMessage()));
            return;
        }
        ContentType ct = contentType(c.body);
        String charsetLabel = ct.getParameter("charset");
        Optional<Charset> declared = charset(charsetLabel, bytes);
        if (charsetLabel != null && declared == null) {
            parts.add(new MailPart(label, head.originalId, bytes, null, "declares an unknown charset '" + charsetLabel + "'"));
            return;
        }
        Charset charset = declared == null ? null : declared.orElse(null);
        if ("flowed".equalsIgnoreCase(ct.getParameter("format")) && asciiCompatible(charset)) {
            bytes = MimeText.unflow(bytes, "yes".equalsIgnoreCase(ct.getParameter("delsp")));
        }
        boolean blank = isBlank(bytes);
        Optional<OriginalFormat> format = blank ? Optional.empty() : detect(bytes, charset, head);
        if (others && format.isEmpty()) {
            ignored.add(blank ? "the mail body (empty)" : "the mail body (a covering note, not an alert)");
            return;
        }
        if (blank) {
            parts.add(new MailPart(label, head.originalId, bytes, charset,
                    "the mail holds no alert: its body is empty and nothing is attached"));
            return;
        }
        if (format.orElse(null) == OriginalFormat.EMAIL_FORM) {
            Encoded e = withSubject(bytes, charset, head.office, head.subject);
            bytes = e.bytes;
            charset = e.charset;
        }
        parts.add(new MailPart(label, head.originalId, bytes, charset, null));
    }

    private MailPart attachment(Part p, int n, Head head) throws MessagingException {
        String name = fileName(p);
        String label = "attachment " + n + " (" + CleanText.escape(name != null ? name : baseType(p)) + ")";
        String id = head.originalId + "#" + n;
        byte[] bytes;
        try {
            bytes = bytes(p);
        } catch (IOException e) {
            return new MailPart(label, id, rawBytes(p), null, "cannot undo its transfer encoding: " + e.getMessage());
        }
        String charsetLabel = contentType(p).getParameter("charset");
        Optional<Charset> declared = charset(charsetLabel, bytes);
        if (charsetLabel != null && declared == null) {
            return new MailPart(label, id, bytes, null, "declares an unknown charset '" + charsetLabel + "'");
        }
        return new MailPart(label, id, bytes, declared == null ? null : declared.orElse(null), null);
    }

    /**
     * The charset a part declares, as its superset: null when the label is unknown, empty when none is declared (or
     * {@code us-ascii} on 8-bit text: mailers write that label by default).
     */
    static Optional<Charset> charset(String label, byte[] bytes) {
        if (label == null || label.isBlank()) {
            return Optional.empty();
        }
        String l = label.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (ASCII_LABELS.contains(l)) {
            for (byte b : bytes) {
                if (b < 0) {
                    return Optional.empty();
                }
            }
        }
        return TextDecoding.declaredCharset(label.replace("\"", "")).map(Optional::of).orElse(null);
    }

    private Optional<OriginalFormat> detect(byte[] bytes, Charset charset, Head head) {
        ReadContext ctx = new ReadContext(head.originalId, head.office, offices, charset, limits);
        try {
            return Optional.of(FormatDetector.detect(new BufferedInputStream(new ByteArrayInputStream(bytes)), ctx));
        } catch (UnreadableInputException e) {
            return Optional.empty();
        }
    }

    record Encoded(byte[] bytes, Charset charset) {
    }

    /**
     * The form with a {@code Subject:} line for the mail's subject (the headline unless the form gives one), added where
     * the form ends (before a signature separator), so that the form's line numbers stay those of the mail body. Kept
     * in the body's charset when the subject can be written in it, else the whole form becomes UTF-8.
     */
    static Encoded withSubject(byte[] body, Charset declared, Office office, String subject) {
        if (subject == null || subject.isBlank()) {
            return new Encoded(body, declared);
        }
        Charset fallback = office == null ? StandardCharsets.UTF_8 : office.charset();
        String text;
        Charset effective;
        try {
            TextDecoding.Decoded d = TextDecoding.decode(body, declared, fallback, false);
            text = d.text();
            effective = d.charset();
        } catch (UnreadableInputException e) {
            return new Encoded(body, declared); // the reader reports the body's own problem
        }
        if (FORM_HAS_SUBJECT.matcher(text).find()) {
            return new Encoded(body, declared);
        }
        String nl = text.contains("\r\n") ? "\r\n" : "\n";
        String line = "Subject: " + subject;
        int at = signatureStart(text);
        String head = text.substring(0, at);
        String tail = text.substring(at);
        String joined = head + (head.isEmpty() || head.endsWith("\n") ? "" : nl) + line + nl + tail;
        if (!effective.name().startsWith("UTF-16") && !effective.name().startsWith("UTF-32")) {
            Optional<byte[]> same = MimeText.encode(joined, effective);
            if (same.isPresent()) {
                return new Encoded(same.get(), declared != null || isAscii(same.get()) ? declared : effective);
            }
        }
        return new Encoded(joined.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** Where the signature separator line ("--" alone, as the form reader reads it) starts, else the end. */
    private static int signatureStart(String text) {
        int from = 0;
        while (from < text.length()) {
            int end = text.indexOf('\n', from);
            int lineEnd = end < 0 ? text.length() : end;
            if (text.substring(from, lineEnd).stripTrailing().equals("--")) {
                return from;
            }
            if (end < 0) {
                break;
            }
            from = end + 1;
        }
        return text.length();
    }

    // --------------------------------------------------------------------------------------------------------------

    static String baseType(Part p) {
        try {
            return contentType(p).getBaseType().toLowerCase(Locale.ROOT);
        } catch (RuntimeException e) {
            return "application/octet-stream";
        }
    }

    private static ContentType contentType(Part p) {
        try {
            String ct = p.getContentType();
            return new ContentType(ct == null ? "text/plain" : ct);
        } catch (MessagingException e) {
            return new ContentType("application", "octet-stream", null);
        }
    }

    private static String disposition(Part p) {
        try {
            return p.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    static String fileName(Part p) {
        try {
            String name = p.getFileName();
            if (name == null || name.isBlank()) {
                return null;
            }
            return MimeText.decodeHeader(name, StandardCharsets.UTF_8);
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Part p, String why) {
        String name = fileName(p);
        return (name != null ? name + " (" + baseType(p) + ", " : baseType(p) + " (") + why + ")";
    }

    private static boolean blank(Part p) {
        try {
            return isBlank(bytes(p));
        } catch (IOException | MessagingException e) {
            return false;
        }
    }

    private static byte[] bytes(Part p) throws IOException, MessagingException {
        try (InputStream in = p.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] rawBytes(Part p) {
        try (InputStream in = p instanceof MimePart m ? rawStream(m) : p.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | MessagingException e) {
            return new byte[0];
        }
    }

    private static InputStream rawStream(MimePart m) throws MessagingException, IOException {
        if (m instanceof jakarta.mail.internet.MimeBodyPart b) {
            return b.getRawInputStream();
        }
        if (m instanceof MimeMessage mm) {
            return mm.getRawInputStream();
        }
        return m.getInputStream();
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean asciiCompatible(Charset cs) {
        return cs == null || !(cs.name().startsWith("UTF-16") || cs.name().startsWith("UTF-32"));
    }

    /** The idempotent key: SHA-256 of the Message-ID and of the mail's bytes, so a different mail reusing a Message-ID is not skipped. */
    static String key(String messageId, byte[] raw) {
        return Sha256.hex(((messageId == null ? "" : messageId) + "\n" + Sha256.hex(raw)).getBytes(StandardCharsets.UTF_8));
    }

}
