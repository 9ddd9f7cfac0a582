package org.blohub.mail;

import org.blohub.broker.BrokerConfiguration;
import org.blohub.broker.Credentials;
import org.blohub.office.ConfigException;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The mail channel's settings (config/application.yaml, section {@code blo.mail}).
 *
 * <pre>
 * blo.mail.enabled                 true            false: no mail server, beans or routes; an smtp agency is then a config error
 * blo.mail.embedded                true            the embedded GreenMail server; default false with the production profile
 * blo.mail.host                    bind-address    the embedded servers' address (blo.bind-address: 127.0.0.1)
 * blo.mail.smtp-port               2525            the embedded SMTP server (0: any free port)
 * blo.mail.imap-port               2143            the embedded IMAP server (0: any free port)
 * blo.mail.address                 alerts@blo-hub.local  where offices mail alerts; From of every mail the hub sends
 * blo.mail.imap.protocol           imap            imap or imaps
 * blo.mail.imap.host / port        (embedded)      the mailbox server; required when not embedded
 * blo.mail.imap.user               hub             the mailbox login
 * blo.mail.imap.password           (credentials)   empty: the login's entry in the credentials
 * blo.mail.imap.folder             INBOX
 * blo.mail.imap.move-to            (none)          a folder to move a mail to once taken in; none: it is marked seen
 * blo.mail.imap.poll-delay         10s             between polls
 * blo.mail.imap.max-per-poll       20              mails taken per poll
 * blo.mail.imap.max-bytes          25 MiB          a larger mail is refused (kept in the mailbox, answered)
 * blo.mail.imap.max-attempts       10              failed attempts before a mail is refused (quarantined, answered)
 * blo.mail.smtp.protocol           smtp            smtp or smtps
 * blo.mail.smtp.host / port        (embedded)      the relay the hub sends through; required when not embedded
 * blo.mail.smtp.user / password    (see right)     SMTP AUTH; default: the mailbox login with the embedded relay,
 *                                                  else none (no authentication)
 * blo.mail.smtp.starttls           false           true: STARTTLS required
 * blo.mail.timeout                 30s             connect and read timeout of both
 * blo.mail.attachment-renderings   cap             renderings sent as an attachment; the others as the body
 * blo.mail.max-alert-parts         100             a mail with more parts to read as alerts is refused whole
 * blo.mail.authserv-id             (none)          the authserv-id of the mail server's Authentication-Results (RFC
 *                                                  8601), which prove the From; required unless the hub reads the
 *                                                  embedded server's mailbox (that one proves it by SMTP AUTH)
 * </pre>
 */
public record MailSettings(boolean enabled, String address,
                           String imapProtocol, String imapHost, int imapPort, String imapUser, String imapPassword,
                           String folder, String moveTo, Duration pollDelay, int maxPerPoll, long maxBytes,
                           int maxAttempts,
                           String smtpProtocol, String smtpHost, int smtpPort, String smtpUser, String smtpPassword,
                           boolean startTls, Duration timeout, Set<String> attachmentRenderings) {

    public static final String DEFAULT_ADDRESS = "alerts@blo-hub.local";

    public static boolean enabled(Environment env) {
        return env.getProperty("blo.mail.enabled", Boolean.class, true);
    }

    /** Embedded unless said otherwise, but not by default with the production profile. */
    public static boolean embedded(Environment env) {
        boolean production = env.acceptsProfiles(Profiles.of(BrokerConfiguration.PRODUCTION_PROFILE));
        return env.getProperty("blo.mail.embedded", Boolean.class, !production);
    }

    public static String address(Environment env) {
        String a = env.getProperty("blo.mail.address", DEFAULT_ADDRESS).trim();
        if (!a.matches("[^@\\s]+@[^@\\s]+")) {
            throw new ConfigException("blo.mail.address: not a mail address: '" + a + "'");
        }
        return a.toLowerCase(Locale.ROOT);
    }

    /** The largest mail the hub reads (and the embedded SMTP server takes in). */
    public static long maxBytes(Environment env) {
        return env.getProperty("blo.mail.imap.max-bytes", Long.class, 25L * 1024 * 1024);
    }

    public static String imapUser(Environment env) {
        return blankToDefault(env.getProperty("blo.mail.imap.user"), Credentials.HUB);
    }

    /** The password of a login: the property if set, else the login's entry in the credentials. */
    public static String password(Environment env, String property, String login, Credentials credentials) {
        String p = env.getProperty(property);
        if (p != null && !p.isEmpty()) {
            return p;
        }
        return credentials.password(login).orElseThrow(() -> new ConfigException(
                "no password for the mail login '" + login + "': set " + property + " or add it to the credentials"));
    }

    /**
     * Reads the settings; the servers default to the embedded one ({@code embedded} null when it is off, and then the
     * hosts are required).
     */
    public static MailSettings from(Environment env, Credentials credentials, EmbeddedMailServer embedded) {
        boolean enabled = enabled(env);
        String imapHost = blankToDefault(env.getProperty("blo.mail.imap.host"), embedded == null ? null : embedded.host());
        int imapPort = port(env, "blo.mail.imap.port", embedded == null ? 0 : embedded.imapPort());
        String smtpHost = blankToDefault(env.getProperty("blo.mail.smtp.host"), embedded == null ? null : embedded.host());
        int smtpPort = port(env, "blo.mail.smtp.port", embedded == null ? 0 : embedded.smtpPort());
        if (enabled && (imapHost == null || smtpHost == null || imapPort <= 0 || smtpPort <= 0)) {
            throw new ConfigException("the embedded mail server is off (blo.mail.embedded=false): set blo.mail.imap.host,"
                    + " blo.mail.imap.port, blo.mail.smtp.host and blo.mail.smtp.port (or blo.mail.enabled=false)");
        }
        String imapUser = imapUser(env);
        String imapPassword = enabled ? password(env, "blo.mail.imap.password", imapUser, credentials) : "";
        boolean embeddedRelay = embedded != null && blankToDefault(env.getProperty("blo.mail.smtp.host"), null) == null;
        String smtpUser = blankToDefault(env.getProperty("blo.mail.smtp.user"), embeddedRelay ? imapUser : null);
        String smtpPassword = smtpUser == null ? null
                : embeddedRelay && smtpUser.equals(imapUser) && blankToDefault(env.getProperty("blo.mail.smtp.password"), null) == null
                ? imapPassword : password(env, "blo.mail.smtp.password", smtpUser, credentials);
        Set<String> renderings = new LinkedHashSet<>();
        Arrays.stream(env.getProperty("blo.mail.attachment-renderings", "cap").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).forEach(renderings::add);
        for (String r : renderings) {
            if (!Set.of("json", "xml", "cap").contains(r)) {
                throw new ConfigException("blo.mail.attachment-renderings: '" + r + "' is not a rendering (json, xml, cap)");
            }
        }
        return new MailSettings(enabled, address(env),
                protocol(env, "blo.mail.imap.protocol", "imap", "imaps"), imapHost, imapPort, imapUser, imapPassword,
                env.getProperty("blo.mail.imap.folder", "INBOX"),
                blankToDefault(env.getProperty("blo.mail.imap.move-to"), null),
                duration(env, "blo.mail.imap.poll-delay", Duration.ofSeconds(10)),
                env.getProperty("blo.mail.imap.max-per-poll", Integer.class, 20),
                maxBytes(env),
                env.getProperty("blo.mail.imap.max-attempts", Integer.class, 10),
                protocol(env, "blo.mail.smtp.protocol", "smtp", "smtps"), smtpHost, smtpPort, smtpUser, smtpPassword,
                env.getProperty("blo.mail.smtp.starttls", Boolean.class, false),
                duration(env, "blo.mail.timeout", Duration.ofSeconds(30)), Set.copyOf(renderings));
    }

    /** The hub's mailbox as a camel-mail consumer: PEEK (unseen until the exchange completes), never deleted. */
    public String imapUri() {
        StringBuilder sb = new StringBuilder(imapProtocol).append("://").append(imapHost).append(':').append(imapPort)
                .append("?folderName=").append(folder)
                .append("&peek=true&unseen=true&delete=false&mapMailMessage=false")
                .append("&closeFolder=false&disconnect=false&skipFailedMessage=false&handleFailedMessage=false")
                .append("&maxMessagesPerPoll=").append(maxPerPoll)
                .append("&delay=").append(pollDelay.toMillis())
                .append("&initialDelay=").append(Math.min(1000, pollDelay.toMillis()))
                .append("&connectionTimeout=").append(timeout.toMillis())
                .append("&authenticator=#mailInAuthenticator");
        if (moveTo != null) {
            sb.append("&moveTo=").append(moveTo);
        }
        return sb.toString();
    }

    /** The relay as a camel-mail producer; the mails themselves are built by the hub (MimeMessage bodies). */
    public String smtpUri() {
        StringBuilder sb = new StringBuilder(smtpProtocol).append("://").append(smtpHost).append(':').append(smtpPort)
                .append("?connectionTimeout=").append(timeout.toMillis())
                .append("&additionalJavaMailProperties=#mailOutProperties");
        if (smtpUser != null) {
            sb.append("&authenticator=#mailOutAuthenticator");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "MailSettings[" + address + ", " + imapProtocol + "://" + imapUser + "@" + imapHost + ":" + imapPort
                + "/" + folder + ", " + smtpProtocol + "://" + (smtpUser == null ? "" : smtpUser + "@") + smtpHost + ":"
                + smtpPort + "]"; // never the passwords
    }

    private static String protocol(Environment env, String key, String plain, String tls) {
        String p = env.getProperty(key, plain).trim().toLowerCase(Locale.ROOT);
        if (!p.equals(plain) && !p.equals(tls)) {
            throw new ConfigException(key + ": '" + p + "' is neither " + plain + " nor " + tls);
        }
        return p;
    }

    private static int port(Environment env, String key, int fallback) {
        Integer p = env.getProperty(key, Integer.class);
        return p == null || p == 0 ? fallback : p;
    }

    private static Duration duration(Environment env, String key, Duration fallback) {
        String v = env.getProperty(key);
        return v == null || v.isBlank() ? fallback : DurationStyle.detectAndParse(v.trim());
    }

    private static String blankToDefault(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v.trim();
    }
}
