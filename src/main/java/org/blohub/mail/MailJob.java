package org.blohub.mail;

import org.blohub.office.Office;

import java.util.List;

/**
 * A mail the hub polled from its mailbox, as read: who sent it, the parts to read as alerts, or why it is refused as a
 * whole. Carried in the exchange property {@value #PROPERTY}.
 *
 * @param key        the idempotent repository's key: SHA-256 of the Message-ID and the mail's bytes (64 hex digits,
 *                   within the repository's VARCHAR(100)); the same mail read again has the same key
 * @param messageId  the Message-ID as sent ({@code <...>}), or null when the mail has none
 * @param originalId the Message-ID, or for a mail without one a stable id made from its digest
 * @param from       the sender's address (lower case), or null when the mail names none that can be read
 * @param subject    the subject as text (encoded-words decoded, NFC), "" when none
 * @param references the References header as sent (for threading the reply), or null
 * @param raw        the mail as it came (for quarantine)
 * @param office     the office that sender belongs to, or null
 * @param senderProven whether the mail server vouches that this office sent it ({@link SenderProof}); if not, the
 *                   office is only claimed: the mail is refused, answered, and kept as no one's
 * @param refusal    why the whole mail is refused (quarantined with its bytes), or null
 * @param answer     whether the sender gets a reply (never for unknown senders or automatic mail, RFC 3834)
 * @param repliesToHub whether the mail answers one of the hub's own mails (In-Reply-To): then it is answered only if
 *                   something in it could be read, so that two robots never mail each other for ever
 * @param parts      the parts to read as alerts (empty when refused)
 * @param ignored    parts deliberately not read (a covering note, a signature, inline images), for the reply
 */
public record MailJob(String key, String messageId, String originalId, String from, String subject, String references,
                      byte[] raw, Office office, boolean senderProven, String refusal, boolean answer,
                      boolean repliesToHub, List<MailPart> parts, List<String> ignored) {

    public static final String PROPERTY = "bloMail";
    /** Exchange property with {@link #key()}, for the idempotent consumer. */
    public static final String KEY = "bloMailKey";

    public MailJob {
        parts = parts == null ? List.of() : List.copyOf(parts);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    public boolean refused() {
        return refusal != null;
    }

    /** The same mail refused as a whole, answered or not. */
    public MailJob refuse(String reason, boolean answerIt) {
        return new MailJob(key, messageId, originalId, from, subject, references, raw, office, senderProven, reason,
                answerIt && office != null, repliesToHub, List.of(), ignored);
    }
}
