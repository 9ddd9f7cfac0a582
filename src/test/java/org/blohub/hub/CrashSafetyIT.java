package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.alert.AlertJson;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Must show 4 (issue "The hub over JMS and HTTP"): the packaged hub, killed with SIGKILL while it is relaying a
 * burst of alerts, loses none and delivers none twice once it is restarted on the same data directory.
 *
 * <p>The hub runs as a child JVM ({@code java -jar target/blo-hub.jar}) on a fresh data directory under
 * {@code target/crash-it/}, where its stdout and stderr are kept. VN-LAOCAI sends alerts routed to four agencies in one
 * transaction; as soon as the office has seen a few receipts the hub is killed ({@link Process#destroyForcibly()}).
 * After the restart every alert must reach each of the four agency queues exactly once, every inbound message must
 * have exactly one ACCEPTED receipt, and sending the same alerts again must be answered DUPLICATE and delivered to
 * no one (the dedupe ledger survived the kill as well).
 *
 * <p>That the kill really hit mid-flight is checked, not hoped for: a delivery's JMSTimestamp is set by the hub when
 * it sends, so the VN-DRUG messages stamped before the restart are exactly those the first hub committed before it
 * died; there must be some, and not all. If a run caught nothing in flight it is repeated with an earlier kill and
 * more alerts; the test fails if no attempt did. The kill is aimed half a receipt interval after a receipt, into the
 * next message's transaction; the figures printed say whether it hit one (an alert claimed in the dedupe ledger before
 * the kill but delivered after it).
 *
 * <p>Exactly once must also hold without the broker's help: neither hub's log may show a duplicate the broker dropped
 * (AMQ222059), which is how a message whose sends did not share the consume's transaction showed up (see
 * IngestTransactionTest).
 */
class CrashSafetyIT {

    static final String OFFICE = "VN-LAOCAI";
    static final List<String> AGENCIES = List.of("VN-FOCAL", "VN-DRUG", "VN-CUSTOMS", "CN-FOCAL");
    static final Path BASEDIR = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    static final Path JAR = BASEDIR.resolve(System.getProperty("blo.jar", "target/blo-hub.jar"));

    /** Attempts: alerts sent, and how many receipts the office sees before the hub is killed. */
    record Attempt(int alerts, int receiptsBeforeKill) {
    }

    static final List<Attempt> ATTEMPTS = List.of(new Attempt(1000, 50), new Attempt(1000, 5), new Attempt(2000, 1));

    private final List<Hub> hubs = new ArrayList<>();

    @AfterEach
    void stopHubs() throws InterruptedException {
        for (Hub h : hubs) {
            h.stop();
        }
    }

    @Test
    void aHubKilledMidFlightLosesNoAlertAndDeliversNoneTwice() throws Exception {
        assertThat(JAR).as("the packaged hub (mvn package)").isRegularFile();
        for (int i = 0; i < ATTEMPTS.size(); i++) {
            if (crashAndRecover(i + 1, ATTEMPTS.get(i))) {
                return;
            }
            System.out.printf("[crash] attempt %d caught nothing in flight; again with an earlier kill%n", i + 1);
        }
        fail("the hub was never killed mid-flight in %d attempts: the test proved nothing", ATTEMPTS.size());
    }

    /** One run; every guarantee is asserted. @return whether the kill caught the hub mid-flight */
    private boolean crashAndRecover(int attemptNo, Attempt attempt) throws Exception {
        int n = attempt.alerts();
        Path dataDir = Path.of("target", "crash-it", "run-" + System.currentTimeMillis() + "-" + attemptNo);
        Files.createDirectories(BASEDIR.resolve(dataDir));
        int brokerPort = freePort();
        int httpPort = freePort();
        String url = "tcp://127.0.0.1:" + brokerPort;

        Hub first = Hub.start(dataDir, brokerPort, httpPort, "hub-1");
        hubs.add(first);
        Duration firstUp = first.awaitUp();
        Properties creds = credentials(dataDir);

        Map<String, String> alertIdByRef = new LinkedHashMap<>();
        String run = Long.toString(System.nanoTime(), 36);
        for (int i = 0; i < n; i++) {
            String ref = "CRASH-" + run + "-" + i;
            alertIdByRef.put(ref, Normalizer.alertId(OFFICE, ref));
        }
        Set<String> alertIds = new LinkedHashSet<>(alertIdByRef.values());
        assertThat(alertIds).hasSize(n);

        // the office reads its receipts all along; they are the trigger for the kill
        ReceiptLog receipts = new ReceiptLog();
        Connection receiptsBeforeKill = receipts.listen(url, creds);
        Instant sendStart = Instant.now();
        List<String> inboundIds = send(url, creds, alertIdByRef.keySet());
        Instant sent = Instant.now();
        await("first receipts").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                .until(() -> receipts.answeredCount() >= attempt.receiptsBeforeKill());
        // aim the kill into the middle of the next message's transaction: half the recent time between receipts on
        long killAt = receipts.midwayToNext();
        await("the aimed kill time").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> System.nanoTime() >= killAt);

        first.kill();
        Instant killed = Instant.now();
        int receiptsAtKill = receipts.answeredCount();
        closeDead(receiptsBeforeKill);
        System.out.printf("[crash] attempt %d: hub up in %d ms; %d alerts sent in one transaction in %d ms; SIGKILL %d ms "
                        + "after the commit, when the office had %d receipts (exit %d)%n", attemptNo, firstUp.toMillis(), n,
                Duration.between(sendStart, sent).toMillis(), Duration.between(sent, killed).toMillis(), receiptsAtKill,
                first.process.exitValue());

        // restart on the same data directory and ports
        Instant restart = Instant.now();
        Hub second = Hub.start(dataDir, brokerPort, httpPort, "hub-2");
        hubs.add(second);
        Duration secondUp = second.awaitUp();
        Connection receiptsAfterRestart = receipts.listen(url, creds);
        await("a receipt for every inbound message").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(receipts.answered(inboundIds)).as("inbound messages answered").isEqualTo(n));
        Duration recovery = Duration.between(restart, Instant.now());

        // nothing left behind: inbound queue empty, nothing dead-lettered
        assertThat(browse(url, creds, "blo.inbound." + OFFICE)).as("left on the inbound queue").isZero();
        assertThat(deadLetters(url, creds, "blo.inbound." + OFFICE)).as("dead-lettered inbound").isZero();

        // every alert exactly once on each agency's queue, read by the agency itself
        Set<String> deliveredBeforeKill = new HashSet<>();
        long stampedBetweenKillAndRestart = -1;
        for (String agency : AGENCIES) {
            Drained d = drain(url, agency, creds.getProperty(agency), n);
            assertThat(d.counts().keySet()).as("alerts on agency.%s", agency).containsExactlyInAnyOrderElementsOf(alertIds);
            Map<String, Integer> twice = new HashMap<>();
            d.counts().forEach((id, c) -> {
                if (c != 1) {
                    twice.put(id, c);
                }
            });
            assertThat(twice).as("alerts delivered more than once to %s", agency).isEmpty();
            assertThat(d.total()).as("messages on agency.%s", agency).isEqualTo(n);
            if (agency.equals("VN-DRUG")) {
                d.stamps().forEach((id, sentAt) -> {
                    if (sentAt < restart.toEpochMilli()) {
                        deliveredBeforeKill.add(id);
                    }
                });
                stampedBetweenKillAndRestart = d.stamps().values().stream()
                        .filter(t -> t > killed.toEpochMilli() && t < restart.toEpochMilli()).count();
            }
        }
        assertThat(stampedBetweenKillAndRestart).as("deliveries stamped while no hub ran").isZero();
        System.out.printf("[crash] attempt %d: hub up again %d ms after the kill; all %d receipts %d ms after the restart "
                        + "(%d ms after UP); VN-DRUG had %d of %d before the kill, %d after; each agency got each alert once%n",
                attemptNo, secondUp.toMillis(), n, recovery.toMillis(), recovery.minus(secondUp).toMillis(),
                deliveredBeforeKill.size(), n, n - deliveredBeforeKill.size());

        // exactly one ACCEPTED receipt per inbound message (a rolled-back first attempt sent none)
        List<String> refs = new ArrayList<>(alertIdByRef.keySet());
        for (int i = 0; i < n; i++) {
            Map<String, JsonNode> forThis = receipts.of(inboundIds.get(i));
            assertThat(forThis).as("receipts for inbound message #%d", i).hasSize(1);
            JsonNode r = forThis.values().iterator().next();
            assertThat(r.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(r.get("sourceRef").asText()).isEqualTo(refs.get(i));
            assertThat(r.get("alertId").asText()).isEqualTo(alertIdByRef.get(refs.get(i)));
            assertThat(r.get("routedTo")).extracting(JsonNode::asText).containsExactlyElementsOf(AGENCIES);
        }

        // The dedupe ledger survived the kill too: the alerts the first hub had delivered, sent again, are DUPLICATEs
        // and go to no one. (H2's default write delay lost the claims of the last half second before a kill, and a
        // resent alert whose claim was lost went to delivery again.)
        List<String> resentRefs = refs.stream().filter(r -> deliveredBeforeKill.contains(alertIdByRef.get(r))).toList();
        List<String> again = send(url, creds, resentRefs);
        await("a receipt for every resent message").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(receipts.answered(again)).as("resent messages answered")
                        .isEqualTo(resentRefs.size()));
        for (int i = 0; i < resentRefs.size(); i++) {
            Map<String, JsonNode> forThis = receipts.of(again.get(i));
            assertThat(forThis).hasSize(1);
            JsonNode r = forThis.values().iterator().next();
            assertThat(r.get("status").asText()).as("receipt for resent %s", resentRefs.get(i)).isEqualTo("DUPLICATE");
            assertThat(r.get("alertId").asText()).isEqualTo(alertIdByRef.get(resentRefs.get(i)));
        }
        for (String agency : AGENCIES) {
            assertThat(browse(url, creds, "agency." + agency)).as("delivered again to %s", agency).isZero();
        }
        // and no second receipt turned up for the first sends meanwhile
        for (String id : inboundIds) {
            assertThat(receipts.of(id)).hasSize(1);
        }
        closeDead(receiptsAfterRestart);
        second.stop();

        // Exactly once must not rest on the broker's duplicate detection: a message redelivered after the kill had its
        // first sends rolled back with it, so no delivery was ever sent twice. (When the sends did not share the
        // consume's transaction, some of a message's deliveries were committed before the kill and sent again after
        // it; the broker dropped them as duplicates and the agencies saw nothing - only this log did.) In the shared
        // transaction a duplicate would roll the whole message back again and again, into the dead-letter queue.
        for (Hub h : List.of(first, second)) {
            assertThat(Files.readString(h.out, StandardCharsets.UTF_8)).as("%s's log (see %s)", h.name, h.out)
                    .doesNotContain("AMQ222059");
        }

        long[] ledger = ledger(dataDir, killed);
        System.out.printf("[crash] attempt %d: dedupe ledger: %d alerts claimed before the kill, %d of them in a transaction "
                        + "the kill rolled back (done again after the restart); receipts the office's own consumer got "
                        + "twice (its ack died with the broker; same receipt message): %d%n",
                attemptNo, ledger[0], ledger[0] - deliveredBeforeKill.size(), receipts.redeliveredToClient.get());
        assertThat(ledger[1]).as("alerts in the dedupe ledger").isEqualTo(n);
        return !deliveredBeforeKill.isEmpty() && deliveredBeforeKill.size() < n;
    }

    // ---- the hub as a child process ------------------------------------------------------------------------------

    static final class Hub {
        final String name;
        final Process process;
        final int httpPort;
        final Path out;
        final Path err;
        final Instant started;

        private Hub(String name, Process process, int httpPort, Path out, Path err, Instant started) {
            this.name = name;
            this.process = process;
            this.httpPort = httpPort;
            this.out = out;
            this.err = err;
            this.started = started;
        }

        /** {@code java -Xmx512m -jar blo-hub.jar ...} in the project directory (it reads config/ and routes/ there). */
        static Hub start(Path dataDir, int brokerPort, int httpPort, String name) throws IOException {
            Path dir = BASEDIR.resolve(dataDir);
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString(),
                    "--blo.data-dir=" + dataDir, "--blo.broker.port=" + brokerPort, "--server.port=" + httpPort,
                    "--blo.sftp.port=0", "--blo.mail.smtp-port=0", "--blo.mail.imap-port=0")
                    .directory(BASEDIR.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new Hub(name, p, httpPort, out, err, Instant.now());
        }

        /**
         * Waits for /actuator/health to say UP, failing at once if the hub exits. 150 s at most: the hub starts in about
         * 25 s on this shared 2-core machine when it is busy, and took 85 s when it was very busy (load 17).
         */
        Duration awaitUp() {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            await(name + " UP").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .failFast(name + " exited; see " + out + " and " + err, () -> !process.isAlive())
                    .until(() -> {
                        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                        return r.statusCode() == 200 && r.body().contains("\"status\":\"UP\"");
                    });
            return Duration.between(started, Instant.now());
        }

        /** SIGKILL: no shutdown hook, no last commit, no orderly broker stop. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(name + " killed").isTrue();
        }

        void stop() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    // ---- JMS as offices and agencies do it -----------------------------------------------------------------------

    /** Every receipt the office reads, by inbound message (JMSCorrelationID) and by the receipt's own JMSMessageID. */
    static final class ReceiptLog {
        final Map<String, Map<String, JsonNode>> byInbound = new ConcurrentHashMap<>();
        /** The same receipt message again (its ack died with the broker): the client's concern, not a hub fault. */
        final AtomicInteger redeliveredToClient = new AtomicInteger();
        /** When each inbound message got its first receipt (System.nanoTime()). */
        final List<Long> firstArrivals = new java.util.concurrent.CopyOnWriteArrayList<>();

        Connection listen(String url, Properties creds) throws JMSException {
            ActiveMQConnectionFactory cf = factory(url);
            cf.setCallTimeout(2_000); // closing it once its broker is killed waits this long for an answer
            Connection c = cf.createConnection(OFFICE, creds.getProperty(OFFICE));
            c.setExceptionListener(e -> { /* the hub is killed under this connection on purpose */ });
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(s.createQueue("blo.receipts." + OFFICE)).setMessageListener(this::onMessage);
            c.start();
            return c;
        }

        private void onMessage(Message m) {
            try {
                JsonNode receipt = AlertJson.mapper().readTree(((TextMessage) m).getText());
                Map<String, JsonNode> forInbound = byInbound.computeIfAbsent(m.getJMSCorrelationID(), k -> {
                    firstArrivals.add(System.nanoTime());
                    return new ConcurrentHashMap<>();
                });
                if (forInbound.put(m.getJMSMessageID(), receipt) != null) {
                    redeliveredToClient.incrementAndGet();
                }
            } catch (JMSException | IOException e) {
                throw new IllegalStateException("unreadable receipt", e);
            }
        }

        /** nanoTime half a receipt interval (the mean of the last ten) after the latest first receipt. */
        long midwayToNext() {
            List<Long> t = new ArrayList<>(firstArrivals);
            int m = Math.min(10, t.size() - 1);
            if (m < 1) {
                return System.nanoTime();
            }
            long last = t.get(t.size() - 1);
            return last + (last - t.get(t.size() - 1 - m)) / m / 2;
        }

        int answeredCount() {
            return byInbound.size();
        }

        int answered(List<String> inboundIds) {
            return (int) inboundIds.stream().filter(byInbound::containsKey).count();
        }

        Map<String, JsonNode> of(String inboundId) {
            return byInbound.getOrDefault(inboundId, Map.of());
        }
    }

    /** Sends one alert per message in one transaction; returns the JMSMessageIDs in order. */
    static List<String> send(String url, Properties creds, Iterable<String> refs) throws JMSException {
        List<String> ids = new ArrayList<>();
        try (Connection c = factory(url).createConnection(OFFICE, creds.getProperty(OFFICE))) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue("blo.inbound." + OFFICE));
            for (String ref : refs) {
                TextMessage m = s.createTextMessage(HubJmsEndToEndTest.json(ref));
                p.send(m);
                ids.add(m.getJMSMessageID());
            }
            s.commit();
        }
        return ids;
    }

    /** What an agency read: times each alert came, each alert's JMSTimestamp (the hub's send time), all messages. */
    record Drained(Map<String, Integer> counts, Map<String, Long> stamps, int total) {
    }

    /** Reads the agency's queue as the agency until it stays empty for 2 s (bounded at 60 s). */
    static Drained drain(String url, String agency, String password, int expected) throws JMSException {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Long> stamps = new HashMap<>();
        int total = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection c = factory(url).createConnection(agency, password)) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("agency." + agency));
            Message m = consumer.receive(10_000);
            while (m != null && System.nanoTime() < deadline) {
                total++;
                String alertId = m.getStringProperty("bloAlertId");
                counts.merge(alertId, 1, Integer::sum);
                stamps.put(alertId, m.getJMSTimestamp());
                m = consumer.receive(total < expected ? 10_000 : 2_000);
            }
        }
        return new Drained(counts, stamps, total);
    }

    /** Messages on the queue (a fully qualified name for a dead-letter queue), browsed with the hub's rights. */
    static int browse(String url, Properties creds, String queue) throws JMSException {
        try (Connection c = factory(url).createConnection(Credentials.HUB, creds.getProperty(Credentials.HUB))) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            int n = 0;
            try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
                for (var e = b.getEnumeration(); e.hasMoreElements(); e.nextElement()) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Whether the broker has dead-lettered anything from this queue (it creates DLQ.<queue> on the first one). */
    static int deadLetters(String url, Properties creds, String queue) throws JMSException {
        try {
            return browse(url, creds, BrokerTopology.deadLettersFqqn(queue));
        } catch (JMSException e) {
            if (String.valueOf(e.getMessage()).contains("There is no queue")) {
                return 0;
            }
            throw e;
        }
    }

    static ActiveMQConnectionFactory factory(String url) {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
        cf.setCallTimeout(10_000);
        return cf;
    }

    /** Closes a connection whose broker may have been killed under it. */
    static void closeDead(Connection c) {
        try {
            c.close();
        } catch (JMSException brokerGone) {
            // the broker died with the hub: there is nothing left to close on its side
        }
    }

    // ---- files of the data directory ------------------------------------------------------------------------------

    static Properties credentials(Path dataDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(BASEDIR.resolve(dataDir).resolve("standalone-credentials.properties"),
                StandardCharsets.UTF_8)) {
            p.load(r);
        }
        assertThat(p.getProperty(OFFICE)).isNotBlank();
        return p;
    }

    /** From the stopped hub's H2 ledger: {claimed before the kill, all}. */
    static long[] ledger(Path dataDir, Instant killed) throws Exception {
        String db = "jdbc:h2:file:" + BASEDIR.resolve(dataDir).resolve("hub") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (var c = DriverManager.getConnection(db, "hub", "");
             PreparedStatement q = c.prepareStatement(
                     "SELECT COUNT(*) FILTER (WHERE received_at < ?), COUNT(*) FROM alert_ledger WHERE office = ?")) {
            q.setTimestamp(1, Timestamp.from(killed));
            q.setString(2, OFFICE);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
