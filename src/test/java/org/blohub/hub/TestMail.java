package org.blohub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.blohub.mail.EmbeddedMailServer;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Mail as offices and agencies use it in the tests: raw bytes sent over SMTP exactly as given (as {@code curl} does),
 * authenticated (SMTP AUTH PLAIN) as the owner of the sender's mailbox unless a test says otherwise; mailboxes read over
 * IMAP with the owner's login; and raw RFC 5322 mails built byte by byte, so that the charset of every part and header
 * is the test's choice.
 */
public final class TestMail {

    /** The server refused the mail: its SMTP reply. */
    public static final class Refused extends IOException {
        private final String reply;

        Refused(String expected, String reply) {
            super("SMTP: expected " + expected + ", got " + reply);
            this.reply = reply;
        }

        public String reply() {
            return reply;
        }
    }

    private final EmbeddedMailServer server;
    private final String host;
    private final int smtpPort;
    private final int imapPort;

    public TestMail(EmbeddedMailServer server) {
        this.server = server;
        this.host = server.host();
        this.smtpPort = server.smtpPort();
        this.imapPort = server.imapPort();
    }

    /**
     * Sends {@code raw} (line ends LF or CRLF) to {@code to}, envelope sender {@code from}, over plain SMTP, logged in
     * as the owner of the mailbox of {@code from} (an office with its id and password).
     */
    public void send(String from, String to, byte[] raw) throws IOException {
        EmbeddedMailServer.Mailbox owner = server.mailboxOf(from)
                .orElseThrow(() -> new IllegalArgumentException("no mailbox for " + from + ": use sendAs or deliver"));
        sendAs(owner.login(), owner.password(), from, to, raw);
    }

    /** As {@link #send}, logged in as {@code login} ({@code null}: no AUTH at all). */
    public void sendAs(String login, String password, String from, String to, byte[] raw) throws IOException {
        try (Socket s = new Socket(host, smtpPort)) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO test.local", "250");
            if (login != null) {
                command(out, in, "AUTH PLAIN " + Base64.getEncoder().encodeToString(
                        ("\0" + login + "\0" + password).getBytes(StandardCharsets.UTF_8)), "235");
            }
            command(out, in, "MAIL FROM:<" + from + ">", "250");
            command(out, in, "RCPT TO:<" + to + ">", "250");
            command(out, in, "DATA", "354");
            out.write(dotStuffed(raw));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(in, "250");
            command(out, in, "QUIT", "221");
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("SMTP connection closed, expected " + code);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new Refused(code, line);
        }
    }

    /**
     * Puts {@code raw} straight into the mailbox of {@code to}, as a mail that reached it by another way than the
     * embedded SMTP server (a mail server's own delivery): nothing authenticated it.
     */
    public void deliver(String to, byte[] raw) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new java.io.ByteArrayInputStream(raw));
        server.greenMail().getUserManager().getUserByEmail(to).deliver(m);
    }

    /** CRLF line ends, a leading '.' doubled, and a final CRLF. */
    static byte[] dotStuffed(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Every mail in the INBOX of {@code login}, read over IMAP with its password (copied out of the folder). */
    public List<MimeMessage> read(String login, String password) throws MessagingException {
        Session session = Session.getInstance(new Properties());
        Store store = session.getStore("imap");
        store.connect(host, imapPort, login, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<MimeMessage> out = new ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(new MimeMessage((MimeMessage) m));
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }

    /** The mails of a mailbox that match, once there is at least one (waits up to 30 s). */
    public List<MimeMessage> await(String login, String password, Predicate<MimeMessage> match) {
        List<List<MimeMessage>> found = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<MimeMessage> m = read(login, password).stream().filter(match).toList();
            found.clear();
            found.add(m);
            return !m.isEmpty();
        });
        return found.get(0);
    }

    public static Predicate<MimeMessage> withHeader(String name, String value) {
        return m -> value.equals(header(m, name));
    }

    public static String header(Part m, String name) {
        try {
            String[] v = m.getHeader(name);
            return v == null ? null : v[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first text/plain part's text. */
    public static String text(Part p) throws MessagingException, IOException {
        if (p.isMimeType("text/plain")) {
            return (String) p.getContent();
        }
        if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                String t = text(mp.getBodyPart(i));
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The attachment of that file name, if any. */
    public static Optional<BodyPart> attachment(Part p, String fileName) throws MessagingException, IOException {
        if (p.getContent() instanceof Multipart mp) {
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart b = mp.getBodyPart(i);
                if (fileName.equals(b.getFileName())) {
                    return Optional.of(b);
                }
            }
        }
        return Optional.empty();
    }

    public static String content(Part p) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- building raw mails ------------------------------------------------------------------------------------

    /** An RFC 2047 B encoded-word of {@code text} in {@code charset}. */
    public static String encodedWord(String text, Charset charset, String label) {
        return "=?" + label + "?B?" + Base64.getEncoder().encodeToString(text.getBytes(charset)) + "?=";
    }

    /** A whole mail: the headers (ASCII, already encoded), a blank line, then the body bytes. */
    public static byte[] mail(List<String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String h : headers) {
            out.writeBytes((h + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The usual headers of a mail from {@code from} to the hub. */
    public static List<String> headers(String from, String subjectHeader, String messageId) {
        List<String> h = new ArrayList<>();
        h.add("From: " + from);
        h.add("To: alerts@blo-hub.local");
        h.add("Subject: " + subjectHeader);
        h.add("Message-ID: " + messageId);
        h.add("Date: Mon, 23 Nov 2026 09:15:00 +0700");
        h.add("MIME-Version: 1.0");
        return h;
    }

    /** A multipart/mixed body of the given parts (each: its header lines, a blank line, its bytes). */
    public static byte[] multipart(String boundary, List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("This is a multi-part message in MIME format.\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** One part: its header lines, a blank line, its bytes. */
    public static byte[] part(List<String> headers, byte[] content) {
        return mail(headers, content);
    }

    public static String base64Lines(byte[] bytes) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes) + "\r\n";
    }

    /**
     * Text in a charset, strictly. windows-1258 has no precomposed letters with tone marks: the tone is written as a
     * combining mark after the letter (as Vietnamese Windows software does).
     */
    public static byte[] encode(String text, Charset cs) {
        String t = cs.name().equals("windows-1258") ? toneMarksApart(text) : text;
        var enc = cs.newEncoder();
        assertThat(enc.canEncode(t)).as("test text encodable in " + cs).isTrue();
        try {
            var b = enc.encode(java.nio.CharBuffer.wrap(t));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            assertThat(java.text.Normalizer.normalize(new String(out, cs), java.text.Normalizer.Form.NFC))
                    .isEqualTo(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC)); // the bytes say what the test means
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError(e);
        }
    }

    /** Each letter as its base (with its other marks, composed) followed by its Vietnamese tone mark, if any. */
    static String toneMarksApart(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            String d = java.text.Normalizer.normalize(String.valueOf(text.charAt(i)), java.text.Normalizer.Form.NFD);
            StringBuilder base = new StringBuilder();
            StringBuilder tone = new StringBuilder();
            for (char ch : d.toCharArray()) {
                if ("\u0300\u0301\u0303\u0309\u0323".indexOf(ch) >= 0) {
                    tone.append(ch);
                } else {
                    base.append(ch);
                }
            }
            out.append(java.text.Normalizer.normalize(base, java.text.Normalizer.Form.NFC)).append(tone);
        }
        return out.toString();
    }
}
