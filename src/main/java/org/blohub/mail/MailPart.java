package org.blohub.mail;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of a mail the hub reads as alerts: the body's {@code Key: Value} form, or an attachment (JSON, BLO XML, CAP,
 * CSV). Each goes through {@code direct:normalize} on its own, in the mail's one transaction.
 *
 * @param label      how the reply names it: "the mail body", "attachment 2 (alerts.csv)"
 * @param originalId the mail's Message-ID, with {@code #n} for the n-th attachment: stable across re-reads of the mail
 * @param bytes      the content, transfer encoding undone (for a part that could not be decoded: as it came)
 * @param charset    the charset the part declared, read as its superset; null when it declared none
 * @param refusal    why the part cannot be read at all (unknown charset, broken transfer encoding), else null
 * @param receipts   the receipts of its alerts, filled by the pipeline (the mail is answered once, as a whole)
 */
public record MailPart(String label, String originalId, byte[] bytes, Charset charset, String refusal,
                       List<Object> receipts) {

    public MailPart(String label, String originalId, byte[] bytes, Charset charset, String refusal) {
        this(label, originalId, bytes, charset, refusal, new ArrayList<>());
    }
}
