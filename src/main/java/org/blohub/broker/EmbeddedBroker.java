package org.blohub.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMAcceptorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptor;
import org.apache.activemq.artemis.core.remoting.impl.netty.NettyAcceptorFactory;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hub's embedded ActiveMQ Artemis broker (DESIGN §2, §7, §8).
 *
 * <ul>
 *   <li>Persistent NIO journal under {@code <data-dir>/artemis/} ({@code bindings}, {@code journal}, {@code paging},
 *       {@code large-messages}); libaio is absent on this machine, so NIO it is, with a configurable buffer timeout
 *       (default 100 us, see {@link BrokerSettings#DEFAULT_JOURNAL_BUFFER_TIMEOUT_NANOS}).</li>
 *   <li>Two acceptors: in-VM ({@code vm://<inVmId>}) for the hub itself, and TCP on host:port for offices and
 *       agencies. The TCP acceptor takes every protocol whose module is on the classpath (no {@code protocols}
 *       restriction); today only CORE is (the build has no artemis-amqp/stomp/openwire-protocol jars), so AMQP, STOMP
 *       and OpenWire on 61616 need those modules added to the pom.</li>
 *   <li>Security on, through {@link HubSecurityManager} ({@link Credentials} + the roles of {@link BrokerTopology}),
 *       with {@code populate-validated-user}: every message carries {@code _AMQ_VALIDATED_USER} = the authenticated
 *       sender, overwritten by the broker whatever the client set, so the hub takes the office from there, never
 *       from the payload. Artemis' built-in cluster user (which bypasses authorization) gets a random password per
 *       start that nobody knows.</li>
 *   <li>All queues of the topology pre-created (anycast, durable); no auto-creation except under {@code hub.#} (the
 *       hub's own stages; only the hub may create there anyway).</li>
 *   <li>Address settings for {@code #}: redelivery with exponential backoff, a bounded number of delivery attempts,
 *       then a dead-letter queue per queue ({@code DLQ.<queue>} on address {@value BrokerTopology#DEAD_LETTER_ADDRESS},
 *       created by the broker when first needed, never auto-deleted, never expiring its messages); expiry off
 *       ({@code no-expiry}: a client's time-to-live is ignored, nothing accepted disappears); full addresses page to
 *       disk.</li>
 *   <li>Duplicate detection: a send carrying {@code _AMQ_DUPL_ID} ({@code Message.HDR_DUPLICATE_DETECTION_ID}) that
 *       the address has seen among its last {@code idCacheSize} ids is dropped; the id cache is persisted, so this
 *       holds across restarts.</li>
 *   <li>Size: a message above the document limit sent to an office's address is refused at the send
 *       ({@link InboundSizeLimit}, {@link #limitInbound}); large messages are streamed to disk, never held whole.</li>
 *   <li>Artemis' audit loggers ({@code org.apache.activemq.audit.*}) forced to WARN unless
 *       {@link BrokerSettings#auditLogging()}: at INFO they write several lines per message (DESIGN §2).</li>
 * </ul>
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final String TCP_ACCEPTOR = "tcp";
    public static final String IN_VM_ACCEPTOR = "in-vm";
    private static final List<String> AUDIT_LOGGERS = List.of(
            "org.apache.activemq.audit.base", "org.apache.activemq.audit.message", "org.apache.activemq.audit.resource");
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerSettings settings;
    private final Credentials credentials;
    private final BrokerTopology topology;
    private long inboundLimit = MessageSize.DEFAULT_LIMIT;
    private EmbeddedActiveMQ embedded;

    public EmbeddedBroker(BrokerSettings settings, Credentials credentials, BrokerTopology topology) {
        this.settings = settings;
        this.credentials = credentials;
        this.topology = topology;
        List<String> missing = topology.principalIds().stream().filter(id -> !credentials.knows(id)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no credentials for broker principal(s) " + missing);
        }
    }

    /**
     * The largest document an office may send ({@value MessageSize#SETTING}): above it the broker refuses the send on
     * {@code blo.inbound.#} ({@link InboundSizeLimit}). Set before {@link #start()}.
     */
    public synchronized EmbeddedBroker limitInbound(long maxDocumentBytes) {
        this.inboundLimit = maxDocumentBytes;
        return this;
    }

    /** Starts the broker (journal recovery included); returns once both acceptors listen. */
    public synchronized EmbeddedBroker start() throws Exception {
        if (embedded != null) {
            return this;
        }
        if (!settings.auditLogging()) {
            AuditLoggers.quiet(AUDIT_LOGGERS);
        }
        EmbeddedActiveMQ e = new EmbeddedActiveMQ();
        e.setConfiguration(configuration());
        e.setSecurityManager(new HubSecurityManager(credentials));
        e.start();
        embedded = e;
        LOG.info("Embedded broker started: {} and {}, {} queues, journal in {}", tcpUrl(), inVmUrl(),
                topology.queues().size(), settings.artemisDir());
        return this;
    }

    public synchronized void stop() throws Exception {
        if (embedded != null) {
            try {
                embedded.stop();
            } finally {
                embedded = null;
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    public synchronized boolean isStarted() {
        return embedded != null && embedded.getActiveMQServer().isStarted();
    }

    /** The running server (management, queue inspection); the broker must be started. */
    public synchronized ActiveMQServer server() {
        if (embedded == null) {
            throw new IllegalStateException("broker not started");
        }
        return embedded.getActiveMQServer();
    }

    /** The port the TCP acceptor listens on (the chosen one when the settings say 0). */
    public int tcpPort() {
        return ((NettyAcceptor) server().getRemotingService().getAcceptor(TCP_ACCEPTOR)).getActualPort();
    }

    /** {@code tcp://host:port} for offices and agencies. */
    public String tcpUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return "tcp://" + host + ":" + tcpPort();
    }

    /** {@code vm://<id>} for the hub itself. */
    public String inVmUrl() {
        return "vm://" + settings.inVmId();
    }

    public BrokerSettings settings() {
        return settings;
    }

    public BrokerTopology topology() {
        return topology;
    }

    /**
     * The hub's own JMS connection factory: in-VM, user {@value Credentials#HUB}, set up by {@link #hubClient}.
     * Not cached or pooled: Camel's JMS consumers cache their own session ({@code cacheLevelName=CACHE_CONSUMER})
     * and the ingest routes send on it; wrap it for a {@code JmsTemplate} if needed.
     */
    public ActiveMQConnectionFactory hubConnectionFactory() {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(inVmUrl(), Credentials.HUB,
                credentials.clearPassword(Credentials.HUB));
        return hubClient(cf);
    }

    /**
     * The hub's JMS client settings, embedded broker or external: ObjectMessage refused ({@link #refuseObjectMessages}),
     * and destinations cached per session ({@code cacheDestinations}). Without the cache, every send of a route
     * ({@code JmsTemplate}: resolve the queue, create a producer, send, close it) made two blocking round trips to the
     * broker to check that the queue exists (a queue query and an address query) before the send itself: 10 per alert
     * going to 4 agencies with its receipt, on the consumer thread, inside the transaction (HubBench measured it). The
     * hub's queues are all pre-created and never auto-deleted, so a queue known once stays known; a send to a queue an
     * operator deleted meanwhile still fails in the broker and rolls the transaction back.
     */
    public static <T extends ActiveMQConnectionFactory> T hubClient(T cf) {
        refuseObjectMessages(cf);
        cf.setCacheDestinations(true);
        return cf;
    }

    /**
     * The hub never accepts {@code ObjectMessage}: alerts are text/bytes, and Java deserialization of what an office
     * sent would be remote code execution waiting to happen. This is where the hub's JMS client sets its
     * deserialization lists: deny-list {@code *}, which refuses every class in {@code ObjectMessage.getObject()}.
     * Note: an EMPTY allow-list ({@code setDeserializationAllowList("")}) does NOT do this in Artemis 2.40 - an empty
     * allow-list means "no allow-list", i.e. everything not denied is allowed - so the deny-list is what counts.
     */
    public static <T extends ActiveMQConnectionFactory> T refuseObjectMessages(T cf) {
        cf.setDeserializationDenyList("*");
        return cf;
    }

    /** The Artemis configuration this broker starts with (built fresh on every call). */
    public Configuration configuration() throws Exception {
        String base = settings.artemisDir().toAbsolutePath().toString();
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("blo-hub");
        c.setBrokerInstance(settings.artemisDir().toAbsolutePath().toFile());

        // persistence: NIO journal (libaio absent here); fsync on every commit is kept (Artemis' default)
        c.setPersistenceEnabled(true);
        c.setJournalType(JournalType.NIO);
        c.setJournalBufferTimeout_NIO(settings.journalBufferTimeoutNanos());
        c.setBindingsDirectory(base + "/bindings");
        c.setJournalDirectory(base + "/journal");
        c.setPagingDirectory(base + "/paging");
        c.setLargeMessagesDirectory(base + "/large-messages");
        c.setNodeManagerLockDirectory(base + "/journal");
        c.setCreateBindingsDir(true);
        c.setCreateJournalDir(true);
        c.setMaxDiskUsage(settings.maxDiskUsagePercent());

        // duplicate detection: large, persisted id cache
        c.setIDCacheSize(settings.idCacheSize());
        c.setPersistIDCache(true);

        // acceptors
        Map<String, Object> vm = new HashMap<>();
        vm.put(TransportConstants.SERVER_ID_PROP_NAME, settings.inVmId());
        c.addAcceptorConfiguration(new TransportConfiguration(InVMAcceptorFactory.class.getName(), vm, IN_VM_ACCEPTOR));
        Map<String, Object> tcp = new HashMap<>();
        tcp.put(org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants.HOST_PROP_NAME, settings.host());
        tcp.put(org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants.PORT_PROP_NAME, settings.port());
        c.addAcceptorConfiguration(new TransportConfiguration(NettyAcceptorFactory.class.getName(), tcp, TCP_ACCEPTOR));

        // security
        c.setSecurityEnabled(true);
        c.setSecurityRoles(topology.securityRoles());
        c.setPopulateValidatedUser(true);
        // Artemis' cluster user bypasses authorization and has a well-known default password: make it unguessable
        // (no cluster here; a cluster of hubs uses an external broker).
        c.setClusterUser("artemis-internal-cluster");
        c.setClusterPassword(Credentials.newPassword(new SecureRandom()));
        c.setJMXManagementEnabled(settings.jmx());
        // an office's message above the document limit is refused at its send, before anything is accepted
        c.registerBrokerPlugin(new InboundSizeLimit(inboundLimit));

        // address settings
        AddressSettings all = new AddressSettings()
                .setRedeliveryDelay(settings.redeliveryDelay().toMillis())
                .setRedeliveryMultiplier(settings.redeliveryMultiplier())
                .setMaxRedeliveryDelay(settings.maxRedeliveryDelay().toMillis())
                .setMaxDeliveryAttempts(settings.maxDeliveryAttempts())
                .setDeadLetterAddress(SimpleString.of(BrokerTopology.DEAD_LETTER_ADDRESS))
                .setAutoCreateDeadLetterResources(true)
                .setDeadLetterQueuePrefix(SimpleString.of(BrokerTopology.DEAD_LETTER_PREFIX))
                .setDeadLetterQueueSuffix(SimpleString.of(""))
                // expiry off: a client's time-to-live is ignored. The expiry address is only a safety net (and keeps
                // Artemis from warning AMQ222166 for every queue): should anything ever expire, it is kept in
                // EXP.<queue> on address Expired instead of being dropped.
                .setNoExpiry(true)
                .setExpiryAddress(SimpleString.of(BrokerTopology.EXPIRY_ADDRESS))
                .setAutoCreateExpiryResources(true)
                .setExpiryQueuePrefix(SimpleString.of(BrokerTopology.EXPIRY_PREFIX))
                .setExpiryQueueSuffix(SimpleString.of(""))
                .setAutoCreateAddresses(false)
                .setAutoCreateQueues(false)
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
        c.addAddressSetting(BrokerTopology.MATCH_ALL, all);
        // the hub's own stages may be created on first use (only the hub has the permission), and are kept
        c.addAddressSetting(BrokerTopology.HUB_INTERNAL_MATCH, new AddressSettings()
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true)
                .setAutoDeleteAddresses(false)
                .setAutoDeleteQueues(false)
                .setAutoDeleteCreatedQueues(false));
        // dead letters stay until an operator replays or discards them: never redelivered to death, never deleted.
        // Operations (issue 5): the quarantine too; and an operator's action that was rolled back (e.g. a refused
        // replay) leaves the message visible at once, not hidden for a redelivery delay.
        for (String kept : List.of(BrokerTopology.DEAD_LETTER_ADDRESS, BrokerTopology.EXPIRY_ADDRESS,
                BrokerTopology.QUARANTINE)) {
            c.addAddressSetting(kept, new AddressSettings()
                    .setMaxDeliveryAttempts(-1)
                    .setRedeliveryDelay(0)
                    .setAutoDeleteAddresses(false)
                    .setAutoDeleteQueues(false)
                    .setAutoDeleteCreatedQueues(false));
        }

        // queues: all pre-created, anycast, durable, address = queue name
        for (String q : topology.queues()) {
            c.addAddressConfiguration(new CoreAddressConfiguration()
                    .setName(q)
                    .addRoutingType(RoutingType.ANYCAST)
                    .addQueueConfiguration(QueueConfiguration.of(q).setAddress(q)
                            .setRoutingType(RoutingType.ANYCAST).setDurable(true)));
        }
        return c;
    }

    /** Sets Artemis' audit loggers to WARN when Logback is the logging backend (Spring Boot's default). */
    private static final class AuditLoggers {
        static void quiet(List<String> names) {
            try {
                for (String name : names) {
                    if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
                        l.setLevel(ch.qos.logback.classic.Level.WARN);
                    }
                }
            } catch (LinkageError noLogback) {
                LOG.info("Logback absent: set the loggers {} to WARN in the logging configuration", names);
            }
        }
    }
}
