package org.blohub.sftp;

import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.blohub.broker.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The drop box alone (no hub): accounts, jails, SFTP only, host key. */
class EmbeddedSftpServerTest {

    @TempDir
    static Path dir;
    static Credentials credentials;
    static EmbeddedSftpServer server;

    @BeforeAll
    static void start() throws IOException {
        SftpAccounts accounts = new SftpAccounts(List.of(
                new SftpAccount("VN-LAOCAI", "vn-laocai", SftpAccount.Kind.OFFICE),
                new SftpAccount("CN-HEKOU", "cn-hekou", SftpAccount.Kind.OFFICE),
                new SftpAccount("VN-ENV", "vn-env", SftpAccount.Kind.AGENCY),
                new SftpAccount("hub", "", SftpAccount.Kind.HUB)));
        credentials = Credentials.standalone(dir.resolve("data"), List.of("VN-LAOCAI", "CN-HEKOU", "VN-ENV", "hub"));
        server = new EmbeddedSftpServer("127.0.0.1", 0, dir.resolve("sftp"), dir.resolve("ssh"), dir.resolve("keys"),
                accounts, credentials).start();
        Files.writeString(dir.resolve("sftp/cn-hekou/inbox/their-alerts.csv"), "sourceRef\nHK-1\n");
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop();
    }

    private TestSftpClient as(String login, String id) throws IOException {
        return TestSftpClient.connect(server.port(), server.knownHostsFile(), login, credentials.password(id).orElseThrow());
    }

    @Test
    void anOfficeSeesOnlyItsOwnHomeAndCannotReachAnotherOne() throws IOException {
        try (TestSftpClient c = as("vn-laocai", "VN-LAOCAI")) {
            assertThat(c.list("/")).containsExactlyInAnyOrder("inbox", "done", "error", "receipts");
            assertThat(c.canonical("..")).isEqualTo("/");
            assertThat(c.list("/..")).containsExactlyInAnyOrder("inbox", "done", "error", "receipts");
            assertThat(c.exists("/../cn-hekou")).isFalse();
            assertThat(c.exists("../../cn-hekou/inbox/their-alerts.csv")).isFalse();
            assertThatThrownBy(() -> c.read("../cn-hekou/inbox/their-alerts.csv")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> c.list("/../cn-hekou/inbox")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> c.read("/../../.hub/x")).isInstanceOf(IOException.class);
            c.put("inbox/mine.csv", "sourceRef\nLC-1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(dir.resolve("sftp/vn-laocai/inbox/mine.csv")).exists();
        // logins are the id or the home, in any letter case; the password is the id's
        try (TestSftpClient c = as("VN-LAOCAI", "VN-LAOCAI")) {
            assertThat(c.list("inbox")).contains("mine.csv");
        }
    }

    @Test
    void aLinkPlantedInAHomeDoesNotLeadOutOfIt() throws IOException {
        Path link = dir.resolve("sftp/vn-laocai/done/hekou");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, dir.resolve("sftp/cn-hekou"));
        try (TestSftpClient c = as("vn-laocai", "VN-LAOCAI")) {
            assertThatThrownBy(() -> c.read("done/hekou/inbox/their-alerts.csv")).isInstanceOf(IOException.class);
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void anAccountCannotMakeALinkOutOfItsHome() throws IOException {
        try (TestSftpClient c = as("vn-laocai", "VN-LAOCAI")) {
            assertThatThrownBy(() -> c.symlink("done/out", "../../cn-hekou")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> c.symlink("done/passwd", "/etc/passwd")).isInstanceOf(IOException.class);
        }
        assertThat(dir.resolve("sftp/vn-laocai/done/out")).doesNotExist();
    }

    @Test
    void anAgencyHasItsOwnJailAndTheHubSeesEveryHome() throws IOException {
        try (TestSftpClient c = as("vn-env", "VN-ENV")) {
            assertThat(c.list("/")).containsExactlyInAnyOrder("inbox", "done", "error", "receipts");
            assertThat(c.exists("/../vn-laocai")).isFalse();
        }
        try (TestSftpClient c = as("hub", "hub")) {
            assertThat(c.list("/")).contains("vn-laocai", "cn-hekou", "vn-env", ".hub");
            assertThat(c.list(".hub/processing")).containsExactlyInAnyOrder("vn-laocai", "cn-hekou");
            assertThat(c.read("cn-hekou/inbox/their-alerts.csv")).isNotEmpty();
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersAreRefused() {
        String laoCai = credentials.password("VN-LAOCAI").orElseThrow();
        assertThatThrownBy(() -> TestSftpClient.connect(server.port(), server.knownHostsFile(), "vn-laocai", "not-it"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestSftpClient.connect(server.port(), server.knownHostsFile(), "cn-hekou", laoCai))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> TestSftpClient.connect(server.port(), server.knownHostsFile(), "operator", laoCai))
                .isInstanceOf(IOException.class);
    }

    @Test
    void sftpOnlyNoShellNoCommandNoForwarding() throws IOException {
        try (TestSftpClient c = as("vn-laocai", "VN-LAOCAI")) {
            assertNothingRuns(c.session().createExecChannel("id"));
            assertNothingRuns(c.session().createShellChannel());
            ChannelDirectTcpip tunnel = c.session().createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress("127.0.0.1", server.port()));
            assertThatThrownBy(() -> tunnel.open().verify(Duration.ofSeconds(5))).isInstanceOf(IOException.class);
        }
    }

    /**
     * The server answers an exec or shell request with a failure: no exit status ever comes, no output (a shell would
     * run the input and exit with 7).
     */
    private static void assertNothingRuns(org.apache.sshd.client.channel.ChannelSession channel) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        channel.setOut(out);
        channel.setErr(out);
        channel.setIn(new java.io.ByteArrayInputStream("echo escaped; exit 7\n".getBytes(StandardCharsets.US_ASCII)));
        try {
            channel.open().verify(Duration.ofSeconds(5));
        } catch (IOException refused) {
            // refused outright: as good
        }
        channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED,
                org.apache.sshd.client.channel.ClientChannelEvent.EXIT_STATUS), 3000);
        assertThat(channel.getExitStatus()).isNull();
        assertThat(out.toByteArray()).isEmpty();
    }

    @Test
    void anAuthorizedPublicKeyLogsInAsItsAccountOnly() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        Path ssh = dir.resolve("sftp/cn-hekou/.ssh");
        Files.createDirectories(ssh);
        Files.writeString(ssh.resolve("authorized_keys"), PublicKeyEntry.toString(key.getPublic()) + " hekou-laptop\n");
        try (TestSftpClient c = TestSftpClient.connect(server.port(), server.knownHostsFile(), "cn-hekou", null, key)) {
            assertThat(c.list("inbox")).contains("their-alerts.csv");
        }
        assertThatThrownBy(() -> TestSftpClient.connect(server.port(), server.knownHostsFile(), "vn-laocai", null, key))
                .isInstanceOf(IOException.class);
        // a key the operators keep outside every jail: <authorized-keys-dir>/<ID>
        KeyPair ops = g.generateKeyPair();
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/VN-ENV"), PublicKeyEntry.toString(ops.getPublic()) + "\n");
        try (TestSftpClient c = TestSftpClient.connect(server.port(), server.knownHostsFile(), "vn-env", null, ops)) {
            assertThat(c.list("/")).contains("inbox");
        }
    }

    @Test
    void theHostKeyIsKeptAndPublishedAndAnotherKeyIsRefused() throws Exception {
        String line = Files.readString(server.knownHostsFile()).strip();
        assertThat(line).startsWith("[127.0.0.1]:" + server.port() + " ecdsa-sha2-nistp256 ");
        // the same key after a restart
        server.stop();
        server.start();
        assertThat(Files.readString(server.knownHostsFile()).strip()).isEqualTo(line);
        // a client that knows another key for this host refuses to talk
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        Path wrong = dir.resolve("wrong_known_hosts");
        Files.writeString(wrong, "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(g.generateKeyPair().getPublic()) + "\n");
        assertThatThrownBy(() -> TestSftpClient.connect(server.port(), wrong, "vn-laocai",
                credentials.password("VN-LAOCAI").orElseThrow())).isInstanceOf(IOException.class);
    }
}
