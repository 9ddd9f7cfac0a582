package org.blohub.mail;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import org.apache.camel.Exchange;
import org.blohub.alert.AlertJson;
import org.blohub.delivery.Deliveries;
import org.blohub.receipts.Receipt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The office's receipt by reply mail: one reply per mail, naming every alert in it (its part, sourceRef, alert id,
 * status, the agencies it went to, or what is wrong by line), with the receipts as JSON attached ({@code receipts.json},
 * the same receipts the JMS channel sends). {@code In-Reply-To} and {@code References} thread it to the office's mail;
 * {@code Auto-Submitted: auto-replied} tells the office's mailer not to answer it (RFC 3834).
 *
 * <p>The reply is built inside the mail's transaction and put on the durable queue {@value #QUEUE} with a broker
 * duplicate id, and sent from there by its own route; so it is sent if and only if the mail's alerts were handed over,
 * and once even if the mail is read again after a crash.
 */
public final class MailReplies {

    /** Hub-internal durable queue of replies to send (auto-created under {@code hub.#}). */
    public static final String QUEUE = "hub.mail.replies";

    private final Session session;
    private final InternetAddress hub;
    private final String domain;

    public MailReplies(Session session, String hubAddress) {
        this.session = session;
        try {
            this.hub = new InternetAddress(hubAddress, "BLO Hub", "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        this.domain = hubAddress.substring(hubAddress.indexOf('@') + 1);
    }

    /**
     * Prepares the reply for {@value #QUEUE} (exchange property {@code bloDestination}), or sets no destination when the
     * mail is not to be answered: an unknown sender, automatic mail (RFC 3834), or a mail answering the hub's own in
     * which nothing could be read (so that two robots never mail each other for ever).
     */
    public void reply(Exchange exchange) throws MessagingException, IOException {
        MailJob job = exchange.getProperty(MailJob.PROPERTY, MailJob.class);
        exchange.removeProperty(Deliveries.DESTINATION);
        org.apache.camel.Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setBody(null);
        if (!job.answer() || job.from() == null) {
            return;
        }
        List<Receipt> receipts = receipts(job);
        boolean nothingRead = receipts.stream().allMatch(r -> r.status() == Receipt.Status.REJECTED);
        if (job.repliesToHub() && nothingRead) {
            return;
        }
        m.setBody(build(job, receipts));
        m.setHeader(Deliveries.DUPLICATE_ID, "mail-reply:" + job.key());
        m.setHeader("bloOffice", job.office().id());
        m.setHeader("bloOriginalId", job.originalId());
        exchange.setProperty(Deliveries.DESTINATION, QUEUE);
    }

    /** The receipts of the mail: those of its parts, or one REJECTED receipt when it was refused as a whole. */
    static List<Receipt> receipts(MailJob job) {
        if (job.refused()) {
            return List.of(new Receipt(null, null, job.originalId(), Receipt.Status.REJECTED, List.of(),
                    List.of(job.refusal())));
        }
        List<Receipt> all = new ArrayList<>();
        for (MailPart p : job.parts()) {
            synchronized (p.receipts()) {
                p.receipts().forEach(r -> all.add((Receipt) r));
            }
        }
        return all;
    }

    /** The reply as MIME bytes, with a Message-ID of its own that stays the same however often it is sent. */
    byte[] build(MailJob job, List<Receipt> receipts) throws MessagingException, IOException {
        MimeMessage msg = new KeptIdMimeMessage(session);
        msg.setFrom(hub);
        msg.setRecipient(RecipientType.TO, new InternetAddress(job.from()));
        String subject = job.subject().isBlank() ? "BLO Hub receipt"
                : job.subject().toLowerCase(Locale.ROOT).startsWith("re:") ? job.subject() : "Re: " + job.subject();
        msg.setSubject(subject, "UTF-8");
        if (job.messageId() != null) {
            msg.setHeader("In-Reply-To", job.messageId());
            String refs = (job.references() == null ? "" : job.references().trim() + " ") + job.messageId();
            msg.setHeader("References", MimeUtility.fold("References: ".length(), refs));
        }
        msg.setHeader("Auto-Submitted", "auto-replied");
        msg.setHeader("X-BLO-Receipt", overall(receipts));
        msg.setSentDate(new Date());

        MimeBodyPart text = new MimeBodyPart();
        text.setText(text(job, receipts), "UTF-8");
        MimeBodyPart json = new MimeBodyPart();
        json.setDataHandler(new jakarta.activation.DataHandler(new jakarta.mail.util.ByteArrayDataSource(
                AlertJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(receipts),
                "application/json; charset=UTF-8")));
        json.setFileName("receipts.json");
        json.setDisposition(MimeBodyPart.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(json);
        msg.setContent(mixed);
        msg.saveChanges();
        msg.setHeader("Message-ID", "<receipt." + job.key().substring(0, 40) + "@" + domain + ">");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(out);
        return out.toByteArray();
    }

    /** ACCEPTED when every alert was taken (or already had been), REJECTED when none was, else PARTIAL. */
    static String overall(List<Receipt> receipts) {
        long rejected = receipts.stream().filter(r -> r.status() == Receipt.Status.REJECTED).count();
        return rejected == 0 ? "ACCEPTED" : rejected == receipts.size() ? "REJECTED" : "PARTIAL";
    }

    static String text(MailJob job, List<Receipt> receipts) {
        StringBuilder sb = new StringBuilder();
        String id = job.messageId() != null ? job.messageId() : job.originalId();
        if (job.refused()) {
            sb.append("BLO Hub could not take your mail ").append(id).append(":\n\n  ").append(job.refusal())
                    .append("\n\nNothing in it was routed. The mail is kept for an operator.\n");
            return sb.toString();
        }
        long accepted = receipts.stream().filter(r -> r.status() == Receipt.Status.ACCEPTED).count();
        long duplicate = receipts.stream().filter(r -> r.status() == Receipt.Status.DUPLICATE).count();
        long rejected = receipts.stream().filter(r -> r.status() == Receipt.Status.REJECTED).count();
        sb.append("BLO Hub received your mail ").append(id).append(": ")
                .append(count(accepted, "alert")).append(" accepted, ")
                .append(rejected).append(" rejected, ")
                .append(duplicate).append(" already received before.\n");
        for (MailPart p : job.parts()) {
            sb.append('\n').append(Character.toUpperCase(p.label().charAt(0))).append(p.label().substring(1)).append(":\n");
            List<Receipt> rs = new ArrayList<>();
            synchronized (p.receipts()) {
                p.receipts().forEach(r -> rs.add((Receipt) r));
            }
            if (rs.isEmpty()) {
                sb.append("  (no alert in it)\n");
            }
            for (Receipt r : rs) {
                sb.append("  ").append(r.status());
                String row = row(p.originalId(), r.originalId());
                if (row != null) {
                    sb.append("  line ").append(row);
                }
                if (r.sourceRef() != null) {
                    sb.append("  sourceRef ").append(r.sourceRef());
                }
                if (r.alertId() != null) {
                    sb.append(r.status() == Receipt.Status.DUPLICATE ? "  first received as alert " : "  alert ")
                            .append(r.alertId());
                }
                if (!r.routedTo().isEmpty()) {
                    sb.append("  to ").append(String.join(", ", r.routedTo()));
                }
                sb.append('\n');
                for (String e : r.errors()) {
                    sb.append("      ").append(e).append('\n');
                }
            }
        }
        if (!job.ignored().isEmpty()) {
            sb.append("\nNot read (no alert expected in them):\n");
            job.ignored().forEach(i -> sb.append("  ").append(i).append('\n'));
        }
        if (rejected > 0) {
            sb.append("\nRejected alerts were routed to no one; the hub keeps them for an operator. Correct them and send")
                    .append(" them again.\n");
        }
        sb.append("\nThe receipts are attached as JSON (receipts.json).\n");
        return sb.toString();
    }

    /** The row of a CSV receipt ({@code <part id>#<line>}), else null. */
    private static String row(String partId, String receiptId) {
        if (receiptId == null || !receiptId.startsWith(partId + "#")) {
            return null;
        }
        String rest = receiptId.substring(partId.length() + 1);
        return rest.chars().allMatch(Character::isDigit) && !rest.isEmpty() ? rest : null;
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** For the sending route: the prepared reply, read back with its own Message-ID; every exchange header dropped. */
    public void toSend(Exchange exchange) throws Exception {
        byte[] bytes = exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(new KeptIdMimeMessage(session, new ByteArrayInputStream(bytes)));
    }
}
