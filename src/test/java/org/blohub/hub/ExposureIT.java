package org.blohub.hub;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.blohub.normalize.Normalizer;
import org.blohub.sftp.TestSftpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone hub as a local user finds it: the packaged jar as a child JVM with the standalone defaults (free
 * ports and a fresh data directory aside). Every socket it listens on is on loopback; after alerts came in by every
 * channel (JMS, HTTP, mail, SFTP) every path under its data directory is owner-only; and a data directory others can
 * read is warned about at start.
 */
class ExposureIT {

    static final Path BASEDIR = CrashSafetyIT.BASEDIR;
    static final String OFFICE = CrashSafetyIT.OFFICE;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopHubs() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyListenerIsOnLoopbackAndEveryPathUnderDataIsOwnerOnlyAfterAlertsByEveryChannel() throws Exception {
        Path base = BASEDIR.resolve("target/it-exposure").resolve(UUID.randomUUID().toString());
        Files.createDirectories(base);
        Path data = base.resolve("data"); // made by the hub itself
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String p : List.of("broker", "http", "sftp", "smtp", "imap")) {
            ports.put(p, CrashSafetyIT.freePort());
        }
        Process hub = start(base, data, ports);
        awaitUp(hub, ports.get("http"), base);

        // every listening socket of the hub's process: on loopback, and the five listeners among them
        Map<Integer, String> listening = listeningSockets(hub.pid());
        assertThat(listening.values()).as("listening sockets (port -> address)").allSatisfy(address ->
                assertThat(InetAddress.getByName(address).isLoopbackAddress()).as(address).isTrue());
        assertThat(listening.keySet()).containsAll(ports.values());

        Properties creds = CrashSafetyIT.credentials(data);
        String password = creds.getProperty(OFFICE);
        String jms = uniqueRef("EXJ");
        String http = uniqueRef("EXH");
        String mail = uniqueRef("EXM");
        String sftp = uniqueRef("EXS");
        String url = "tcp://127.0.0.1:" + ports.get("broker");
        CrashSafetyIT.send(url, creds, List.of(jms));

        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.get("http") + "/api/alerts"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (OFFICE + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(HubJmsEndToEndTest.json(http))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);

        sendMail(ports.get("smtp"), password, HubJmsEndToEndTest.json(mail));

        String file = "exposure-" + sftp + ".csv";
        try (TestSftpClient c = TestSftpClient.connect(ports.get("sftp"), data.resolve("ssh/known_hosts"), "vn-laocai",
                password)) {
            c.put("inbox/" + file, (header() + row(sftp) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        // each alert delivered to the drug police; the SFTP file answered and in done/
        Set<String> expected = new HashSet<>();
        for (String ref : List.of(jms, http, mail, sftp)) {
            expected.add(Normalizer.alertId(OFFICE, ref));
        }
        Set<String> received = new HashSet<>();
        try (Connection c = CrashSafetyIT.factory(url).createConnection("VN-DRUG", creds.getProperty("VN-DRUG"))) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("agency.VN-DRUG"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!received.containsAll(expected) && System.nanoTime() < deadline) {
                Message m = consumer.receive(1000);
                if (m != null) {
                    received.add(m.getStringProperty("bloAlertId"));
                }
            }
        }
        assertThat(received).containsAll(expected);
        Path home = data.resolve("sftp/vn-laocai");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(home.resolve("done").resolve(file))
                && Files.exists(home.resolve("receipts").resolve(file + ".receipt.json")));

        // every path under data/: directories 0700, files 0600
        List<String> modes = new ArrayList<>();
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.toList()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    modes.add(PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS))
                            + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? " d " : " f ") + data.relativize(p));
                }
            }
        }
        assertThat(modes).as("modes under data/").hasSizeGreaterThan(20)
                .anyMatch(m -> m.endsWith("hub.mv.db")).anyMatch(m -> m.contains(" f artemis/"))
                .anyMatch(m -> m.endsWith("done/" + file))
                .allMatch(m -> m.startsWith("rwx------ d ") || m.startsWith("rw------- f "));
    }

    @Test
    void aDataDirectoryOthersCanReadIsWarnedAboutAtStart() throws Exception {
        Path base = BASEDIR.resolve("target/it-exposure").resolve(UUID.randomUUID().toString());
        Path data = base.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String p : List.of("broker", "http", "sftp", "smtp", "imap")) {
            ports.put(p, CrashSafetyIT.freePort());
        }
        start(base, data, ports);
        Path out = base.resolve("hub.out");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(out).lines().anyMatch(l ->
                l.contains(" WARN ") && l.contains("The data directory " + data + " is open to other users")
                        && l.contains("rwxr-xr-x") && l.contains("Fix: chmod -R go-rwx " + data)));
    }

    // ---- the hub ------------------------------------------------------------------------------------------------

    private Process start(Path base, Path data, Map<String, Integer> ports) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", CrashSafetyIT.JAR.toString(),
                "--blo.data-dir=" + data, "--blo.broker.port=" + ports.get("broker"),
                "--server.port=" + ports.get("http"), "--blo.sftp.port=" + ports.get("sftp"),
                "--blo.mail.smtp-port=" + ports.get("smtp"), "--blo.mail.imap-port=" + ports.get("imap"),
                "--blo.mail.imap.poll-delay=1s", "--blo.sftp.poll-delay=1s")
                .directory(BASEDIR.toFile())
                .redirectOutput(base.resolve("hub.out").toFile())
                .redirectError(base.resolve("hub.err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static void awaitUp(Process hub, int httpPort, Path base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).build();
        await("hub UP").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the hub exited; see " + base, () -> !hub.isAlive())
                .until(() -> {
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 && r.body().contains("\"status\":\"UP\"");
                });
    }

    /**
     * The process' listening TCP sockets, port to local address: its socket inodes ({@code /proc/<pid>/fd}) looked up
     * in {@code /proc/net/tcp} and {@code tcp6} (state 0A: LISTEN).
     */
    static Map<Integer, String> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed between the listing and the read: not a listener
                }
            }
        }
        Map<Integer, String> listening = new LinkedHashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    listening.put(Integer.parseInt(local[1], 16), address(local[0]));
                }
            }
        }
        return listening;
    }

    /** A /proc/net address: 32-bit words in the host's (little-endian) byte order. */
    static String address(String hex) throws IOException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] b = new byte[raw.length];
        for (int w = 0; w < raw.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                b[w + i] = raw[w + 3 - i];
            }
        }
        return InetAddress.getByAddress(b).getHostAddress();
    }

    /** A mail as the office sends it: SMTP AUTH with its id and password, From its own address. */
    private static void sendMail(int smtpPort, String password, String json) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(smtpPort));
        p.put("mail.smtp.auth", "true");
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(OFFICE, password);
            }
        });
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("vn-laocai@offices.blo-hub.local"));
        m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress("alerts@blo-hub.local"));
        m.setSubject("BLO alert");
        m.setText(json, "UTF-8");
        Transport.send(m);
    }

    private static String uniqueRef(String prefix) {
        return prefix + "-" + new BigInteger(40, new java.security.SecureRandom()).toString(36);
    }

    private static String header() {
        return "sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,headline,areas,tlp\n";
    }

    private static String row(String ref) {
        return ref + ",2026-11-23T09:15:00,Actual,Alert,DRUG_TRAFFICKING,Immediate,Severe,Observed,vi,"
                + "\"Bắt giữ 12 kg methamphetamine\",Cửa khẩu quốc tế Lào Cai,TLP:AMBER";
    }
}
