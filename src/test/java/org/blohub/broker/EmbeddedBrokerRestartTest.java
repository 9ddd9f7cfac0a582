package org.blohub.broker;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID;
import static org.apache.activemq.artemis.api.core.Message.HDR_VALIDATED_USER;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages, dead letters and duplicate ids survive a broker stop/start on the same data directory. */
class EmbeddedBrokerRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void messagesAndDuplicateIdsPersistAcrossAStopAndStart() throws Exception {
        BrokerTopology topology = new BrokerTopology(List.of("VN-LAOCAI", "CN-HEKOU"), List.of("VN-DRUG"));
        BrokerSettings settings = BrokerSettings.defaults(dataDir).withPort(0).withInVmId(21);

        Credentials first = Credentials.standalone(dataDir, topology.principalIds());
        EmbeddedBroker broker = new EmbeddedBroker(settings, first, topology).start();
        try {
            send(broker, first, "VN-LAOCAI", "alert before the restart", "VN-LAOCAI/0001");
        } finally {
            broker.stop();
        }
        assertThat(dataDir.resolve("artemis/journal")).isDirectory();
        assertThat(dataDir.resolve("artemis/bindings")).isDirectory();
        try (var files = Files.list(dataDir.resolve("artemis/journal"))) {
            assertThat(files.anyMatch(f -> f.getFileName().toString().endsWith(".amq"))).isTrue();
        }

        Credentials second = Credentials.standalone(dataDir, topology.principalIds());
        assertThat(second.password("VN-LAOCAI")).isEqualTo(first.password("VN-LAOCAI"));
        broker = new EmbeddedBroker(settings, second, topology).start();
        try {
            // the same duplicate id again after the restart: the persisted id cache still drops it
            send(broker, second, "VN-LAOCAI", "the same alert, resent after the restart", "VN-LAOCAI/0001");
            try (Connection hub = broker.hubConnectionFactory().createConnection()) {
                hub.start();
                Session s = hub.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue("blo.inbound.VN-LAOCAI"));
                TextMessage m = (TextMessage) consumer.receive(5_000);
                assertThat(m.getText()).isEqualTo("alert before the restart");
                assertThat(m.getJMSDeliveryMode()).isEqualTo(jakarta.jms.DeliveryMode.PERSISTENT);
                assertThat(m.getStringProperty(HDR_VALIDATED_USER.toString())).isEqualTo("VN-LAOCAI");
                assertThat(consumer.receiveNoWait()).isNull();
            }
        } finally {
            broker.stop();
        }
    }

    private static void send(EmbeddedBroker broker, Credentials credentials, String office, String text,
                             String duplicateId) throws Exception {
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.tcpUrl());
             Connection c = cf.createConnection(office, credentials.password(office).orElseThrow())) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(BrokerTopology.inbound(office)));
            TextMessage m = s.createTextMessage(text);
            m.setStringProperty(HDR_DUPLICATE_DETECTION_ID.toString(), duplicateId);
            p.send(m); // persistent by default; a blocking send: stored in the journal when it returns
        }
    }
}
