package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.broker.EmbeddedBroker;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The whole hub in-process (embedded broker on a free port, H2 under target/), reached as offices and
 * agencies reach it: over the broker's TCP acceptor with their own credentials, and over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "blo.data-dir=target/test-hub/${random.uuid}",
        "blo.broker.port=0",
        "blo.sftp.port=0",
        "blo.broker.in-vm-id=${random.int[1000,1000000]}",
        "blo.broker.redelivery-delay=100ms",
        "blo.broker.max-delivery-attempts=3",
        "blo.ingest.max-document-bytes=1048576",
        "blo.mail.smtp-port=0",
        "blo.mail.imap-port=0",
        "blo.mail.imap.poll-delay=200ms"})
public abstract class HubTestSupport {

    @Autowired
    protected EmbeddedBroker broker;
    @Autowired
    protected Credentials credentials;
    @LocalServerPort
    protected int httpPort;

    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void closeConnections() throws JMSException {
        for (Connection c : connections) {
            c.close();
        }
        connections.clear();
    }

    protected String password(String id) {
        return credentials.password(id).orElseThrow();
    }

    /** A session over TCP as this principal, with its own password. */
    protected Session session(String id) throws JMSException {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.tcpUrl());
        Connection c = cf.createConnection(id, password(id));
        connections.add(c);
        c.start();
        return c.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** Sends text as the office to its inbound queue; returns the JMSMessageID receipts correlate to. */
    protected String sendText(String office, String text) throws JMSException {
        Session s = session(office);
        TextMessage m = s.createTextMessage(text);
        s.createProducer(s.createQueue("blo.inbound." + office)).send(m);
        return m.getJMSMessageID();
    }

    protected String sendBytes(String office, byte[] bytes) throws JMSException {
        Session s = session(office);
        BytesMessage m = s.createBytesMessage();
        m.writeBytes(bytes);
        s.createProducer(s.createQueue("blo.inbound." + office)).send(m);
        return m.getJMSMessageID();
    }

    /** The receipt correlated to this inbound message, as the office reads it. */
    protected JsonNode receipt(String office, String correlationId) throws Exception {
        Session s = session(office);
        try (MessageConsumer c = s.createConsumer(s.createQueue("blo.receipts." + office),
                "JMSCorrelationID = '" + correlationId + "'")) {
            Message m = c.receive(20_000);
            if (m == null) {
                throw new AssertionError("no receipt for " + correlationId + " within 20 s");
            }
            return AlertJson.mapper().readTree(((TextMessage) m).getText());
        }
    }

    /** Every message for this alert on the agency's queue, as the agency reads it (waits up to 20 s for the first). */
    protected List<String> agencyMessages(String agency, String alertId) throws JMSException {
        Session s = session(agency);
        List<String> out = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(s.createQueue("agency." + agency), "bloAlertId = '" + alertId + "'")) {
            Message m = c.receive(20_000);
            while (m != null) {
                out.add(((TextMessage) m).getText());
                m = c.receive(300);
            }
        }
        return out;
    }

    /** Nothing for this alert on the queue (read with the hub's rights, which may read any queue). */
    protected int count(String queue, String selector) throws JMSException {
        Session s = session(Credentials.HUB);
        int n = 0;
        try (var browser = s.createBrowser(s.createQueue(queue), selector)) {
            for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                n++;
            }
        }
        return n;
    }

    /** A TCP port free now, for a server a test starts later (an agency's relay that is down at first). */
    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String uniqueRef(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
