package org.blohub.broker;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID;
import static org.apache.activemq.artemis.api.core.Message.HDR_ORIGINAL_QUEUE;
import static org.apache.activemq.artemis.api.core.Message.HDR_VALIDATED_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A real broker with a real TCP acceptor (ephemeral port); clients use the Artemis JMS client over TCP. */
class EmbeddedBrokerTest {

    static final List<String> OFFICES = List.of("VN-LAOCAI", "CN-HEKOU", "TH-MAESOT");
    static final List<String> AGENCIES = List.of("VN-DRUG", "VN-TIP");
    static final int MAX_ATTEMPTS = 3;
    static final long RECEIVE_MS = 5_000;

    @TempDir
    static Path dataDir;
    static Credentials credentials;
    static EmbeddedBroker broker;
    static ActiveMQConnectionFactory tcp;

    @BeforeAll
    static void start() throws Exception {
        BrokerTopology topology = new BrokerTopology(OFFICES, AGENCIES);
        credentials = Credentials.standalone(dataDir, topology.principalIds());
        BrokerSettings settings = BrokerSettings.defaults(dataDir).withPort(0).withInVmId(11)
                .withRedelivery(Duration.ofMillis(10), 1.0, Duration.ofMillis(10), MAX_ATTEMPTS);
        broker = new EmbeddedBroker(settings, credentials, topology).start();
        tcp = new ActiveMQConnectionFactory(broker.tcpUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tcp != null) {
            tcp.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @BeforeEach
    void purge() throws Exception {
        for (String q : broker.topology().queues()) {
            broker.server().locateQueue(q).deleteAllReferences();
        }
        Queue dlq = broker.server().locateQueue("DLQ.agency.VN-DRUG");
        if (dlq != null) {
            dlq.deleteAllReferences();
        }
    }

    // --- offices ------------------------------------------------------------------------------------------------

    @Test
    void officeSendsToItsInboundAndTheHubSeesTheAuthenticatedOfficeNotAForgedOne() throws Exception {
        try (Connection c = connect("VN-LAOCAI")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = s.createTextMessage("{\"title\":\"alert\"}");
            m.setStringProperty(HDR_VALIDATED_USER.toString(), "CN-HEKOU"); // a forgery the broker must overwrite
            s.createProducer(s.createQueue("blo.inbound.VN-LAOCAI")).send(m);
        }
        try (Connection hub = hubConnection()) {
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message received = s.createConsumer(s.createQueue("blo.inbound.VN-LAOCAI")).receive(RECEIVE_MS);
            assertThat(received).isInstanceOf(TextMessage.class);
            assertThat(((TextMessage) received).getText()).isEqualTo("{\"title\":\"alert\"}");
            assertThat(received.getStringProperty(HDR_VALIDATED_USER.toString())).isEqualTo("VN-LAOCAI");
        }
    }

    @Test
    void officeReadsAndBrowsesItsReceipts() throws Exception {
        sendAsHub("blo.receipts.VN-LAOCAI", "ACCEPTED 42");
        try (Connection c = connect("VN-LAOCAI")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = s.createBrowser(s.createQueue("blo.receipts.VN-LAOCAI"));
            assertThat(Collections.list(browser.getEnumeration())).hasSize(1);
            browser.close();
            Message m = s.createConsumer(s.createQueue("blo.receipts.VN-LAOCAI")).receive(RECEIVE_MS);
            assertThat(((TextMessage) m).getText()).isEqualTo("ACCEPTED 42");
        }
    }

    @Test
    void officeCannotSendToAnotherOfficesInboundNorItsOwnReceipts() throws Exception {
        try (Connection c = connect("VN-LAOCAI")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String q : List.of("blo.inbound.CN-HEKOU", "blo.receipts.VN-LAOCAI", "agency.VN-DRUG", "hub.quarantine")) {
                assertThatThrownBy(() -> s.createProducer(s.createQueue(q)).send(s.createTextMessage("x")))
                        .as(q).isInstanceOf(JMSSecurityException.class);
            }
        }
        assertThat(count("blo.inbound.CN-HEKOU")).isZero();
        assertThat(count("blo.receipts.VN-LAOCAI")).isZero();
    }

    @Test
    void officeCannotReadAnotherOfficesReceiptsNorAgencyQueuesNorItsOwnInbound() throws Exception {
        sendAsHub("blo.receipts.CN-HEKOU", "for Hekou only");
        sendAsHub("agency.VN-DRUG", "for the agency only");
        try (Connection c = connect("VN-LAOCAI")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String q : List.of("blo.receipts.CN-HEKOU", "agency.VN-DRUG", "agency.VN-TIP", "blo.inbound.VN-LAOCAI",
                    "DLQ.agency.VN-DRUG", BrokerTopology.deadLettersFqqn("agency.VN-DRUG"))) {
                assertThatThrownBy(() -> s.createConsumer(s.createQueue(q)).receive(RECEIVE_MS))
                        .as(q).isInstanceOf(JMSException.class);
                assertThatThrownBy(() -> Collections.list(s.createBrowser(s.createQueue(q)).getEnumeration()))
                        .as(q).isInstanceOf(JMSException.class);
            }
        }
        assertThat(count("blo.receipts.CN-HEKOU")).isEqualTo(1);
        assertThat(count("agency.VN-DRUG")).isEqualTo(1);
    }

    @Test
    void officeCannotCreateQueuesOrAddresses() throws Exception {
        try (Connection c = connect("VN-LAOCAI")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("blo.inbound.NEW")).send(s.createTextMessage("x")))
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("mine")).receive(RECEIVE_MS))
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> s.createConsumer(s.createTopic("blo.inbound.VN-LAOCAI")).receive(RECEIVE_MS))
                    .isInstanceOf(JMSException.class);
            assertThatThrownBy(s::createTemporaryQueue).isInstanceOf(JMSException.class);
        }
        assertThat(broker.server().locateQueue("blo.inbound.NEW")).isNull();
        assertThat(broker.server().locateQueue("mine")).isNull();
    }

    // --- agencies -----------------------------------------------------------------------------------------------

    @Test
    void agencyReadsItsQueueOnly() throws Exception {
        sendAsHub("agency.VN-DRUG", "alert for drug control");
        sendAsHub("agency.VN-TIP", "alert for trafficking");
        try (Connection c = connect("VN-DRUG")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("agency.VN-DRUG")).receive(RECEIVE_MS);
            assertThat(((TextMessage) m).getText()).isEqualTo("alert for drug control");

            assertThatThrownBy(() -> s.createConsumer(s.createQueue("agency.VN-TIP")).receive(RECEIVE_MS))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("hub.outbox.VN-DRUG")).receive(RECEIVE_MS))
                    .isInstanceOf(JMSSecurityException.class);
            for (String q : List.of("blo.inbound.VN-LAOCAI", "blo.inbound.CN-HEKOU", "agency.VN-DRUG")) {
                assertThatThrownBy(() -> s.createProducer(s.createQueue(q)).send(s.createTextMessage("x")))
                        .as(q).isInstanceOf(JMSSecurityException.class);
            }
        }
        assertThat(count("agency.VN-TIP")).isEqualTo(1);
        assertThat(count("blo.inbound.VN-LAOCAI")).isZero();
    }

    // --- authentication -----------------------------------------------------------------------------------------

    @Test
    void wrongPasswordIsRefused() {
        String laocai = credentials.password("VN-LAOCAI").orElseThrow();
        assertThatThrownBy(() -> tcp.createConnection("VN-LAOCAI", laocai + "x").close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> tcp.createConnection("VN-LAOCAI", credentials.password("CN-HEKOU").orElseThrow()).close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> tcp.createConnection("hub", laocai).close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void unknownOrMissingUserIsRefused() {
        String laocai = credentials.password("VN-LAOCAI").orElseThrow();
        assertThatThrownBy(() -> tcp.createConnection("XX-NOBODY", laocai).close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> tcp.createConnection().close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> tcp.createConnection("guest", "guest").close()).isInstanceOf(JMSSecurityException.class);
        // Artemis' built-in cluster user with its well-known default password would bypass authorization
        assertThatThrownBy(() -> tcp.createConnection("ACTIVEMQ.CLUSTER.ADMIN.USER", "CHANGE ME!!").close())
                .isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void consoleUsersHaveNoBrokerRights() throws Exception {
        try (Connection c = connect("viewer")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> s.createConsumer(s.createQueue("blo.receipts.VN-LAOCAI")).receive(RECEIVE_MS))
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> s.createProducer(s.createQueue("blo.inbound.VN-LAOCAI")).send(s.createTextMessage("x")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    // --- redelivery, dead letters, duplicates -------------------------------------------------------------------

    @Test
    void aMessageRolledBackMoreThanTheMaxAttemptsLandsInItsOwnDeadLetterQueue() throws Exception {
        sendAsHub("agency.VN-DRUG", "poison");
        int deliveries = 0;
        try (Connection c = connect("VN-DRUG")) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(s.createQueue("agency.VN-DRUG"));
            Message m;
            while ((m = consumer.receive(RECEIVE_MS)) != null) {
                deliveries++;
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(deliveries);
                s.rollback();
            }
        }
        assertThat(deliveries).isEqualTo(MAX_ATTEMPTS);
        assertThat(count("agency.VN-DRUG")).isZero();

        assertThat(broker.server().locateQueue("DLQ.agency.VN-DRUG")).isNotNull();
        try (Connection hub = hubConnection()) {
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message dead = s.createConsumer(s.createQueue(BrokerTopology.deadLettersFqqn("agency.VN-DRUG"))).receive(RECEIVE_MS);
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
            assertThat(dead.getStringProperty(HDR_ORIGINAL_QUEUE.toString())).isEqualTo("agency.VN-DRUG");
        }
        // the per-queue dead-letter queue is durable and kept after it is emptied (operators look there)
        Queue dlq = broker.server().locateQueue("DLQ.agency.VN-DRUG");
        assertThat(dlq).isNotNull();
        assertThat(dlq.isDurable()).isTrue();
        assertThat(dlq.getAddress().toString()).isEqualTo(BrokerTopology.DEAD_LETTER_ADDRESS);
    }

    @Test
    void twoSendsWithTheSameDuplicateIdAreStoredOnce() throws Exception {
        try (Connection c = connect("TH-MAESOT")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("blo.inbound.TH-MAESOT"));
            for (int i = 0; i < 2; i++) {
                TextMessage m = s.createTextMessage("same alert, sent twice " + i);
                m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), "TH-MAESOT/alert-0001");
                p.send(m);
            }
            TextMessage other = s.createTextMessage("another alert");
            other.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), "TH-MAESOT/alert-0002");
            p.send(other);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> count("blo.inbound.TH-MAESOT") == 2);
        try (Connection hub = hubConnection()) {
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("blo.inbound.TH-MAESOT"));
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("same alert, sent twice 0");
            assertThat(((TextMessage) consumer.receive(RECEIVE_MS)).getText()).isEqualTo("another alert");
            assertThat(consumer.receiveNoWait()).isNull();
        }
    }

    @Test
    void aClientsTimeToLiveIsIgnored() throws Exception {
        try (Connection c = connect("CN-HEKOU")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("blo.inbound.CN-HEKOU"));
            p.setTimeToLive(1);
            p.send(s.createTextMessage("must not expire"));
        }
        try (Connection hub = hubConnection()) {
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("blo.inbound.CN-HEKOU")).receive(RECEIVE_MS);
            assertThat(((TextMessage) m).getText()).isEqualTo("must not expire");
            assertThat(m.getJMSExpiration()).isZero();
        }
    }

    // --- the hub's own client -----------------------------------------------------------------------------------

    @Test
    void theHubsConnectionFactoryRefusesObjectMessages() throws Exception {
        try (Connection c = tcp.createConnection("hub", credentials.password("hub").orElseThrow())) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("hub.quarantine")).send(s.createObjectMessage(new java.util.ArrayList<>(List.of("a serialized list"))));
        }
        try (Connection hub = hubConnection()) {
            hub.start();
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("hub.quarantine")).receive(RECEIVE_MS);
            assertThat(m).isInstanceOf(ObjectMessage.class);
            assertThatThrownBy(((ObjectMessage) m)::getObject).isInstanceOf(JMSException.class);
        }
    }

    @Test
    void theHubMayCreateItsOwnInternalQueuesOnFirstUse() throws Exception {
        sendAsHub("hub.normalized", "stage");
        try (Connection hub = hubConnection()) {
            Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("hub.normalized")).receive(RECEIVE_MS);
            assertThat(((TextMessage) m).getText()).isEqualTo("stage");
        }
        assertThat(broker.server().locateQueue("hub.normalized").isDurable()).isTrue();
    }

    @Test
    void auditLoggersAreQuiet() {
        for (String name : List.of("org.apache.activemq.audit.base", "org.apache.activemq.audit.message",
                "org.apache.activemq.audit.resource")) {
            assertThat(LoggerFactory.getLogger(name).isInfoEnabled()).as(name).isFalse();
        }
    }

    @Test
    void everyQueueIsPreCreatedAnycastAndDurable() {
        for (String q : broker.topology().queues()) {
            Queue queue = broker.server().locateQueue(q);
            assertThat(queue).as(q).isNotNull();
            assertThat(queue.isDurable()).as(q).isTrue();
            assertThat(queue.getRoutingType().toString()).as(q).isEqualTo("ANYCAST");
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    static Connection connect(String id) throws JMSException {
        Connection c = tcp.createConnection(id, credentials.password(id).orElseThrow());
        c.start();
        return c;
    }

    static Connection hubConnection() throws JMSException {
        Connection c = broker.hubConnectionFactory().createConnection();
        c.start();
        return c;
    }

    static void sendAsHub(String queue, String text) throws JMSException {
        try (Connection c = hubConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    static long count(String queue) {
        return broker.server().locateQueue(queue).getMessageCount();
    }
}
