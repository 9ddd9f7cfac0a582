package org.blohub.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
 * SMTP takes mail from 127.0.0.1 without authentication, as a site's own relay would; IMAP needs the mailbox's login.
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

    private final GreenMail greenMail;
    private final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();

    /**
     * @param host     the address both servers bind to
     * @param smtpPort 0 picks a free port ({@link #smtpPort()})
     * @param imapPort 0 picks a free port ({@link #imapPort()})
     */
    public EmbeddedMailServer(String host, int smtpPort, int imapPort) {
        this.greenMail = new GreenMail(new ServerSetup[]{
                new ServerSetup(smtpPort, host, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, host, ServerSetup.PROTOCOL_IMAP)});
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
