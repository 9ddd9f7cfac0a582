package org.blohub.mail;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.DefaultAuthenticator;
import org.apache.camel.component.mail.MailAuthenticator;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.blohub.broker.Credentials;
import org.blohub.dedupe.Ledger;
import org.blohub.normalize.InputLimits;
import org.blohub.office.ConfigException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Agency;
import org.blohub.routing.Router;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import javax.sql.DataSource;
import java.util.List;
import java.util.Properties;

/**
 * The mail channel (issue 4): offices send alerts by mail to the hub's mailbox, which the hub polls over IMAP;
 * agencies that take mail get their alerts by SMTP. Standalone, the embedded GreenMail server provides both
 * ({@link EmbeddedMailServer}); in production the hub points at real servers ({@link MailSettings}).
 * Routes: routes/mail.camel.yaml, instantiated by {@link MailRoutes}. Off altogether with {@code blo.mail.enabled=false}:
 * no server, no mail beans, no mail routes (and an agency with {@code channel: smtp} stops the hub from starting:
 * {@link org.blohub.routing.ChannelSwitches}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "blo.mail.enabled", havingValue = "true", matchIfMissing = true)
public class MailConfiguration {

    /** Name under which the IMAP consumer's idempotent repository is kept (its rows' processorName). */
    public static final String REPOSITORY_NAME = "blo-mail-in";

    /** On when the mail channel is and {@code blo.mail.embedded} (default true, false with the production profile). */
    static final class EmbeddedCondition implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            return MailSettings.enabled(env) && MailSettings.embedded(env);
        }
    }

    /** The standalone mail server, with a mailbox for the hub, every mail agency and every office address. */
    @Bean(destroyMethod = "stop")
    @Conditional(EmbeddedCondition.class)
    EmbeddedMailServer embeddedMailServer(Environment env, Credentials credentials, OfficeRegistry offices,
                                          Router router) {
        EmbeddedMailServer server = new EmbeddedMailServer(env.getProperty("blo.mail.host", env.getProperty("blo.bind-address", "127.0.0.1")),
                env.getProperty("blo.mail.smtp-port", Integer.class, 2525),
                env.getProperty("blo.mail.imap-port", Integer.class, 2143),
                MailSettings.maxBytes(env));
        String hubLogin = MailSettings.imapUser(env);
        String hubPassword = MailSettings.password(env, "blo.mail.imap.password", hubLogin, credentials);
        String address = MailSettings.address(env);
        server.mailbox(address, hubLogin, hubPassword);
        server.sender(hubLogin, Credentials.HUB, List.of(address));
        for (Agency a : router.agencies().all()) {
            if (a.delivery().channel() == Agency.Channel.SMTP) {
                server.mailbox(a.delivery().address(), a.id(), credentials.clearPassword(a.id()));
            }
        }
        for (Office o : offices.all()) {
            String password = credentials.clearPassword(o.id());
            for (int i = 0; i < o.emailSenders().size(); i++) {
                String sender = o.emailSenders().get(i);
                String login = i == 0 ? o.id() : sender;
                server.mailbox(sender, login, password);
                server.sender(login, o.id(), o.emailSenders());
            }
        }
        return server.start(EmbeddedMailServer.POSTMASTER + address.substring(address.indexOf('@')), hubPassword);
    }

    @Bean
    MailSettings mailSettings(Environment env, Credentials credentials, ObjectProvider<EmbeddedMailServer> embedded) {
        return MailSettings.from(env, credentials, embedded.getIfAvailable());
    }

    /** The hub's login to its mailbox (no password in any endpoint URI). */
    @Bean
    MailAuthenticator mailInAuthenticator(MailSettings settings) {
        return new DefaultAuthenticator(settings.imapUser(), settings.imapPassword());
    }

    /** The hub's SMTP AUTH login, when the relay wants one. */
    @Bean
    MailAuthenticator mailOutAuthenticator(MailSettings settings) {
        return new DefaultAuthenticator(settings.smtpUser(), settings.smtpPassword());
    }

    /** JavaMail properties of the SMTP sessions: STARTTLS when asked for, and timeouts for writes too. */
    @Bean
    Properties mailOutProperties(MailSettings settings) {
        Properties p = new Properties();
        String proto = settings.smtpProtocol();
        p.setProperty("mail." + proto + ".writetimeout", String.valueOf(settings.timeout().toMillis()));
        if (settings.smtpUser() != null) {
            p.setProperty("mail." + proto + ".auth", "true");
        }
        if (settings.startTls()) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        return p;
    }

    /**
     * What proves a mail's From: reading the embedded server's mailbox, the sender it authenticated
     * ({@link EmbeddedSenderProof}); reading a real server's, its {@code Authentication-Results}
     * ({@link AuthenticationResults}, with {@code blo.mail.authserv-id}, then required).
     */
    @Bean
    SenderProof senderProof(Environment env, ObjectProvider<EmbeddedMailServer> embedded) {
        String imapHost = env.getProperty("blo.mail.imap.host");
        if (embedded.getIfAvailable() != null && (imapHost == null || imapHost.isBlank())) {
            return new EmbeddedSenderProof();
        }
        String authservId = env.getProperty("blo.mail.authserv-id");
        if (authservId == null || authservId.isBlank()) {
            throw new ConfigException("blo.mail.authserv-id is required with a mail server of your own: the"
                    + " authserv-id its Authentication-Results headers carry (RFC 8601), which prove who sent a mail");
        }
        return new AuthenticationResults(authservId);
    }

    @Bean
    MailReader mailReader(OfficeRegistry offices, MailSettings settings, SenderProof senderProof,
                          @Value("${blo.ingest.max-document-bytes:10485760}") long maxDocumentBytes,
                          @Value("${blo.ingest.max-depth:32}") int maxDepth,
                          @Value("${blo.mail.max-alert-parts:" + MailReader.DEFAULT_MAX_ALERT_PARTS + "}") int maxAlertParts) {
        InputLimits d = InputLimits.DEFAULT;
        String domain = settings.address().substring(settings.address().indexOf('@') + 1);
        return new MailReader(offices, new InputLimits(maxDocumentBytes, maxDepth, d.maxFieldChars(), d.maxRowChars()),
                domain, senderProof, maxAlertParts);
    }

    @Bean
    MailIngress mailIngress(MailReader reader, MailSettings settings, Ledger ledger) {
        return new MailIngress(reader, settings.maxBytes(), settings.maxAttempts(), ledger);
    }

    @Bean
    MailIntake mailIntake() {
        return new MailIntake();
    }

    @Bean
    MailReplies mailReplies(MailReader reader, MailSettings settings) {
        return new MailReplies(reader.session(), settings.address());
    }

    @Bean
    MailDelivery mailDelivery(MailReader reader, MailSettings settings, Router router, Ledger ledger) {
        return new MailDelivery(reader.session(), settings.address(), router.agencies(), ledger,
                settings.attachmentRenderings());
    }

    /**
     * Mails taken in, by key (SHA-256 of Message-ID and bytes): table {@code camel_messageprocessed} (Flyway V2),
     * in the hub's database, so that hub instances sharing a mailbox share it too (DESIGN §9).
     */
    @Bean
    JdbcMessageIdRepository mailIdempotentRepository(DataSource dataSource) {
        JdbcMessageIdRepository r = new JdbcMessageIdRepository(dataSource, REPOSITORY_NAME);
        r.setCreateTableIfNotExists(false);
        return r;
    }

    @Bean
    MailRoutes mailRoutes(MailSettings settings, Router router, CamelContext camel) {
        return new MailRoutes(settings, router.agencies(), camel);
    }
}
