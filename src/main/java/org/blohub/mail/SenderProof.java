package org.blohub.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.blohub.office.Office;

/**
 * Whether a mail's From is proven: the hub routes a mail as an office only when its mail server vouches that the
 * office sent it. {@link EmbeddedSenderProof} standalone, {@link AuthenticationResults} with a real mail server.
 */
public interface SenderProof {

    /**
     * Why the From of {@code mail} is not proven to be {@code office}'s, or null when it is.
     *
     * @param from the From address (lower case)
     */
    String refusal(MimeMessage mail, String from, Office office);

    /** Every value of a header, top first; none when it is absent or unreadable. */
    static String[] values(MimeMessage mail, String name) {
        try {
            String[] v = mail.getHeader(name);
            return v == null ? new String[0] : v;
        } catch (MessagingException e) {
            return new String[0];
        }
    }
}
