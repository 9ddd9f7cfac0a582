package org.blohub.sftp;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.Session;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.blohub.audit.Trace;
import org.blohub.audit.TraceEvent;
import org.blohub.audit.TraceQuery;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Normalizer;
import org.blohub.receipts.Receipt;
import org.blohub.alert.AlertJson;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Must show 4: endpoints down (retries, then the dead-letter queue; back up, it flows); a file failed midway. */
class SftpFailureTest extends SftpHubTestSupport {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    Trace trace;
    @Autowired
    TraceQuery traceQuery;
    @Autowired
    SftpAccounts sftpAccounts;

    /** A JSON alert (the JMS path) that goes to VN-ENV by SFTP and to VN-WILDLIFE by web hook. */
    static String wildlife(String ref) {
        return """
                {"sourceRef":"%s","sentAt":"2026-11-23T09:15:00","status":"Actual","msgType":"Alert",
                 "category":["WILDLIFE_TRAFFICKING"],"urgency":"Immediate","severity":"Severe","certainty":"Observed",
                 "language":"vi","headline":"Thu giữ 3 cá thể tê tê tại cửa khẩu",
                 "areas":[{"areaDesc":"Cửa khẩu quốc tế Lào Cai","country":"VN"}],"tlp":"TLP:AMBER"}
                """.formatted(ref);
    }

    @Test
    void withTheSftpServerDownDeliveriesRetryThenDeadLetterAndWithItBackTheyFlow() throws Exception {
        server().stop();
        String lost = uniqueRef("DOWN");
        String lostId = Normalizer.alertId("VN-LAOCAI", lost);
        sendText("VN-LAOCAI", wildlife(lost));
        String dlq = BrokerTopology.deadLettersFqqn(BrokerTopology.outbox("VN-ENV"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(dlq, "bloAlertId = '" + lostId + "'") == 1);
        assertThat(count(BrokerTopology.outbox("VN-ENV"), "bloAlertId = '" + lostId + "'")).isZero();

        server().start();
        String back = uniqueRef("BACK");
        String backId = Normalizer.alertId("VN-LAOCAI", back);
        sendText("VN-LAOCAI", wildlife(back));
        Path delivered = server().root().resolve("vn-env/inbox").resolve("alert-" + backId + ".xml");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(delivered));
        assertThat(Files.readString(delivered)).contains("<sourceRef>" + back + "</sourceRef>");
        assertThat(server().root().resolve("vn-env/inbox").resolve("alert-" + lostId + ".xml")).doesNotExist();
    }

    @Test
    void withTheWebhookFailingDeliveriesRetryThenDeadLetterAndWhenItAnswersAgainTheyFlow() throws Exception {
        webhook.answer(503);
        String lost = uniqueRef("HOOK503");
        String lostId = Normalizer.alertId("VN-LAOCAI", lost);
        sendText("VN-LAOCAI", wildlife(lost));
        String dlq = BrokerTopology.deadLettersFqqn(BrokerTopology.outbox(HOOK_AGENCY));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(dlq, "bloAlertId = '" + lostId + "'") == 1);
        // tried max-delivery-attempts (3) times, each signed
        assertThat(webhook.received(lostId)).hasSize(3).allMatch(r -> r.signatureValid());

        webhook.answer(200);
        String back = uniqueRef("HOOK200");
        String backId = Normalizer.alertId("VN-LAOCAI", back);
        sendText("VN-LAOCAI", wildlife(back));
        await().atMost(Duration.ofSeconds(30)).until(() -> !webhook.received(backId).isEmpty());
        assertThat(webhook.received(backId)).hasSize(1);
        assertThat(count(dlq, "bloAlertId = '" + backId + "'")).isZero();
    }

    @Test
    void aFileWhoseProcessingFailedMidwayIsTakenAgainAndNoAlertIsDeliveredTwice() throws Exception {
        List<String> refs = List.of(uniqueRef("M1"), uniqueRef("M2"), uniqueRef("M3"), uniqueRef("M4"), uniqueRef("M5"));
        String name = "midway-" + refs.get(0) + ".csv";
        AtomicBoolean failed = new AtomicBoolean();
        // The first chunk (2 rows) is committed; then the attempt fails, and even the JDBC mirror of its progress is
        // gone: the checkpoint that counts is the one committed on the broker with the chunk.
        sftpIntake.setListener((office, file, itemsDone) -> {
            if (file.equals(name) && failed.compareAndSet(false, true)) {
                jdbc.update("UPDATE sftp_file SET items_done = 0, last_line = 0, parts = 0, accepted = 0 WHERE name = ?", name);
                throw new IllegalStateException("test: the hub fails after the first chunk");
            }
        });
        drop("VN-LAOCAI", name, drugRows(refs));

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(failed).isTrue();
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("attempts").asInt()).isEqualTo(2);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(5);
        assertThat(receipt.get("receipts")).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(receipt.get("receipts").get(i).get("originalId").asText()).isEqualTo(name + "#" + (i + 2));
        }
        for (String ref : refs) {
            String id = Normalizer.alertId("VN-LAOCAI", ref);
            assertThat(agencyMessages("VN-DRUG", id)).as(ref).hasSize(1);
            assertThat(agencyMessages("VN-FOCAL", id)).as(ref).hasSize(1);
        }
        assertThat(doneFile("VN-LAOCAI", name)).exists();
    }

    @Test
    void aChunkRolledBackAfterItsDeliveriesIsDoneAgainAndTracedAsDeliveredOnce() throws Exception {
        List<String> refs = List.of(uniqueRef("R1"), uniqueRef("R2"), uniqueRef("R3"));
        String name = "rolledback-" + refs.get(0) + ".csv";
        AtomicBoolean failed = new AtomicBoolean();
        // inside the first chunk's transaction, after every delivery of its rows was sent: the attempt fails there
        AdviceWith.adviceWith(camel, "ingest-sftp-chunk", route -> route.weaveByToUri("jms:queue:hub.sftp.receipts*")
                .before().process(x -> {
                    Inbound inbound = x.getProperty(Inbound.PROPERTY, Inbound.class);
                    if (name.equals(inbound.originalId()) && failed.compareAndSet(false, true)) {
                        throw new jakarta.jms.JMSException("test: the broker fails before the chunk's commit");
                    }
                }));
        drop("VN-LAOCAI", name, drugRows(refs));

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(failed).isTrue();
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("attempts").asInt()).isEqualTo(2);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(3);
        trace.flush(Duration.ofSeconds(10));
        for (int i = 0; i < refs.size(); i++) {
            String id = Normalizer.alertId("VN-LAOCAI", refs.get(i));
            assertThat(agencyMessages("VN-DRUG", id)).as(refs.get(i)).hasSize(1);
            assertThat(agencyMessages("VN-FOCAL", id)).as(refs.get(i)).hasSize(1);
            List<TraceEvent> events = traceQuery.trace(id);
            String line = name + "#" + (i + 2);
            // the rolled-back attempt's deliveries were undone: not in the trace (nor in the delivered metric)
            assertThat(events).filteredOn(e -> e.event() == TraceEvent.Event.DELIVERED).extracting(TraceEvent::agency)
                    .as(refs.get(i)).contains("VN-FOCAL", "VN-DRUG").doesNotHaveDuplicates();
            assertThat(events).filteredOn(e -> e.event() == TraceEvent.Event.RECEIVED).isNotEmpty()
                    .allMatch(e -> "SFTP".equals(e.channel()) && line.equals(e.originalId()));
            assertThat(events).anyMatch(e -> e.event() == TraceEvent.Event.NORMALIZED);
        }
    }

    @Test
    void aFileLeftBehindByAHubThatDiedIsPutBackAndResumedAfterItsCheckpoint() throws Exception {
        // As a dead instance left it: the file claimed (key registered, renamed out of the inbox), its first chunk of
        // two rows committed with its part (receipts and checkpoint) on the broker, its heartbeat long past.
        List<String> refs = List.of(uniqueRef("C1"), uniqueRef("C2"), uniqueRef("C3"), uniqueRef("C4"));
        String name = "crashed-" + refs.get(0) + ".csv";
        byte[] content = drugRows(refs);
        Path claimed = claimedByADeadHub(name, content);
        String key = keyOf(claimed, name, content);
        Session hub = session(Credentials.HUB);
        BytesMessage part = hub.createBytesMessage();
        part.writeBytes(gzip("    " + receiptJson(name, refs.get(0), 2) + ",\n    " + receiptJson(name, refs.get(1), 3)));
        part.setStringProperty(SftpReceiptStore.FILE_ID, SftpReceiptStore.fileId(key));
        part.setIntProperty(SftpReceiptStore.PART, 1);
        part.setLongProperty(SftpReceiptStore.ITEMS_DONE, 2);
        part.setLongProperty(SftpReceiptStore.LAST_LINE, 3);
        part.setLongProperty(SftpReceiptStore.ACCEPTED, 2);
        part.setLongProperty(SftpReceiptStore.DUPLICATE, 0);
        part.setLongProperty(SftpReceiptStore.REJECTED, 0);
        hub.createProducer(hub.createQueue(SftpReceiptStore.QUEUE)).send(part);

        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("attempts").asInt()).isEqualTo(2);
        assertThat(receipt.get("accepted").asLong()).isEqualTo(4);
        assertThat(receipt.get("receipts")).hasSize(4);
        assertThat(receipt.get("receipts").get(2).get("originalId").asText()).isEqualTo(name + "#4");
        // rows 2 and 3 were the dead instance's: not handed over again; rows 4 and 5 are
        for (String ref : refs.subList(0, 2)) {
            assertThat(count("agency.VN-DRUG", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).isZero();
        }
        for (String ref : refs.subList(2, 4)) {
            assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", ref))).hasSize(1);
        }
        assertThat(doneFile("VN-LAOCAI", name)).exists();
        assertThat(claimed).doesNotExist();
        assertThat(count(SftpReceiptStore.QUEUE, SftpReceiptStore.FILE_ID + " = '" + SftpReceiptStore.fileId(key) + "'"))
                .isZero();
    }

    @Test
    void aCheckpointThatReadsBackBehindTheDatabasesIsNotResumedFrom() throws Exception {
        // The database says two alerts of the file were handed over, but the broker's parts do not read back (as when
        // a browse of a paging broker ends early): resuming from the broker's would hand those two over again.
        List<String> refs = List.of(uniqueRef("B1"), uniqueRef("B2"), uniqueRef("B3"));
        String name = "behind-" + refs.get(0) + ".csv";
        byte[] content = drugRows(refs);
        Path claimed = claimedByADeadHub(name, content);
        String key = keyOf(claimed, name, content);

        await().atMost(Duration.ofSeconds(30)).until(() -> sftpFiles.find(key).orElseThrow(),
                f -> f.attempts() >= 3 && f.error() != null && f.error().contains("behind the database's"));
        for (String ref : refs) {
            assertThat(count("agency.VN-DRUG", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).as(ref).isZero();
        }

        // once an operator has set the record straight (here: nothing was handed over), the file goes through once
        jdbc.update("UPDATE sftp_file SET items_done = 0, last_line = 0, parts = 0, accepted = 0 WHERE file_key = ?", key);
        JsonNode receipt = receiptFile("VN-LAOCAI", name);
        assertThat(receipt.get("status").asText()).isEqualTo("DONE");
        assertThat(receipt.get("accepted").asLong()).isEqualTo(3);
        for (String ref : refs) {
            assertThat(agencyMessages("VN-DRUG", Normalizer.alertId("VN-LAOCAI", ref))).as(ref).hasSize(1);
        }
    }

    @Test
    void anOfficeWithoutItsProcessingDirectoryAndOneWithAFileInItsPlaceDoNotStopTheRecoveryOfAThirdsFile()
            throws Exception {
        // In the order the recovery sweeps the offices: the first has no processing directory (nothing to recover
        // there), the second's cannot be listed (a plain file in its place), the third has a file that a dead instance
        // left claimed, which must be put back and read all the same.
        List<SftpAccount> offices = sftpAccounts.offices();
        Path processing = server().root().resolve(EmbeddedSftpServer.HUB_DIR).resolve("processing");
        Path missing = processing.resolve(offices.get(0).home());
        Path unlistable = processing.resolve(offices.get(1).home());
        SftpAccount third = offices.get(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> regularFilesIn(missing) == 0 && regularFilesIn(unlistable) == 0);
        ch.qos.logback.classic.Logger recoveryLog =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(SftpRecovery.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        recoveryLog.addAppender(logged);
        try {
            org.springframework.util.FileSystemUtils.deleteRecursively(missing);
            org.springframework.util.FileSystemUtils.deleteRecursively(unlistable);
            Files.writeString(unlistable, "not a directory");

            List<String> refs = List.of(uniqueRef("M1"), uniqueRef("M2"));
            String name = "missing-" + refs.get(0) + ".csv";
            byte[] content = drugRows(refs);
            Path claimed = claimedByADeadHub(third.id(), name, content, 0);

            JsonNode receipt = receiptFile(third.id(), name);
            assertThat(receipt.get("status").asText()).isEqualTo("DONE");
            assertThat(receipt.get("attempts").asInt()).isEqualTo(2);
            assertThat(receipt.get("accepted").asLong()).isEqualTo(2);
            // the receipt is written before the file is moved on
            Path done = server().root().resolve(third.home()).resolve("done").resolve(name);
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(done));
            assertThat(claimed).doesNotExist();
            // the recovery swept several times meanwhile: the second office's failure is logged once, naming the
            // path; the first's missing directory is no failure
            List<String> warnings = logged.list.stream()
                    .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            String unlistablePath = EmbeddedSftpServer.HUB_DIR + "/processing/" + offices.get(1).home();
            assertThat(warnings).filteredOn(w -> w.contains(unlistablePath + " "))
                    .singleElement().asString().contains("cannot sweep " + unlistablePath);
            assertThat(warnings).noneMatch(w -> w.contains("/processing/" + offices.get(0).home()));
        } finally {
            recoveryLog.detachAppender(logged);
            Files.deleteIfExists(unlistable);
            org.blohub.OwnerOnlyFiles.createDirectories(unlistable);
            org.blohub.OwnerOnlyFiles.createDirectories(missing);
        }
    }

    private static long regularFilesIn(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    /**
     * A file as a dead instance left it: claimed (key registered, renamed out of the inbox), its heartbeat long past,
     * and the database saying its first chunk of two rows (lines 2-3) was handed over.
     */
    private Path claimedByADeadHub(String name, byte[] content) throws Exception {
        return claimedByADeadHub("VN-LAOCAI", name, content, 2);
    }

    /** A file of {@code office} as a dead instance left it, the database saying its first {@code handedOver} rows went. */
    private Path claimedByADeadHub(String office, String name, byte[] content, int handedOver) throws Exception {
        String home = office.toLowerCase(java.util.Locale.ROOT);
        Path claimed = server().root().resolve(".hub/processing/" + home + "/dead-" + name).resolve(name);
        Files.createDirectories(claimed.getParent());
        Files.write(claimed, content);
        Files.setLastModifiedTime(claimed, FileTime.from(
                Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        String key = SftpFiles.key(home, name, content.length, Files.getLastModifiedTime(claimed).toMillis());
        OffsetDateTime longAgo = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1);
        jdbc.update("INSERT INTO sftp_claim (processorName, messageId, createdAt) VALUES ('sftp-in', ?, ?)", key,
                Timestamp.from(longAgo.toInstant()));
        jdbc.update("INSERT INTO sftp_file (file_key, office, name, state, owner, claim_dir, heartbeat_at, attempts, "
                + "items_done, last_line, parts, accepted, duplicate, rejected, started_at) VALUES (?, ?, ?, "
                + "'PROCESSING', 'dead-hub', ?, ?, 1, ?, ?, ?, ?, 0, 0, ?)", key, office, name,
                claimed.getParent().getFileName().toString(), longAgo, handedOver, handedOver == 0 ? 0 : handedOver + 1,
                handedOver == 0 ? 0 : 1, handedOver, longAgo);
        return claimed;
    }

    private static String keyOf(Path claimed, String name, byte[] content) throws Exception {
        return SftpFiles.key("vn-laocai", name, content.length, Files.getLastModifiedTime(claimed).toMillis());
    }

    /** A CSV with one drug-trafficking row per sourceRef, lines 2 on. */
    private static byte[] drugRows(List<String> refs) {
        return utf8(csv(refs.stream().map(r -> row(r, "DRUG_TRAFFICKING", "Hàng " + r)).toArray(String[]::new)));
    }

    private static String receiptJson(String name, String ref, int line) throws Exception {
        return AlertJson.mapper().writeValueAsString(new Receipt(Normalizer.alertId("VN-LAOCAI", ref), ref,
                name + "#" + line, Receipt.Status.ACCEPTED, List.of("VN-DRUG"), List.of()));
    }

    private static byte[] gzip(String s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
