package org.blohub.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.smtp.auth.UsernameAuthentication;
import com.icegreen.greenmail.smtp.commands.SmtpCommand;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.blohub.alert.CleanText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * GreenMail's SMTP server, taking mail only from authenticated senders with a From of their own. GreenMail offers
 * SMTP AUTH (PLAIN, LOGIN) but takes mail without it too; this server refuses, each with a 5xx reply:
 *
 * <ul>
 *   <li>{@code MAIL} before a successful {@code AUTH} (530);</li>
 *   <li>{@code MAIL} from a login that may not send here (an agency, the postmaster) (550);</li>
 *   <li>a mail whose From is not exactly one address of the authenticated sender (550, after {@code DATA});</li>
 *   <li>a mail larger than the mailbox takes (552): what comes beyond the limit is read and dropped, never kept.</li>
 * </ul>
 *
 * A mail taken in carries the header {@value #AUTHENTICATED_SENDER} with the sender's identity (an office id, or
 * {@code hub}); every copy of it the sender wrote is removed first, so the hub's reader can trust it.
 */
final class AuthenticatedSmtpServer extends SmtpServer {

    /** The header the server adds to every mail it takes in: who authenticated (an office id, or hub). */
    static final String AUTHENTICATED_SENDER = "X-BLO-Authenticated-Sender";

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticatedSmtpServer.class);

    /** Who may send: the identity written into {@value #AUTHENTICATED_SENDER} and the From addresses it owns. */
    record Sender(String identity, Set<String> addresses) {
    }

    private final Function<String, Sender> senders;
    private final long maxMailBytes;

    /**
     * @param senders      a login (lower case) to the sender it is, or null when that login may not send mail
     * @param maxMailBytes the largest mail taken in
     */
    AuthenticatedSmtpServer(ServerSetup setup, Managers managers, Function<String, Sender> senders, long maxMailBytes) {
        super(setup, managers);
        this.senders = senders;
        this.maxMailBytes = maxMailBytes;
    }

    @Override
    protected ProtocolHandler createProtocolHandler(Socket clientSocket) {
        return new Handler(new SmtpCommandRegistry(), managers, clientSocket, senders, maxMailBytes);
    }

    /** One SMTP session: GreenMail's commands, with MAIL and DATA guarded by the authenticated login. */
    static final class Handler extends SmtpHandler {

        private final Function<String, Sender> senders;
        private final long maxMailBytes;
        private String login;

        Handler(SmtpCommandRegistry registry, Managers managers, Socket socket, Function<String, Sender> senders,
                long maxMailBytes) {
            super(registry, managers.getSmtpManager(), socket);
            this.senders = senders;
            this.maxMailBytes = maxMailBytes;
        }

        @Override
        protected void handleCommand() throws IOException {
            currentLine = conn.readLine();
            if (currentLine == null) {
                close();
                return;
            }
            if (!commandLegalSize()) {
                return;
            }
            String name = currentLine.substring(0, 4).toUpperCase(Locale.ROOT);
            switch (name) {
                case "MAIL" -> {
                    String refusal = mailRefusal();
                    if (refusal != null) {
                        conn.send(refusal);
                        return;
                    }
                }
                case "DATA" -> {
                    if (login == null) {
                        conn.send("530 5.7.0 Authentication required");
                        return;
                    }
                    data();
                    return;
                }
                default -> {
                }
            }
            SmtpCommand command = registry.getCommand(name);
            if (command == null) {
                conn.send("500 Command not recognized");
                return;
            }
            command.execute(conn, state, manager, currentLine);
            if (name.equals("AUTH") && login == null && conn.isAuthenticated()
                    && state.getMessage().getAuthenticationState() instanceof UsernameAuthentication u) {
                login = u.getUsername().trim().toLowerCase(Locale.ROOT);
            }
        }

        private String mailRefusal() {
            if (login == null) {
                LOG.warn("SMTP from {}: MAIL without authentication refused", conn.getClientAddress());
                return "530 5.7.0 Authentication required: log in (AUTH) with your id and password";
            }
            if (senders.apply(login) == null) {
                LOG.warn("SMTP from {}: the login {} may not send mail, refused", conn.getClientAddress(),
                        CleanText.escape(login));
                return "550 5.7.1 this login may not send mail here: only offices and the hub do";
            }
            return null;
        }

        /** GreenMail's DATA, with the From checked against the login before the mail is delivered. */
        private void data() throws IOException {
            MovingMessage msg = state.getMessage();
            if (msg.getReturnPath() == null) {
                conn.send("503 MAIL command required");
                return;
            }
            if (msg.getToAddresses().isEmpty()) {
                conn.send("503 RCPT command(s) required");
                return;
            }
            conn.send("354 Start mail input; end with <CRLF>.<CRLF>");
            String received = "Return-Path: <" + msg.getReturnPath() + ">\r\nReceived: from " + conn.getClientAddress()
                    + " (HELO " + conn.getHeloName() + "); " + new Date() + "\r\n";
            MimeMessage mime = null;
            try (InputStream in = conn.dotLimitedInputStream(received.getBytes(StandardCharsets.UTF_8))) {
                BoundedInputStream bounded = new BoundedInputStream(in, maxMailBytes);
                try {
                    mime = GreenMailUtil.newMimeMessage(bounded);
                } catch (RuntimeException e) {
                    if (!bounded.exceeded()) {
                        throw e;
                    }
                }
                if (bounded.exceeded()) {
                    in.transferTo(OutputStream.nullOutputStream());
                    LOG.warn("SMTP from {}: a mail of {} over {} bytes refused", conn.getClientAddress(),
                            CleanText.escape(login), maxMailBytes);
                    conn.send("552 5.3.4 the mail is larger than the " + maxMailBytes + " bytes the hub takes");
                    state.clearMessage();
                    return;
                }
            }
            Sender sender = senders.apply(login);
            String refusal = sender == null ? "this login may not send mail here" : fromRefusal(mime, sender);
            if (refusal != null) {
                LOG.warn("SMTP from {}: mail of {} refused: {}", conn.getClientAddress(), CleanText.escape(login),
                        refusal);
                conn.send("550 5.7.1 " + refusal);
                state.clearMessage();
                return;
            }
            try {
                mime.removeHeader(AUTHENTICATED_SENDER);
                mime.setHeader(AUTHENTICATED_SENDER, sender.identity());
                msg.setMimeMessage(mime);
                manager.send(state);
                conn.send("250 OK");
            } catch (MessagingException | RuntimeException e) {
                LOG.error("SMTP: cannot deliver a mail of {}", CleanText.escape(login), e);
                conn.send("451 Requested action aborted: local error in processing");
            }
            state.clearMessage();
        }

        /** Why the mail's From is not the sender's own, or null when it is. One line, escaped. */
        static String fromRefusal(MimeMessage mime, Sender sender) {
            Address[] from;
            try {
                from = mime.getFrom();
            } catch (MessagingException e) {
                return "the sender (From) cannot be read";
            }
            if (from == null || from.length != 1 || !(from[0] instanceof InternetAddress a) || a.getAddress() == null) {
                return "the mail must name exactly one sender (From)";
            }
            String address = a.getAddress().trim().toLowerCase(Locale.ROOT);
            if (!sender.addresses().contains(address)) {
                return "the sender (From) " + CleanText.escape(address) + " does not belong to " + sender.identity()
                        + ", who logged in: send as yourself";
            }
            return null;
        }
    }

    /** Reads at most {@code limit} bytes, then ends as if the input had, and says so: nothing beyond is buffered. */
    static final class BoundedInputStream extends FilterInputStream {

        private final long limit;
        private long count;
        private boolean exceeded;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        boolean exceeded() {
            return exceeded;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (exceeded) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, limit - count + 1));
            if (n > 0) {
                count += n;
                if (count > limit) {
                    exceeded = true;
                    return -1;
                }
            }
            return n;
        }
    }
}
