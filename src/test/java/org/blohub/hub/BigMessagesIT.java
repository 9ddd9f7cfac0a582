package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.blohub.alert.AlertJson;
import org.blohub.broker.BrokerTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Memory stays bounded with big messages: the packaged hub at -Xmx512m (a child JVM, as {@link CrashSafetyIT} starts
 * it) takes eight concurrent 50 MB BytesMessages from an office without an OutOfMemoryError. Each send is refused by
 * the broker with the size and the limit (or, should the broker take one, answered with a REJECTED receipt naming its
 * size); an ordinary alert sent right after is delivered and receipted. The messages are streamed from an InputStream
 * ({@code JMS_AMQ_InputStream}), so this JVM holds none of them either.
 */
class BigMessagesIT {

    static final String OFFICE = "VN-LAOCAI";
    static final int SENDERS = 8;
    static final long SIZE = 50L * 1024 * 1024;

    private CrashSafetyIT.Hub hub;

    @AfterEach
    void stopHub() throws InterruptedException {
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void eightConcurrent50MbMessagesAreRefusedWithoutOutOfMemory() throws Exception {
        assertThat(CrashSafetyIT.JAR).as("the packaged hub (mvn package)").isRegularFile();
        Path dataDir = Path.of("target", "big-it", "run-" + System.currentTimeMillis());
        Files.createDirectories(CrashSafetyIT.BASEDIR.resolve(dataDir));
        int brokerPort = CrashSafetyIT.freePort();
        String url = "tcp://127.0.0.1:" + brokerPort;
        hub = CrashSafetyIT.Hub.start(dataDir, brokerPort, CrashSafetyIT.freePort(), "hub");
        hub.awaitUp();
        Properties creds = CrashSafetyIT.credentials(dataDir);

        Map<String, JsonNode> receipts = new ConcurrentHashMap<>();
        try (Connection listener = CrashSafetyIT.factory(url).createConnection(OFFICE, creds.getProperty(OFFICE))) {
            Session rs = listener.createSession(false, Session.AUTO_ACKNOWLEDGE);
            rs.createConsumer(rs.createQueue(BrokerTopology.receipts(OFFICE))).setMessageListener(m -> receipts.put(
                    correlation(m), read(m)));
            listener.start();

            // eight offices' clients at once, each streaming 50 MB
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            List<Future<Sent>> sends = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                sends.add(pool.submit(() -> sendBig(url, creds)));
            }
            List<Sent> sent = new ArrayList<>();
            for (Future<Sent> f : sends) {
                sent.add(f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdown();

            for (Sent s : sent) {
                if (s.refusal() != null) {
                    assertThat(s.refusal()).contains("message of " + SIZE + " bytes is over the limit of 10485760 bytes");
                } else {
                    await("the REJECTED receipt of an accepted big message").atMost(Duration.ofSeconds(60))
                            .until(() -> receipts.containsKey(s.id()));
                    assertThat(receipts.get(s.id()).get("status").asText()).isEqualTo("REJECTED");
                    assertThat(receipts.get(s.id()).get("errors").toString()).contains(SIZE + " bytes");
                }
            }

            // an ordinary alert right after: delivered and receipted
            String ref = "BIG-" + Long.toString(System.nanoTime(), 36);
            List<String> ids = CrashSafetyIT.send(url, creds, List.of(ref));
            await("the ordinary alert's receipt").atMost(Duration.ofSeconds(60))
                    .until(() -> receipts.containsKey(ids.get(0)));
            assertThat(receipts.get(ids.get(0)).get("status").asText()).isEqualTo("ACCEPTED");
            try (Connection agency = CrashSafetyIT.factory(url).createConnection("VN-DRUG", creds.getProperty("VN-DRUG"))) {
                agency.start();
                Session s = agency.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer c = s.createConsumer(s.createQueue(BrokerTopology.agency("VN-DRUG")),
                        "bloAlertId = '" + receipts.get(ids.get(0)).get("alertId").asText() + "'");
                assertThat(c.receive(30_000)).as("the alert on agency.VN-DRUG").isNotNull();
            }
        }
        assertThat(CrashSafetyIT.deadLetters(url, creds, BrokerTopology.inbound(OFFICE))).as("dead-lettered").isZero();
        hub.stop();
        for (Path log : List.of(hub.out, hub.err)) {
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).as("%s", log).doesNotContain("OutOfMemoryError");
        }
    }

    /** A send's outcome: refused (the broker's message) or taken (its JMSMessageID). */
    record Sent(String refusal, String id) {
    }

    private static Sent sendBig(String url, Properties creds) throws JMSException {
        try (Connection c = CrashSafetyIT.factory(url).createConnection(OFFICE, creds.getProperty(OFFICE))) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = s.createBytesMessage();
            m.setObjectProperty("JMS_AMQ_InputStream", new Filler(SIZE));
            try {
                s.createProducer(s.createQueue(BrokerTopology.inbound(OFFICE))).send(m);
                return new Sent(null, m.getJMSMessageID());
            } catch (JMSException refused) {
                return new Sent(String.valueOf(refused.getMessage()), null);
            }
        }
    }

    private static String correlation(Message m) {
        try {
            return m.getJMSCorrelationID();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Message m) {
        try {
            return AlertJson.mapper().readTree(((TextMessage) m).getText());
        } catch (Exception e) {
            throw new IllegalStateException("unreadable receipt", e);
        }
    }

    /** {@code size} bytes of 'x', made as they are read. */
    static final class Filler extends InputStream {
        private long left;

        Filler(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
        }
    }
}
