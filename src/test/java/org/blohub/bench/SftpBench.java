package org.blohub.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.sftp.TestSftpClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 1,000,000-row CSV dropped by SFTP into a running hub (the packaged jar in a child JVM with {@code -Xmx512m}, its
 * embedded broker, H2 and SFTP server): rows/s from the drop until every row is on the agency queues (the receipt
 * file is written after the last chunk committed), and the hub's peak heap (Micrometer's {@code jvm.memory.used}
 * for the heap, and the live data after GC), polled from its actuator. The hub must stream: a million alerts do not
 * fit in 512 MB.
 */
class SftpBench {

    static final int ROWS = Integer.getInteger("bench.sftp.rows", 1_000_000);
    /**
     * The embedded broker's memory for messages before it pages them to disk (Artemis' global-max-size, set through
     * its {@code brokerconfig.} system properties). Artemis' default is half the heap: with 512 MB, 256 MB of messages
     * plus its duplicate-id cache and journal records leave the hub too little, and it runs out of memory after some
     * 100,000 rows of 4 deliveries each. 0: Artemis' default.
     */
    static final long BROKER_MEMORY = Long.getLong("bench.sftp.broker-memory", 128L * 1024 * 1024);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void millionRowCsvBySftp() throws Exception {
        // relative: the hub's H2 URL is ./<data-dir>/hub, under the working directory (the project)
        Path dir = Path.of("target", "bench", "sftp");
        deleteTree(dir);
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path csv = dir.resolve("million.csv");
        ConvertBench.writeCsv(csv, ROWS);
        long bytes = Files.size(csv);

        int http = freePort();
        int broker = freePort();
        int sftp = freePort();
        Path jar = Path.of(System.getProperty("blo.jar", "target/blo-hub.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx512m", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + dir.toAbsolutePath()));
        if (BROKER_MEMORY > 0) {
            command.add("-Dbrokerconfig.globalMaxSize=" + BROKER_MEMORY);
        }
        command.addAll(List.of("-jar", jar.toString(), "--blo.data-dir=" + data,
                "--server.port=" + http, "--blo.broker.port=" + broker, "--blo.sftp.port=" + sftp,
                "--blo.sftp.poll-delay=1s", "--management.endpoints.web.exposure.include=health,metrics"));
        Process hub = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("hub.log").toFile())
                .start();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try {
            HttpClient client = HttpClient.newHttpClient();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> get(client, http, "/actuator/health", null).contains("\"UP\""));
            Properties creds = new Properties();
            try (InputStream in = Files.newInputStream(data.resolve("standalone-credentials.properties"))) {
                creds.load(in);
            }
            String operator = "Basic " + Base64.getEncoder().encodeToString(
                    ("operator:" + creds.getProperty("operator")).getBytes(StandardCharsets.UTF_8));
            AtomicLong peakHeap = new AtomicLong();
            AtomicLong peakLive = new AtomicLong();
            AtomicLong peakRssKb = new AtomicLong();
            poller.scheduleAtFixedRate(() -> {
                try {
                    peakHeap.accumulateAndGet(metric(client, http, operator, "jvm.memory.used?tag=area:heap"), Math::max);
                    peakLive.accumulateAndGet(metric(client, http, operator, "jvm.gc.live.data.size"), Math::max);
                    peakRssKb.accumulateAndGet(ConvertBenchSupport.vmHwmKb(hub.pid()), Math::max);
                } catch (Exception e) {
                    // the hub is busy or stopping: the next poll counts
                }
            }, 0, 500, TimeUnit.MILLISECONDS);

            Path knownHosts = data.resolve("ssh").resolve("known_hosts");
            Path receipt = data.resolve("sftp/vn-laocai/receipts/million.csv.receipt.json");
            long start;
            try (TestSftpClient office = TestSftpClient.connect(sftp, knownHosts, "vn-laocai", creds.getProperty("VN-LAOCAI"));
                 InputStream in = Files.newInputStream(csv)) {
                office.put("inbox/.million.csv.part", in); // uploaded under a hidden name, then dropped at once
                start = System.nanoTime();
                office.rename("inbox/.million.csv.part", "inbox/million.csv");
            }
            await().atMost(Duration.ofHours(3)).pollInterval(Duration.ofSeconds(1)).until(() -> Files.exists(receipt));
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, JsonNode> head = head(receipt);
            long onQueue = messageCount(broker, creds.getProperty("hub"), "agency.VN-DRUG");

            assertThat(head.get("status").asText()).isEqualTo("DONE");
            assertThat(head.get("accepted").asLong()).isEqualTo(ROWS);
            assertThat(onQueue).isEqualTo(ROWS);
            double hubSeconds = Duration.between(java.time.Instant.parse(head.get("receivedAt").asText()),
                    java.time.Instant.parse(head.get("completedAt").asText())).toMillis() / 1e3;
            long mb = 1024 * 1024;
            System.out.printf("%nsftp bench: %,d CSV rows (%,d MB) dropped by SFTP into a hub with -Xmx512m, broker memory %s%n",
                    ROWS, bytes / mb, BROKER_MEMORY > 0 ? BROKER_MEMORY / mb + " MB" : "Artemis' default (half the heap)");
            System.out.printf("  drop -> receipt   %8.1f s   %,8.0f rows/s  (every row on the agency queues, receipt written)%n",
                    seconds, ROWS / seconds);
            System.out.printf("  taken -> handed   %8.1f s   %,8.0f rows/s  (hub side: claim to last chunk committed)%n",
                    hubSeconds, ROWS / hubSeconds);
            System.out.printf("  agency.VN-DRUG    %,8d messages%n", onQueue);
            System.out.printf("  peak heap used    %,8d MB   (live after GC %,d MB; peak RSS %,d MB)%n",
                    peakHeap.get() / mb, peakLive.get() / mb, peakRssKb.get() / 1024);
            System.out.printf("bench: sftp_rows=%d rows_per_s=%.0f peak_heap_mb=%d%n%n", ROWS, ROWS / seconds,
                    peakHeap.get() / mb);
        } finally {
            poller.shutdownNow();
            hub.destroy();
            if (!hub.waitFor(60, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
            }
        }
    }

    /** The receipt's summary fields (before its receipts array), read without loading the array. */
    private static Map<String, JsonNode> head(Path receipt) throws IOException {
        Map<String, JsonNode> head = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(receipt.toFile())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (name.equals("receipts")) {
                    break;
                }
                p.nextToken();
                head.put(name, JSON.readTree(p));
            }
        }
        return head;
    }

    private static long metric(HttpClient client, int port, String auth, String name) throws Exception {
        JsonNode m = JSON.readTree(get(client, port, "/actuator/metrics/" + name, auth));
        for (JsonNode v : m.path("measurements")) {
            if (v.path("statistic").asText().equals("VALUE")) {
                return v.path("value").asLong();
            }
        }
        return 0;
    }

    private static String get(HttpClient client, int port, String path, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A queue's message count, asked of the broker's management address as the hub. */
    private static long messageCount(int port, String hubPassword, String queue) throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port);
        try (QueueConnection c = cf.createQueueConnection("hub", hubPassword)) {
            QueueSession s = c.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(s, ActiveMQJMSClient.createQueue("activemq.management"));
            c.start();
            Message m = s.createMessage();
            JMSManagementHelper.putAttribute(m, ResourceNames.QUEUE + queue, "messageCount");
            Message reply = requestor.request(m);
            return ((Number) JMSManagementHelper.getResult(reply)).longValue();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }

    /** Reads VmHWM like ConvertBench (its helper is private). */
    static final class ConvertBenchSupport {
        static long vmHwmKb(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended between polls
            }
            return 0;
        }
    }
}
