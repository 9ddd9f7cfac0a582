package org.blohub.sftp;

import org.apache.camel.CamelContext;
import org.blohub.broker.Credentials;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Readers;
import org.blohub.office.ConfigException;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.Router;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.util.UUID;

/**
 * SFTP both ways (issue 4): the embedded drop box (standalone), each office's inbox read by the hub, and delivery
 * to the agencies that take files. Off altogether with {@code blo.sftp.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "blo.sftp.enabled", havingValue = "true", matchIfMissing = true)
public class SftpConfiguration {

    @Bean
    SftpSettings sftpSettings(Environment env) {
        return SftpSettings.from(env);
    }

    @Bean
    SftpAccounts sftpAccounts(OfficeRegistry offices, Router router, SftpSettings settings) {
        return SftpAccounts.of(offices, router.agencies(), settings.user());
    }

    /** Standalone: started here, so that it listens before any route polls it; stopped with the application. */
    @Bean(destroyMethod = "stop")
    EmbeddedSftpServerHolder embeddedSftpServer(SftpSettings settings, SftpAccounts accounts, Credentials credentials)
            throws Exception {
        if (!settings.embedded()) {
            return new EmbeddedSftpServerHolder(null);
        }
        return new EmbeddedSftpServerHolder(new EmbeddedSftpServer(settings.host(), settings.port(), settings.root(),
                settings.sshDir(), settings.authorizedKeysDir(), accounts, credentials).start());
    }

    @Bean
    SftpEndpoints sftpEndpoints(SftpSettings settings, EmbeddedSftpServerHolder embedded, Credentials credentials) {
        String password = settings.password() != null ? settings.password()
                : credentials.password(settings.user()).orElseThrow(() -> new ConfigException(
                        "no SFTP password for '" + settings.user() + "': set blo.sftp.password or add it to the credentials"));
        EmbeddedSftpServer server = embedded.server();
        if (server != null) {
            return new SftpEndpoints(server.host(), server.port(), settings.user(), password,
                    settings.knownHosts() != null ? settings.knownHosts() : server.knownHostsFile(), settings.timeout());
        }
        if (settings.knownHosts() == null) {
            throw new ConfigException("blo.sftp.embedded=false needs blo.sftp.known-hosts: the known_hosts file holding "
                    + "the SFTP server's host key (the hub never trusts a host key blindly)");
        }
        return new SftpEndpoints(settings.host(), settings.port(), settings.user(), password, settings.knownHosts(),
                settings.timeout());
    }

    @Bean
    SftpFiles sftpFiles(DataSource dataSource) {
        return new SftpFiles(dataSource);
    }

    @Bean(destroyMethod = "")
    SftpClaims sftpClaims(DataSource dataSource) {
        return new SftpClaims(dataSource);
    }

    /**
     * The chunks' transaction manager; not an autowiring candidate, so that the hub keeps one transaction manager by
     * type (the JMS one of HubConfiguration).
     */
    @Bean(destroyMethod = "destroy", autowireCandidate = false)
    SftpTransactions sftpTransactionManager(jakarta.jms.ConnectionFactory connectionFactory) {
        return new SftpTransactions(connectionFactory);
    }

    /** The chunks' transaction ({@code transacted: sftpTransaction} in routes/ingest-sftp.camel.yaml). */
    @Bean
    org.apache.camel.spring.spi.SpringTransactionPolicy sftpTransaction(
            org.springframework.beans.factory.BeanFactory beans) {
        return new org.apache.camel.spring.spi.SpringTransactionPolicy(
                beans.getBean("sftpTransactionManager", SftpTransactions.class));
    }

    @Bean
    SftpReceiptStore sftpReceiptStore(jakarta.jms.ConnectionFactory connectionFactory) {
        return new SftpReceiptStore(connectionFactory);
    }

    @Bean
    SftpReuploads sftpReuploads(DataSource dataSource, org.blohub.receipts.Receipts receipts) {
        return new SftpReuploads(new org.springframework.jdbc.core.JdbcTemplate(dataSource), receipts);
    }

    @Bean
    SftpFileIntake sftpFileIntake(CamelContext camel, OfficeRegistry offices, SftpFiles files, SftpReceiptStore parts,
                                  SftpEndpoints endpoints, SftpSettings settings, Environment env) {
        InputLimits d = InputLimits.DEFAULT;
        InputLimits limits = new InputLimits(
                env.getProperty("blo.ingest.max-document-bytes", Long.class, d.maxDocumentBytes()),
                env.getProperty("blo.ingest.max-depth", Integer.class, d.maxDepth()), d.maxFieldChars(), d.maxRowChars());
        String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        return new SftpFileIntake(camel, new AlertIntake(Readers.all(), new Normalizer()), offices, limits, files,
                parts, endpoints, settings.chunkRows(), settings.retryDelay(), settings.maxRetryDelay(),
                owner.length() > 64 ? owner.substring(owner.length() - 64) : owner);
    }

    @Bean
    SftpInboxFilter sftpInboxFilter(SftpFiles files, SftpClaims claims, SftpSettings settings) {
        return new SftpInboxFilter(files, claims, settings.claimLease());
    }

    @Bean(destroyMethod = "close")
    SftpRecovery sftpRecovery(SftpEndpoints endpoints, SftpAccounts accounts, SftpFiles files, SftpClaims claims,
                              SftpFileIntake intake, SftpSettings settings) {
        return new SftpRecovery(endpoints, accounts, files, claims, intake, settings.claimLease(),
                settings.recoveryInterval());
    }

    @Bean
    SftpDelivery sftpDelivery() {
        return new SftpDelivery();
    }

    @Bean
    SftpRoutes sftpRoutes(CamelContext camel, SftpAccounts accounts, Router router, SftpEndpoints endpoints,
                          SftpSettings settings) {
        return new SftpRoutes(camel, accounts, router.agencies(), endpoints, settings);
    }

    /** The embedded server, or none (production: a real server). */
    public record EmbeddedSftpServerHolder(EmbeddedSftpServer server) {
        public void stop() throws java.io.IOException {
            if (server != null) {
                server.stop();
            }
        }
    }
}
