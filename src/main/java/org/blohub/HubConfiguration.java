package org.blohub;

import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.CamelContext;
import org.blohub.broker.Principals;
import org.blohub.db.H2Housekeeping;
import org.blohub.dedupe.DedupeStage;
import org.blohub.dedupe.Ledger;
import org.blohub.delivery.Deliveries;
import org.blohub.ingest.IngestRoutes;
import org.blohub.ingest.Intake;
import org.blohub.ingest.JmsIngress;
import org.blohub.normalize.AlertIntake;
import org.blohub.normalize.InputLimits;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Readers;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.blohub.quarantine.Quarantine;
import org.blohub.receipts.Receipts;
import org.blohub.routing.Agency;
import org.blohub.routing.RouteStage;
import org.blohub.routing.Router;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.connection.JmsTransactionManager;

import jakarta.jms.ConnectionFactory;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.util.List;

/**
 * The hub's parts, from its config directory (offices.yaml, agencies.yaml, routing.yaml): a mistake
 * there names the file, the entry and the problem, and the hub does not start.
 */
@Configuration(proxyBeanMethods = false)
public class HubConfiguration {

    @Bean
    OfficeRegistry officeRegistry(@Value("${blo.config-dir:config}") Path configDir) {
        return OfficeRegistry.load(configDir);
    }

    @Bean
    Router router(@Value("${blo.config-dir:config}") Path configDir, OfficeRegistry offices) {
        return Router.load(configDir, offices);
    }

    @Bean
    Principals principals(OfficeRegistry offices, Router router) {
        List<String> officeIds = offices.all().stream().map(Office::id).toList();
        List<String> agencyIds = router.agencies().all().stream().map(Agency::id).toList();
        return new Principals() {
            @Override
            public List<String> officeIds() {
                return officeIds;
            }

            @Override
            public List<String> agencyIds() {
                return agencyIds;
            }
        };
    }

    @Bean
    Intake intake(OfficeRegistry offices,
                  @Value("${blo.ingest.max-document-bytes:10485760}") long maxDocumentBytes,
                  @Value("${blo.ingest.max-depth:32}") int maxDepth) {
        InputLimits d = InputLimits.DEFAULT;
        return new Intake(new AlertIntake(Readers.all(), new Normalizer()), offices,
                new InputLimits(maxDocumentBytes, maxDepth, d.maxFieldChars(), d.maxRowChars()));
    }

    @Bean
    JmsIngress jmsIngress(@Value("${blo.ingest.max-document-bytes:10485760}") long maxDocumentBytes) {
        return new JmsIngress(maxDocumentBytes);
    }

    @Bean
    org.blohub.ingest.PermanentFaults permanentFaults(Ledger ledger) {
        return new org.blohub.ingest.PermanentFaults(ledger);
    }

    @Bean
    Ledger ledger(JdbcTemplate jdbc) {
        return new Ledger(jdbc);
    }

    @Bean
    DedupeStage dedupeStage(Ledger ledger, Receipts receipts) {
        return new DedupeStage(ledger, receipts);
    }

    @Bean
    RouteStage routeStage(Router router) {
        return new RouteStage(router);
    }

    @Bean
    Deliveries deliveries(Router router) {
        return new Deliveries(router.agencies());
    }

    @Bean
    Receipts receipts() {
        return new Receipts();
    }

    @Bean
    Quarantine quarantine() {
        return new Quarantine();
    }

    /** Drops Camel* headers in any letter case, both ways (Camel 4.17 header-injection advisories). */
    @Bean
    HeaderFilterStrategy hubHeaderFilter() {
        JmsHeaderFilterStrategy f = new JmsHeaderFilterStrategy();
        f.setCaseInsensitive(true);
        f.setInFilterPattern("(?i)(camel|org\\.apache\\.camel).*");
        f.setOutFilterPattern("(?i)(camel|org\\.apache\\.camel).*");
        return f;
    }

    /** For the synchronous API: its sends to the broker commit together, or not at all. */
    @Bean
    JmsTransactionManager jmsTransactionManager(ConnectionFactory connectionFactory) {
        return new JmsTransactionManager(connectionFactory);
    }

    /** The API's transaction: its sends to the broker commit together. */
    @Bean
    SpringTransactionPolicy apiTransaction(JmsTransactionManager jmsTransactionManager) {
        return new SpringTransactionPolicy(jmsTransactionManager);
    }

    /** One JMS ingest route per office, from the route template in routes/ingest-jms.camel.yaml. */
    @Bean
    IngestRoutes ingestRoutes(OfficeRegistry offices, CamelContext camel) {
        return new IngestRoutes(offices, camel);
    }

    /** The standalone H2 file's housekeeping (a no-op on PostgreSQL): see {@link H2Housekeeping}. */
    @Bean
    H2Housekeeping h2Housekeeping(DataSource dataSource) {
        return new H2Housekeeping(dataSource);
    }
}
