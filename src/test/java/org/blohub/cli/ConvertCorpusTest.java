package org.blohub.cli;

import org.blohub.SharedDir;
import org.blohub.normalize.cap.CapTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.FileOutputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.cli.ConvertCommandTest.convert;

/** {@code convert --office VN-LAOCAI} on the field corpus (../shared/corpus/cap), as its README expects. */
class ConvertCorpusTest {

    static Path cap(String name) {
        return SharedDir.require("corpus/cap").resolve(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"australia.cap", "canada.cap", "earthquake-iso8859-1.cap", "wcatwc-warning.cap",
            "earthquake.cap", "weather.cap", "no_optional_fields.cap"})
    void validCapGivesExitZeroAndValidCap12(String name) throws Exception {
        ConvertCommandTest.Run json = convert(cap(name).toString(), "--office", "VN-LAOCAI");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out().lines()).hasSize(1);
        ConvertCommandTest.Run rendered = convert(cap(name).toString(), "--office", "VN-LAOCAI", "--to", "cap");
        assertThat(rendered.exit()).as(rendered.err()).isZero();
        CapTestSupport.assertValidCap12(rendered.out());
    }

    @Test
    void australiasTwoInfosInOneLanguageBecomeOne() throws Exception {
        ConvertCommandTest.Run r = convert(cap("australia.cap").toString(), "--office", "VN-LAOCAI", "--to", "cap");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().split("<info>", -1)).as("one info per language").hasSize(2);
        assertThat(r.out()).contains("<headline>Yerong Creek Structure Fire</headline>");
        CapTestSupport.assertValidCap12(r.out());
    }

    @Test
    void latin1CapDecodesItsAccents() {
        ConvertCommandTest.Run r = convert(cap("earthquake-iso8859-1.cap").toString(), "--office", "VN-LAOCAI");
        assertThat(r.out()).doesNotContain("\uFFFD").contains("EQ 4.6 Usulután, Usulután, El Salvador");
    }

    @Test
    void brokenCapNamesWhatIsWrong() {
        ConvertCommandTest.Run invalid = convert(cap("invalid.cap").toString(), "--office", "VN-LAOCAI");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("invalid.cap:").contains("error: scope: CAP element <scope> is missing");

        ConvertCommandTest.Run noaa = convert(cap("noaa_errors.cap").toString(), "--office", "VN-LAOCAI");
        assertThat(noaa.exit()).isEqualTo(1);
        assertThat(noaa.err()).contains("error: urgency:").contains("error: severity:").contains("error: certainty:");

        ConvertCommandTest.Run canada = convert(cap("canada_errors.cap").toString(), "--office", "VN-LAOCAI");
        assertThat(canada.exit()).isEqualTo(1);
        assertThat(canada.err()).contains("error: references: an Update must name the alerts it updates");
    }

    /**
     * xee.cap is refused for its DOCTYPE, and nothing it points at is touched: its URLs are pointed at a
     * socket this test listens on and its file at a FIFO this test waits on; neither is opened.
     */
    @Test
    void xxeIsRefusedWithoutNetworkOrFileAccess(@TempDir Path dir) throws Exception {
        ConvertCommandTest.Run plain = convert(cap("xee.cap").toString(), "--office", "VN-LAOCAI");
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.out()).isEmpty();
        assertThat(plain.err()).contains("DOCTYPE");

        Path fifo = dir.resolve("secret");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).as("mkfifo").isTrue();
        AtomicBoolean fileOpened = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) { // blocks until a reader opens it
                fileOpened.set(true);
            } catch (Exception ignored) {
                // interrupted at the end of the test
            }
        });
        writer.setDaemon(true);
        writer.start();
        try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String hostile = Files.readString(cap("xee.cap"), StandardCharsets.UTF_8)
                    .replace("localhost:8080", "127.0.0.1:" + server.getLocalPort())
                    .replace("file:///etc/passwd", fifo.toUri().toString());
            Path file = Files.writeString(dir.resolve("xee-local.cap"), hostile);
            ConvertCommandTest.Run r = convert(file.toString(), "--office", "VN-LAOCAI");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("DOCTYPE");
            // convert has returned: any connection it made would be waiting in the backlog now
            server.setSoTimeout(300);
            boolean connected;
            try (var ignored = server.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertThat(connected).as("a network connection was attempted").isFalse();
            assertThat(fileOpened).as("the external file was opened").isFalse();
        } finally {
            writer.interrupt();
        }
    }
}
