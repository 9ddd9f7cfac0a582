package org.blohub.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The standalone mail server (DESIGN §8): GreenMail with SMTP and IMAP on one host (127.0.0.1), one mailbox per
 * account the hub knows, each behind its owner's id and password:
 *
 * <pre>
 *   alerts@blo-hub.local                   login hub          where offices mail their alerts; the hub reads it
 *   cc-tip@agencies.blo-hub.local, ...     login CC-TIP, ...  agencies that take mail (agencies.yaml, channel smtp)
 *   vn-laocai@offices.blo-hub.local, ...   login VN-LAOCAI    offices' own addresses: their receipts arrive there
 *   postmaster@blo-hub.local               login postmaster   mail for any other address (password: the hub's)
 * </pre>
 *
 * SMTP takes mail only from an authenticated sender (SMTP AUTH with the same login and password as the mailbox) whose
 * From is its own: an office's From is one of its emailSenders, the hub's is its own address; other logins send
 * nothing ({@link AuthenticatedSmtpServer}). Each mail taken in carries the header
 * {@value AuthenticatedSmtpServer#AUTHENTICATED_SENDER} with who sent it, which the hub's reader checks. IMAP needs the
 * mailbox's login.
 * GreenMail would make a mailbox for every unknown recipient with its address as password; here such mail goes to the
 * postmaster's mailbox instead. Mail is kept in memory only: a restart empties every mailbox (mail the hub has not read
 * yet is lost with it, as with any mail server that loses its disk; production uses a real one).
 */
public final class EmbeddedMailServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMailServer.class);
    public static final String POSTMASTER = "postmaster";

    /** A mailbox: its address, IMAP login and password. */
    public record Mailbox(String address, String login, String password) {
    }

    /** The header the server adds to every mail it takes in: who authenticated (an office id, or hub). */
    public static final String AUTHENTICATED_SENDER = AuthenticatedSmtpServer.AUTHENTICATED_SENDER;

    private final GreenMail greenMail;
    private final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();
    private final Map<String, AuthenticatedSmtpServer.Sender> senders = new ConcurrentHashMap<>();

    /**
     * @param host     the address both servers bind to
     * @param smtpPort 0 picks a free port ({@link #smtpPort()})
     * @param imapPort 0 picks a free port ({@link #imapPort()})
     * @param maxMailBytes the largest mail SMTP takes (552 beyond it, read no further than that)
     */
    public EmbeddedMailServer(String host, int smtpPort, int imapPort, long maxMailBytes) {
        this.greenMail = new GreenMail(new ServerSetup[]{
                new ServerSetup(smtpPort, host, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, host, ServerSetup.PROTOCOL_IMAP)}) {
            @Override
            protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers mgr) {
                Map<String, AbstractServer> services = super.createServices(config, mgr);
                AbstractServer smtp = services.get(ServerSetup.PROTOCOL_SMTP);
                if (smtp != null) {
                    services.put(ServerSetup.PROTOCOL_SMTP, new AuthenticatedSmtpServer(smtp.getServerSetup(), mgr,
                            senders::get, maxMailBytes));
                }
                return services;
            }
        };
        greenMail.withConfiguration(new GreenMailConfiguration());
    }

    /** Adds a mailbox (before or after start). */
    public EmbeddedMailServer mailbox(String address, String login, String password) {
        Mailbox m = new Mailbox(address.toLowerCase(Locale.ROOT), login, password);
        mailboxes.put(m.address(), m);
        if (greenMail.isRunning()) {
            create(m);
        }
        return this;
    }

    /**
     * Lets a login send mail through SMTP, with a From among {@code addresses}; {@code identity} (an office id, or
     * hub) is what the mails it sends carry in {@value #AUTHENTICATED_SENDER}. A login not named here sends nothing.
     */
    public EmbeddedMailServer sender(String login, String identity, Collection<String> addresses) {
        senders.put(login.trim().toLowerCase(Locale.ROOT), new AuthenticatedSmtpServer.Sender(identity,
                addresses.stream().map(a -> a.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet())));
        return this;
    }

    /** The mailbox of an address, if the server has one (for tests: who logs in to send as it). */
    public Optional<Mailbox> mailboxOf(String address) {
        return Optional.ofNullable(mailboxes.get(address.toLowerCase(Locale.ROOT)));
    }

    public EmbeddedMailServer start(String postmasterAddress, String postmasterPassword) {
        greenMail.start();
        UserManager users = greenMail.getUserManager();
        mailboxes.values().forEach(this::create);
        GreenMailUser postmaster = create(new Mailbox(postmasterAddress.toLowerCase(Locale.ROOT), POSTMASTER,
                postmasterPassword));
        users.setMessageDeliveryHandler((msg, to) -> {
            GreenMailUser u = users.getUserByEmail(to.getEmail().toLowerCase(Locale.ROOT));
            if (u == null) {
                LOG.warn("Mail for unknown address {} kept in the {} mailbox", to.getEmail(), POSTMASTER);
                return postmaster;
            }
            return u;
        });
        LOG.info("Embedded mail server: SMTP {}:{}, IMAP {}:{}, {} mailboxes", host(), smtpPort(), host(), imapPort(),
                mailboxes.size() + 1);
        return this;
    }

    private GreenMailUser create(Mailbox m) {
        try {
            UserManager users = greenMail.getUserManager();
            GreenMailUser existing = users.getUser(m.login());
            if (existing != null) {
                users.deleteUser(existing);
            }
            return users.createUser(m.address(), m.login(), m.password());
        } catch (UserException e) {
            throw new IllegalStateException("cannot create the mailbox " + m.address() + ": " + e.getMessage(), e);
        }
    }

    public void stop() {
        greenMail.stop();
    }

    public String host() {
        return greenMail.getSmtp().getServerSetup().getBindAddress();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    /** The GreenMail instance, for tests. */
    public GreenMail greenMail() {
        return greenMail;
    }
}
