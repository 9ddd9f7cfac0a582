package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import org.blohub.alert.AlertJson;
import org.blohub.hub.HubTestSupport;
import org.blohub.webhook.TestTls;
import org.blohub.webhook.TestWebhookServer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * The hub with SFTP and a web hook agency, end to end: the embedded SFTP server on a free port, and a config
 * directory (a copy of config/) with one more agency, {@code VN-WILDLIFE}, taking wildlife alerts (JSON) by an
 * HTTPS web hook served by a JDK HttpsServer in the test with its own certificate (the hub trusts only it). Short
 * polls, leases and backoffs; two alerts per chunk, so that files of a few rows have several chunks.
 */
public abstract class SftpHubTestSupport extends HubTestSupport {

    protected static final String HOOK_AGENCY = "VN-WILDLIFE";
    protected static final String HOOK_SECRET_REF = "VN-WILDLIFE-HOOK";
    protected static final byte[] HOOK_SECRET = randomSecret();
    protected static TestWebhookServer webhook;
    private static Path configDir;
    private static TestTls tls;

    @Autowired
    protected SftpConfiguration.EmbeddedSftpServerHolder sftpServer;
    @Autowired
    protected SftpFileIntake sftpIntake;
    @Autowired
    protected SftpFiles sftpFiles;

    @DynamicPropertySource
    static void sftpProperties(DynamicPropertyRegistry r) throws Exception {
        init();
        r.add("blo.config-dir", () -> configDir.toString());
        r.add("blo.sftp.port", () -> "0");
        r.add("blo.sftp.poll-delay", () -> "200ms");
        r.add("blo.sftp.read-lock-check-interval", () -> "200ms");
        r.add("blo.sftp.read-lock-timeout", () -> "5s");
        r.add("blo.sftp.claim-lease", () -> "3s");
        r.add("blo.sftp.recovery-interval", () -> "300ms");
        r.add("blo.sftp.retry-delay", () -> "200ms");
        r.add("blo.sftp.max-retry-delay", () -> "1s");
        r.add("blo.sftp.chunk-rows", () -> "2");
        r.add("blo.sftp.timeout", () -> "5s");
        r.add("blo.webhook.trust-store", () -> tls.trustStore().toString());
        r.add("blo.webhook.trust-store-password", () -> TestTls.PASSWORD);
        r.add("blo.webhook.timeout", () -> "5s");
        r.add("blo.webhook.secrets." + HOOK_SECRET_REF, () -> new String(HOOK_SECRET, StandardCharsets.UTF_8));
    }

    private static synchronized void init() throws Exception {
        if (configDir != null) {
            return;
        }
        Path base = Path.of("target", "test-sftp");
        tls = TestTls.create(base.resolve("tls"));
        webhook = new TestWebhookServer(tls, HOOK_SECRET);
        configDir = base.resolve("config");
        Files.createDirectories(configDir);
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, configDir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(configDir.resolve("agencies.yaml"), """
                  - id: %s
                    country: VN
                    name: Wildlife desk (test web hook)
                    focalPoint: false
                    categories: [WILDLIFE_TRAFFICKING]
                    minSeverity: Minor
                    maxTlp: "TLP:AMBER+STRICT"
                    delivery: {channel: https, rendering: json, url: "https://localhost:%d/hook", secretRef: %s}
                """.formatted(HOOK_AGENCY, webhook.port(), HOOK_SECRET_REF), java.nio.file.StandardOpenOption.APPEND);
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b).getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void backToNormal() throws IOException {
        sftpIntake.setListener(null);
        webhook.answer(200);
        server().start();
    }

    protected EmbeddedSftpServer server() {
        return sftpServer.server();
    }

    /** An SFTP session as this account (login = its id or home), with its own password. */
    protected TestSftpClient sftp(String login, String id) throws IOException {
        return TestSftpClient.connect(server().port(), server().knownHostsFile(), login, password(id));
    }

    /** Drops a file into the office's inbox, as the office. */
    protected void drop(String office, String name, byte[] content) throws IOException {
        try (TestSftpClient c = sftp(office.toLowerCase(java.util.Locale.ROOT), office)) {
            c.put("inbox/" + name, content);
        }
    }

    /** The file in the office's done/, once the hub has moved it there (it writes the receipt first). */
    protected Path doneFile(String office, String name) {
        Path f = server().root().resolve(office.toLowerCase(java.util.Locale.ROOT)).resolve("done").resolve(name);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(f));
        return f;
    }

    /** The receipt file, once the hub has written it (read as the office). */
    protected JsonNode receiptFile(String office, String name) throws Exception {
        Path f = server().root().resolve(office.toLowerCase(java.util.Locale.ROOT)).resolve("receipts")
                .resolve(name + ".receipt.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(f));
        try (TestSftpClient c = sftp(office.toLowerCase(java.util.Locale.ROOT), office)) {
            return AlertJson.mapper().readTree(c.read("receipts/" + name + ".receipt.json"));
        }
    }

    protected static String csv(String... rows) {
        StringBuilder sb = new StringBuilder(
                "sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,headline,areas,tlp\n");
        for (String r : rows) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    /** A valid row: the office's own reference, the category, a Vietnamese headline. */
    protected static String row(String ref, String category, String headline) {
        return ref + ",2026-11-23T09:15:00,Actual,Alert," + category + ",Immediate,Severe,Observed,vi,\"" + headline
                + "\",Cửa khẩu quốc tế Lào Cai,TLP:AMBER";
    }
}
