package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.blohub.OwnerOnlyFiles;
import org.blohub.alert.CleanText;
import org.blohub.audit.Trace;
import org.blohub.audit.TraceEvent;
import org.blohub.audit.TraceQuery;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What an office's SFTP client can do to the drop box, and what a hostile file name does to the hub: through a real client. */
@ExtendWith(OutputCaptureExtension.class)
class SftpHardeningTest extends SftpHubTestSupport {

    @Autowired
    Trace trace;
    @Autowired
    TraceQuery traceQuery;
    @Value("${blo.ingest.max-document-bytes}")
    long maxDocumentBytes;

    @Test
    void aFileWhoseNameHoldsControlCharactersIsDeliveredOnceAndAnsweredUnderItsEscapedName(CapturedOutput output)
            throws Exception {
        String ref = uniqueRef("CC");
        String name = "esc\u001b[2Jbell\u0007cr\rname-" + ref + ".csv";
        String escaped = CleanText.escape(name);
        assertThat(escaped).doesNotContain("\u001b", "\u0007", "\r").contains("\\u001b", "\\u0007", "\\u000d");
        drop("VN-LAOCAI", name, csv(row(ref, "DRUG_TRAFFICKING", "Bắt giữ 12 kg methamphetamine"))
                .getBytes(StandardCharsets.UTF_8));

        // answered under the escaped name (each backslash as '_': receipts/esc_u001b[2Jbell_u0007cr_u000dname-...)
        JsonNode receipt = receiptFile("VN-LAOCAI", SftpFileIntake.replyName(escaped));
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("file").asText()).isEqualTo(escaped);
        assertThat(receipt.get("attempts").asInt()).isEqualTo(1);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(1);
        assertThat(receipt.at("/receipts/0/originalId").asText()).isEqualTo(escaped + "#2");
        Path home = server().root().resolve("vn-laocai");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(home.resolve("done").resolve(name)));
        assertThat(home.resolve("inbox").resolve(name)).doesNotExist();
        assertThat(home.resolve("error").resolve(name)).doesNotExist();

        String id = Normalizer.alertId("VN-LAOCAI", ref);
        List<String> drug = agencyMessages("VN-DRUG", id);
        assertThat(drug).hasSize(1);
        assertThat(drug.get(0)).contains(escaped.replace("\\", "\\\\") + "#2").doesNotContain("\u001b");
        assertThat(agencyMessages("VN-FOCAL", id)).hasSize(1);

        trace.flush(Duration.ofSeconds(10));
        List<TraceEvent> events = traceQuery.trace(id);
        assertThat(events).filteredOn(e -> e.event() == TraceEvent.Event.RECEIVED).extracting(TraceEvent::originalId)
                .containsExactly(escaped + "#2");
        assertThat(events).allSatisfy(e -> assertThat(String.valueOf(e.originalId()) + e.detail())
                .doesNotContain("\u001b", "\u0007", "\r"));
        // the hub's log: the escaped name, never the raw one (ESC and BEL reach no log line)
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getAll().contains(escaped));
        assertThat(output.getAll()).doesNotContain("\u001b", "\u0007", name);
    }

    @Test
    void aClientCannotChangePermissionsAndWhatItMakesIsOwnerOnly() throws Exception {
        Path home = server().root().resolve("vn-laocai");
        String dir = ".ssh-" + uniqueRef("D");
        try (TestSftpClient c = sftp("vn-laocai", "VN-LAOCAI")) {
            assertThat(c.mkdir(dir)).isEqualTo(SftpConstants.SSH_FX_OK);
            assertThat(OwnerOnlyFiles.mode(home.resolve(dir))).isEqualTo("rwx------");

            c.put(dir + "/authorized_keys", "ssh-ed25519 AAAA test\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(OwnerOnlyFiles.mode(home.resolve(dir).resolve("authorized_keys"))).isEqualTo("rw-------");

            for (String path : List.of(dir, dir + "/authorized_keys")) {
                assertThatThrownBy(() -> c.chmod(path, 0777)).isInstanceOfSatisfying(SftpException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(SftpConstants.SSH_FX_PERMISSION_DENIED));
            }
            assertThat(OwnerOnlyFiles.mode(home.resolve(dir))).isEqualTo("rwx------");
            assertThat(OwnerOnlyFiles.mode(home.resolve(dir).resolve("authorized_keys"))).isEqualTo("rw-------");
        }

        // an upload the hub reads, its receipt written back by the hub: owner-only too
        String ref = uniqueRef("OO");
        String name = "owner-only-" + ref + ".csv";
        drop("VN-LAOCAI", name, csv(row(ref, "DRUG_TRAFFICKING", "Bắt giữ 2 kg heroin")).getBytes(StandardCharsets.UTF_8));
        receiptFile("VN-LAOCAI", name);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(home.resolve("done").resolve(name)));
        assertThat(OwnerOnlyFiles.mode(home.resolve("done").resolve(name))).isEqualTo("rw-------");
        assertThat(OwnerOnlyFiles.mode(home.resolve("receipts").resolve(name + ".receipt.json"))).isEqualTo("rw-------");
        assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", ref))).hasSize(1);
    }

    @Test
    void aJsonDocumentOverTheLimitIsRefusedByItsListedSize() throws Exception {
        String name = "big-" + uniqueRef("BIG") + ".json";
        long size = maxDocumentBytes + 4096;
        try (TestSftpClient c = sftp("vn-laocai", "VN-LAOCAI")) {
            // uploaded under a temporary name (skipped by the hub), then renamed: the hub sees it whole
            c.put("inbox/" + name + ".part", new SequenceInputStream(
                    new ByteArrayInputStream("[".getBytes(StandardCharsets.US_ASCII)), new Spaces(size - 2, ']')));
            c.rename("inbox/" + name + ".part", "inbox/" + name);
        }
        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("ERROR");
        assertThat(receipt.get("error").asText()).contains("the file is " + size + " bytes")
                .contains("limit of " + maxDocumentBytes + " bytes");
        assertThat(receipt.get("rejected").asLong()).isEqualTo(1);
        assertThat(receipt.at("/receipts/0/status").asText()).isEqualTo("REJECTED");
        Path error = server().root().resolve("vn-laocai/error");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(error.resolve(name)));
        assertThat(Files.readString(error.resolve(name + ".reason.txt"))).contains("larger than the limit");
    }

    /** {@code n} spaces then one closing byte ({@code n + 1} bytes), made as they are read. */
    private static final class Spaces extends InputStream {
        private long left;
        private final int last;

        Spaces(long n, int last) {
            this.left = n + 1;
            this.last = last;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            return --left == 0 ? last : ' ';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) ' ');
            left -= n;
            if (left == 0) {
                b[off + n - 1] = (byte) last;
            }
            return n;
        }
    }
}
