package org.blohub.mail;

import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.CleanText;
import org.blohub.office.Office;

/**
 * The proof standalone: the embedded mail server takes mail only from an authenticated sender with a From of its own,
 * and writes who that was into {@value EmbeddedMailServer#AUTHENTICATED_SENDER} (removing any copy the sender wrote).
 * The mail's From is proven when that header names the office the From belongs to.
 */
public final class EmbeddedSenderProof implements SenderProof {

    @Override
    public String refusal(MimeMessage mail, String from, Office office) {
        String[] v = SenderProof.values(mail, EmbeddedMailServer.AUTHENTICATED_SENDER);
        if (v.length != 1) {
            return "the mail server did not record an authenticated sender: send with SMTP AUTH, with your office's id"
                    + " and password";
        }
        String sender = v[0].trim();
        if (!sender.equalsIgnoreCase(office.id())) {
            return "the sender (From) " + CleanText.escape(from) + " belongs to " + office.id() + ", but "
                    + CleanText.escape(sender) + " logged in to send it";
        }
        return null;
    }
}
