package org.blohub.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.office.ConfigException;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hub's JMS side: {@link Credentials}, and either the {@link EmbeddedBroker} (standalone, default) or a connection
 * to an external broker (production).
 *
 * <h2>Properties</h2>
 * <pre>
 * blo.data-dir                       data                 journal in &lt;data-dir&gt;/artemis, standalone credentials file
 * blo.credentials.file               (unset)              production credentials file (env BLO_CREDENTIALS_FILE);
 *                                                         required with the "production" profile; never generated
 * blo.broker.embedded                true                 false: connect to blo.broker.url instead
 * blo.broker.host                    blo.bind-address     TCP acceptor (blo.bind-address: 127.0.0.1)
 * blo.broker.port                    61616                0 = any free port
 * blo.broker.in-vm-id                0                    the hub connects to vm://&lt;id&gt;
 * blo.broker.journal-buffer-timeout  100us                NIO journal buffer timeout (Artemis' default is 3333us; 0 = none)
 * blo.broker.redelivery-delay        1s                   first redelivery delay ...
 * blo.broker.redelivery-multiplier   2.0                  ... multiplied per attempt ...
 * blo.broker.max-redelivery-delay    60s                  ... up to this
 * blo.broker.max-delivery-attempts   6                    then DLQ.&lt;queue&gt;
 * blo.broker.id-cache-size           100000               duplicate-detection ids per address (persisted)
 * blo.broker.jmx                     false                broker MBeans on the platform MBean server
 * blo.broker.audit-log               false                true: leave org.apache.activemq.audit.* to the logging config
 * blo.broker.max-disk-usage          90                   % disk use above which producers block (-1 off)
 * blo.broker.url / user / password   - / hub / -          external broker (blo.broker.embedded=false); the password
 *                                                         defaults to the user's entry in the credentials
 * </pre>
 *
 * <h2>Spring Boot's own Artemis auto-configuration</h2>
 * {@code ArtemisAutoConfiguration} (which would start a second, non-persistent, unsecured embedded broker and its own
 * connection factory) is {@code @ConditionalOnMissingBean(ConnectionFactory.class)} as a whole, including its
 * {@code ArtemisEmbeddedServerConfiguration}. Both branches here define the {@code jmsConnectionFactory} bean, and
 * user configuration is processed before auto-configuration, so Boot's Artemis support backs off entirely and
 * {@code spring.artemis.*} properties have no effect (BrokerConfigurationTest checks this). To make it explicit as
 * well, the application may add {@code spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration}.
 * {@code JmsAutoConfiguration} (JmsTemplate, listener container factory) stays and uses this connection factory.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    public static final String PRODUCTION_PROFILE = "production";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public Credentials credentials(Environment env, OfficeRegistry offices, ObjectProvider<Principals> principals) {
        List<String> ids = Credentials.principalIds(officeIds(offices, principals.getIfAvailable()),
                agencyIds(principals.getIfAvailable()));
        String file = env.getProperty(Credentials.FILE_PROPERTY);
        if (file != null && !file.isBlank()) {
            return Credentials.fromFile(Path.of(file), ids);
        }
        if (env.acceptsProfiles(Profiles.of(PRODUCTION_PROFILE))) {
            throw new ConfigException("the production profile needs " + Credentials.FILE_PROPERTY
                    + " (or env BLO_CREDENTIALS_FILE): passwords are only generated standalone");
        }
        return Credentials.standalone(dataDir(env), ids);
    }

    /** Standalone: the embedded broker, and the hub's in-VM connection factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "blo.broker.embedded", havingValue = "true", matchIfMissing = true)
    static class Embedded {

        @Bean
        @ConditionalOnMissingBean
        BrokerTopology brokerTopology(OfficeRegistry offices, ObjectProvider<Principals> principals) {
            return new BrokerTopology(officeIds(offices, principals.getIfAvailable()),
                    agencyIds(principals.getIfAvailable()));
        }

        @Bean
        @ConditionalOnMissingBean
        BrokerSettings brokerSettings(Environment env) {
            Duration bufferTimeout = duration(env, "blo.broker.journal-buffer-timeout",
                    Duration.ofNanos(BrokerSettings.DEFAULT_JOURNAL_BUFFER_TIMEOUT_NANOS));
            return new BrokerSettings(
                    dataDir(env),
                    env.getProperty("blo.broker.host", env.getProperty("blo.bind-address", BrokerSettings.DEFAULT_HOST)),
                    env.getProperty("blo.broker.port", Integer.class, BrokerSettings.DEFAULT_PORT),
                    env.getProperty("blo.broker.in-vm-id", Integer.class, 0),
                    Math.toIntExact(bufferTimeout.toNanos()),
                    duration(env, "blo.broker.redelivery-delay", Duration.ofSeconds(1)),
                    env.getProperty("blo.broker.redelivery-multiplier", Double.class, 2.0),
                    duration(env, "blo.broker.max-redelivery-delay", Duration.ofSeconds(60)),
                    env.getProperty("blo.broker.max-delivery-attempts", Integer.class, 6),
                    env.getProperty("blo.broker.id-cache-size", Integer.class, 100_000),
                    env.getProperty("blo.broker.jmx", Boolean.class, false),
                    env.getProperty("blo.broker.audit-log", Boolean.class, false),
                    env.getProperty("blo.broker.max-disk-usage", Integer.class, 90));
        }

        /** Started here, so it runs before any bean that takes the connection factory; stopped last. */
        @Bean(destroyMethod = "stop")
        EmbeddedBroker embeddedBroker(BrokerSettings settings, Credentials credentials, BrokerTopology topology,
                                      Environment env) throws Exception {
            return new EmbeddedBroker(settings, credentials, topology)
                    .limitInbound(env.getProperty(MessageSize.SETTING, Long.class, MessageSize.DEFAULT_LIMIT))
                    .start();
        }

        /** The hub's connection factory: in-VM, user hub, ObjectMessage refused. */
        @Bean
        ConnectionFactory jmsConnectionFactory(EmbeddedBroker broker) {
            return broker.hubConnectionFactory();
        }
    }

    /** Production: an external broker (or cluster) by URL; it must be set up with the same queues and roles. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "blo.broker.embedded", havingValue = "false")
    static class External {

        @Bean
        ConnectionFactory jmsConnectionFactory(Environment env, Credentials credentials) {
            String url = env.getProperty("blo.broker.url");
            if (url == null || url.isBlank()) {
                throw new ConfigException("blo.broker.embedded=false needs blo.broker.url (e.g. tcp://broker:61616)");
            }
            String user = env.getProperty("blo.broker.user", Credentials.HUB);
            String password = env.getProperty("blo.broker.password");
            if (password == null) {
                password = credentials.password(user).orElseThrow(() -> new ConfigException(
                        "no password for broker user '" + user + "': set blo.broker.password or add it to the credentials"));
            }
            LOG.info("Using the external broker {} as '{}'", url, user);
            return EmbeddedBroker.hubClient(new ActiveMQConnectionFactory(url, user, password));
        }
    }

    // -------------------------------------------------------------------------------------------------------------

    static Path dataDir(Environment env) {
        return Path.of(env.getProperty("blo.data-dir", "data"));
    }

    static Duration duration(Environment env, String key, Duration fallback) {
        String v = env.getProperty(key);
        return v == null || v.isBlank() ? fallback : DurationStyle.detectAndParse(v.trim());
    }

    /** The registry's offices; a {@link Principals} bean, if any, must name the same ones. */
    static List<String> officeIds(OfficeRegistry offices, Principals principals) {
        List<String> ids = offices.all().stream().map(Office::id).toList();
        if (principals != null && !principals.officeIds().isEmpty()) {
            Set<String> a = new TreeSet<>(ids);
            Set<String> b = new TreeSet<>(principals.officeIds());
            if (!a.equals(b)) {
                throw new ConfigException("the offices of Principals " + b + " differ from the office registry " + a);
            }
        }
        return ids;
    }

    static List<String> agencyIds(Principals principals) {
        if (principals == null) {
            LOG.warn("No {} bean: the broker has no agency users or queues", Principals.class.getName());
            return List.of();
        }
        return principals.agencyIds();
    }
}
