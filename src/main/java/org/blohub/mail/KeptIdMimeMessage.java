package org.blohub.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.InputStream;

/**
 * A MimeMessage that keeps the Message-ID it was given when it is saved: the hub's mails have ids of their own
 * ({@code <alertId.AGENCY@...>}, {@code <receipt....@...>}) that stay the same however often a send is retried, so a
 * recipient can recognise a repeat.
 */
final class KeptIdMimeMessage extends MimeMessage {

    KeptIdMimeMessage(Session session) {
        super(session);
    }

    KeptIdMimeMessage(Session session, InputStream in) throws MessagingException {
        super(session, in);
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        if (getHeader("Message-ID") == null) {
            super.updateMessageID();
        }
    }
}
