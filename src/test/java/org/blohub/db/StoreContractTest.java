package org.blohub.db;

import org.blohub.alert.Alert;
import org.blohub.alert.Tlp;
import org.blohub.audit.AlertStatus;
import org.blohub.audit.Trace;
import org.blohub.audit.TraceEvent;
import org.blohub.audit.TraceEvent.Event;
import org.blohub.audit.TraceItem;
import org.blohub.audit.TracePage;
import org.blohub.audit.TraceQuery;
import org.blohub.audit.TraceRetention;
import org.blohub.audit.TraceSearch;
import org.blohub.audit.TraceStore;
import org.blohub.dedupe.Ledger;
import org.blohub.ingest.Inbound;
import org.blohub.normalize.Normalizer;
import org.blohub.normalize.Outcome;
import org.blohub.normalize.Position;
import org.blohub.normalize.Problem;
import org.blohub.office.OfficeRegistry;
import org.blohub.routing.AgencyRegistry;
import org.blohub.routing.Routed;
import org.blohub.routing.Router;
import org.blohub.routing.RoutingDecision;
import org.blohub.routing.RoutingDecision.Recipient;
import org.blohub.routing.RoutingDecision.Withheld;
import org.blohub.sftp.SftpClaims;
import org.blohub.sftp.SftpFiles;
import org.blohub.sftp.SftpReceiptStore;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The hub's JDBC stores — the dedupe ledger, the trace, the SFTP intake's files and claims — against each database
 * the hub runs on: the same tests, once on H2 as the hub configures it ({@link H2StoreTest}) and once on a real
 * PostgreSQL ({@link PostgresStoreTest}), each on a database made by the hub's own Flyway migrations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContractTest {

    static final Instant T0 = Instant.parse("2026-11-23T02:00:00Z");
    static final AgencyRegistry AGENCIES;

    static {
        Path config = Path.of("config");
        AGENCIES = Router.load(config, OfficeRegistry.load(config)).agencies();
    }

    DataSource ds;
    JdbcTemplate jdbc;
    MutableClock clock;
    Ledger ledger;
    Trace trace;
    TraceQuery query;

    /** A new, empty database of this kind (not yet migrated). */
    abstract DataSource newDatabase();

    @BeforeAll
    void database() {
        ds = newDatabase();
        TestDatabases.migrate(ds);
        jdbc = new JdbcTemplate(ds);
    }

    @BeforeEach
    void clean() {
        jdbc.update("DELETE FROM alert_trace");
        jdbc.update("DELETE FROM alert_ledger");
        jdbc.update("DELETE FROM sftp_file");
        jdbc.update("DELETE FROM sftp_claim");
        clock = new MutableClock(T0);
        ledger = new Ledger(jdbc);
        trace = new Trace(jdbc, AGENCIES, clock);
        query = new TraceQuery(jdbc);
    }

    @AfterEach
    void stopWriter() throws InterruptedException {
        trace.close();
    }

    // ---- Flyway ------------------------------------------------------------------------------------------

    @Test
    void everyMigrationRanOnThisDatabase() throws Exception {
        MigrationInfo[] hub = TestDatabases.flyway(ds).info().all();
        assertThat(hub).hasSize(migrations("db/migration"));
        assertThat(hub).allSatisfy(m -> assertThat(m.getState()).as(m.getScript()).isEqualTo(MigrationState.SUCCESS));
        assertThat(Arrays.stream(hub).map(m -> m.getVersion().getVersion())).contains("1", "5");
        // the trace's own, beside the hub's tables: a baseline (version 0), then each of its migrations
        MigrationInfo[] trace = TraceStore.flyway(ds).info().applied();
        assertThat(trace).hasSize(1 + migrations("db/trace"));
        assertThat(trace[0].getState()).isEqualTo(MigrationState.BASELINE);
        assertThat(Arrays.copyOfRange(trace, 1, trace.length))
                .allSatisfy(m -> assertThat(m.getState()).as(m.getScript()).isEqualTo(MigrationState.SUCCESS));
    }

    private static int migrations(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources", dir))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    // ---- the dedupe ledger -------------------------------------------------------------------------------

    @Test
    void ledgerClaimsFirstThenRedeliveryForTheSameMessageThenDuplicateForAnother() {
        Alert a = alert("VN-LAOCAI", "LC-1", "ID:msg-1");
        assertThat(ledger.claim(a)).isEqualTo(new Ledger.Claim(Ledger.Verdict.FIRST, a.alertId()));
        assertThat(ledger.claim(a)).isEqualTo(new Ledger.Claim(Ledger.Verdict.REDELIVERY, a.alertId()));
        Alert again = alert("VN-LAOCAI", "LC-1", "ID:msg-2");
        assertThat(ledger.claim(again)).isEqualTo(new Ledger.Claim(Ledger.Verdict.DUPLICATE, a.alertId()));
        Alert otherOffice = alert("CN-HEKOU", "LC-1", "ID:msg-3");
        assertThat(ledger.claim(otherOffice).verdict()).isEqualTo(Ledger.Verdict.FIRST);
    }

    @Test
    void concurrentClaimsShareCommitsYetEachKeyHasExactlyOneFirst() throws Exception {
        // 8 consumers, 50 keys each claimed by 4 different messages at once
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Ledger.Claim>> claims = new ArrayList<>();
        try {
            for (int key = 0; key < 50; key++) {
                for (int copy = 0; copy < 4; copy++) {
                    Alert a = alert("VN-LAOCAI", "K-" + key, "ID:k" + key + "-" + copy);
                    claims.add(pool.submit(() -> ledger.claim(a)));
                }
            }
            Map<String, List<Ledger.Verdict>> byAlert = new HashMap<>();
            for (Future<Ledger.Claim> c : claims) {
                Ledger.Claim claim = c.get(30, TimeUnit.SECONDS);
                byAlert.computeIfAbsent(claim.firstAlertId(), k -> new ArrayList<>()).add(claim.verdict());
            }
            assertThat(byAlert).hasSize(50).allSatisfy((alertId, verdicts) -> assertThat(verdicts)
                    .containsExactlyInAnyOrder(Ledger.Verdict.FIRST, Ledger.Verdict.DUPLICATE,
                            Ledger.Verdict.DUPLICATE, Ledger.Verdict.DUPLICATE));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM alert_ledger", Integer.class)).isEqualTo(50);
    }

    @Test
    void ledgerFindsTheAlertAsAcceptedAndReleasesAnInputsClaims() {
        Alert a = alert("VN-LAOCAI", "LC-2", "api:req-1");
        Alert row2 = alert("VN-LAOCAI", "LC-3", "api:req-1#2");
        ledger.claim(a);
        ledger.claim(row2);
        Alert found = ledger.find(a.alertId()).orElseThrow();
        assertThat(found.sourceRef()).isEqualTo("LC-2");
        assertThat(found.headline()).isEqualTo("Bắt giữ 12 kg methamphetamine");
        assertThat(found.receivedAt().toInstant()).isEqualTo(a.receivedAt().toInstant());
        assertThat(ledger.find("no-such-alert")).isEmpty();

        ledger.releaseAll("api:req-1");
        assertThat(ledger.find(a.alertId())).isEmpty();
        assertThat(ledger.find(row2.alertId())).isEmpty();
        assertThat(ledger.claim(alert("VN-LAOCAI", "LC-2", "api:req-2")).verdict()).isEqualTo(Ledger.Verdict.FIRST);
    }

    // ---- the trace ---------------------------------------------------------------------------------------

    @Test
    void anAlertsTraceHasEveryEventInTimeOrderWithRulesChannelsAndReasons() {
        Alert a = alert("VN-LAOCAI", "LC-10", "ID:msg-10");
        Routed routed = new Routed(a, new RoutingDecision(a.alertId(),
                List.of(new Recipient("VN-FOCAL", "default"), new Recipient("VN-DRUG", "default"),
                        new Recipient("VN-TIP", "sender-addressees")),
                List.of(new Withheld("VN-CUSTOMS", "default", "not cleared for TLP:AMBER+STRICT (receives up to TLP:AMBER)"))));
        trace.received(inbound("VN-LAOCAI", "ID:msg-10"), List.of(new Outcome.Accepted(a)));
        clock.advance(Duration.ofMillis(5));
        trace.routed(routed);
        clock.advance(Duration.ofMillis(5));
        trace.handedOver(routed);
        clock.advance(Duration.ofSeconds(3));
        trace.failed(a.alertId(), "VN-TIP", 1, "SMTP 451 try again later");
        clock.advance(Duration.ofSeconds(30));
        trace.delivered(a.alertId(), "VN-TIP", "SMTP");

        List<TraceEvent> events = written().trace(a.alertId());
        assertThat(events).extracting(TraceEvent::event, TraceEvent::agency, TraceEvent::rule, TraceEvent::channel)
                .containsExactly(
                        tuple(Event.RECEIVED, null, null, "JMS"),
                        tuple(Event.NORMALIZED, null, null, null),
                        tuple(Event.ROUTED, "VN-FOCAL", "default", null),
                        tuple(Event.ROUTED, "VN-DRUG", "default", null),
                        tuple(Event.ROUTED, "VN-TIP", "sender-addressees", null),
                        tuple(Event.WITHHELD, "VN-CUSTOMS", "default", null),
                        tuple(Event.DELIVERED, "VN-FOCAL", null, "JMS"),
                        tuple(Event.DELIVERED, "VN-DRUG", null, "JMS"),
                        tuple(Event.QUEUED, "VN-TIP", null, "SMTP"),
                        tuple(Event.FAILED, "VN-TIP", null, null),
                        tuple(Event.DELIVERED, "VN-TIP", null, "SMTP"));
        TraceEvent received = events.get(0);
        assertThat(received.at()).isEqualTo(T0);
        assertThat(received.office()).isEqualTo("VN-LAOCAI");
        assertThat(received.sourceRef()).isEqualTo("LC-10");
        assertThat(received.originalId()).isEqualTo("ID:msg-10");
        assertThat(received.rawSha256()).isEqualTo(HASH);
        assertThat(events.get(5).detail()).isEqualTo("not cleared for TLP:AMBER+STRICT (receives up to TLP:AMBER)");
        assertThat(events.get(8).detail()).isEqualTo("hub.outbox.VN-TIP");
        assertThat(events.get(9).attempt()).isEqualTo(1);
        assertThat(events.get(9).detail()).isEqualTo("SMTP 451 try again later");
        assertThat(events.get(10).at()).isEqualTo(T0.plusMillis(10).plusSeconds(33));
        assertThat(events).extracting(TraceEvent::at).isSorted();
    }

    @Test
    void theStatusIsTheLatestStateDeliveredOnlyWhenEveryAgencyIsFailedWhenAnyIs() {
        Alert a = alert("VN-LAOCAI", "LC-20", "ID:msg-20");
        Routed routed = routed(a, "VN-FOCAL", "VN-TIP");
        trace.received(inbound("VN-LAOCAI", "ID:msg-20"), List.of(new Outcome.Accepted(a)));
        assertThat(onlyItem().status()).isEqualTo(AlertStatus.ACCEPTED);
        trace.routed(routed);
        assertThat(onlyItem().status()).isEqualTo(AlertStatus.ACCEPTED);
        trace.handedOver(routed);
        TraceItem queued = onlyItem();
        assertThat(queued.status()).as("VN-TIP only queued for mail").isEqualTo(AlertStatus.ACCEPTED);
        assertThat(queued.agencies()).extracting(TraceItem.AgencyState::agency, TraceItem.AgencyState::state)
                .containsExactly(tuple("VN-FOCAL", "DELIVERED"), tuple("VN-TIP", "QUEUED"));

        clock.advance(Duration.ofSeconds(1));
        trace.failed(a.alertId(), "VN-TIP", 2, "connection refused");
        TraceItem failed = onlyItem();
        assertThat(failed.status()).isEqualTo(AlertStatus.FAILED);
        assertThat(failed.agencies().get(1)).isEqualTo(new TraceItem.AgencyState("VN-TIP", "default", "FAILED",
                T0.plusSeconds(1), 2, "connection refused"));
        assertThat(written().search(TraceSearch.all().status(AlertStatus.FAILED)).total()).isEqualTo(1);
        assertThat(written().search(TraceSearch.all().status(AlertStatus.ACCEPTED)).total()).isZero();

        clock.advance(Duration.ofSeconds(1));
        trace.delivered(a.alertId(), "VN-TIP", "SMTP");
        assertThat(onlyItem().status()).isEqualTo(AlertStatus.DELIVERED);
        assertThat(written().search(TraceSearch.all().status(AlertStatus.DELIVERED)).total()).isEqualTo(1);
        assertThat(written().search(TraceSearch.all().status(AlertStatus.FAILED)).total()).isZero();

        // a redelivered inbound message is the same item again: one item, received when first seen
        clock.advance(Duration.ofMinutes(1));
        trace.received(inbound("VN-LAOCAI", "ID:msg-20"), List.of(new Outcome.Accepted(a)));
        TraceItem again = onlyItem();
        assertThat(again.receivedAt()).isEqualTo(T0);
        assertThat(again.status()).as("in the pipeline again").isEqualTo(AlertStatus.ACCEPTED);
        trace.routed(routed);
        assertThat(onlyItem().status()).isEqualTo(AlertStatus.DELIVERED);
        // its received time is the first attempt's, for the time filters too
        Instant between = T0.plusSeconds(30);
        assertThat(written().search(TraceSearch.all().between(between, null)).total()).isZero();
        assertThat(written().search(TraceSearch.all().between(null, between)).items())
                .extracting(TraceItem::receivedAt).containsExactly(T0);
        assertThat(written().search(TraceSearch.all().between(T0, T0.plusMillis(1))).total()).isEqualTo(1);
        assertThat(written().search(TraceSearch.all().between(null, T0)).total()).isZero();
    }

    @Test
    void aDuplicateIsAnItemOfItsOwnNamingTheFirstAlertAndLeavesTheFirstAsItWas() {
        Alert a = alert("VN-LAOCAI", "LC-30", "ID:msg-30");
        deliverAll(a, "ID:msg-30", "VN-FOCAL");
        clock.advance(Duration.ofMinutes(5));
        Alert resent = alert("VN-LAOCAI", "LC-30", "ID:msg-31");
        trace.received(inbound("VN-LAOCAI", "ID:msg-31"), List.of(new Outcome.Accepted(resent)));
        trace.duplicate("VN-LAOCAI", "ID:msg-31", "LC-30", resent.alertId(), a.alertId());

        List<TraceItem> items = written().search(TraceSearch.all().sourceRef("LC-30")).items();
        assertThat(items).extracting(TraceItem::originalId, TraceItem::status, TraceItem::duplicateOf).containsExactly(
                tuple("ID:msg-31", AlertStatus.DUPLICATE, a.alertId()),
                tuple("ID:msg-30", AlertStatus.DELIVERED, null));
        assertThat(written().trace(a.alertId())).extracting(TraceEvent::event).endsWith(Event.RECEIVED, Event.NORMALIZED,
                Event.DUPLICATE);
        assertThat(written().search(TraceSearch.all().status(AlertStatus.DUPLICATE)).items())
                .extracting(TraceItem::originalId).containsExactly("ID:msg-31");
        assertThat(written().trace(a.alertId()).get(written().trace(a.alertId()).size() - 1).duplicateOf()).isEqualTo(a.alertId());
    }

    @Test
    void anInputThatNeverBecameAnAlertIsQuarantinedKeyedByOfficeAndOriginalId() {
        Inbound in = inbound("CN-HEKOU", "ID:bad-1");
        Outcome.Rejected bad = new Outcome.Rejected(null, "CN-HEKOU", "ID:bad-1", new Position(1, 2),
                List.of(new Problem("", "malformed JSON: Unexpected character", new Position(1, 2))));
        trace.received(in, List.of(bad));
        trace.rejected(bad, null, in);

        TraceItem item = onlyItem();
        assertThat(item.alertId()).isNull();
        assertThat(item.office()).isEqualTo("CN-HEKOU");
        assertThat(item.originalId()).isEqualTo("ID:bad-1");
        assertThat(item.status()).isEqualTo(AlertStatus.QUARANTINED);
        assertThat(item.reason()).isEqualTo("1:2: malformed JSON: Unexpected character");
        assertThat(item.itemId()).isEqualTo(Trace.itemId("CN-HEKOU", "ID:bad-1", null));
        List<TraceEvent> rows = written().traceOfItem(item.itemId());
        assertThat(rows).extracting(TraceEvent::event).containsExactly(Event.RECEIVED, Event.QUARANTINED);
        assertThat(rows.get(0).rawSha256()).isEqualTo(sha256(in.raw()));
        assertThat(written().search(TraceSearch.all().status(AlertStatus.QUARANTINED).office("CN-HEKOU")).total()).isEqualTo(1);
    }

    @Test
    void anAlertRefusedAfterReadingIsRejectedWithItsId() {
        Alert red = alert("VN-LAOCAI", "LC-40", "ID:msg-40");
        trace.received(inbound("VN-LAOCAI", "ID:msg-40"), List.of(new Outcome.Accepted(red)));
        Outcome.Rejected refused = new Outcome.Rejected("LC-40", "VN-LAOCAI", "ID:msg-40", Position.UNKNOWN,
                List.of(Problem.of("addressees", "VN-TIP: not cleared for TLP:RED")));
        trace.rejected(refused, red.alertId(), inbound("VN-LAOCAI", "ID:msg-40"));

        TraceItem item = onlyItem();
        assertThat(item.alertId()).isEqualTo(red.alertId());
        assertThat(item.status()).isEqualTo(AlertStatus.REJECTED);
        assertThat(item.reason()).isEqualTo("addressees: VN-TIP: not cleared for TLP:RED");
        assertThat(written().search(TraceSearch.all().status(AlertStatus.REJECTED)).total()).isEqualTo(1);
        assertThat(written().search(TraceSearch.all().status(AlertStatus.QUARANTINED)).total()).isZero();
        assertThat(written().trace(red.alertId())).extracting(TraceEvent::event)
                .containsExactly(Event.RECEIVED, Event.NORMALIZED, Event.REJECTED);
    }

    @Test
    void searchFiltersByOfficeSourceRefAgencyStatusAndReceivedTimeAndPages() {
        // t0: A (VN-LAOCAI, delivered to VN-FOCAL, VN-DRUG); t0+1h: B (VN-LAOCAI, queued for VN-TIP);
        // t0+2h: C (CN-HEKOU, delivered to CN-FOCAL); t0+3h: D (CN-HEKOU, quarantined)
        Alert a = alert("VN-LAOCAI", "A-1", "ID:a");
        deliverAll(a, "ID:a", "VN-FOCAL", "VN-DRUG");
        clock.set(T0.plus(Duration.ofHours(1)));
        Alert b = alert("VN-LAOCAI", "B-1", "ID:b");
        trace.received(inbound("VN-LAOCAI", "ID:b"), List.of(new Outcome.Accepted(b)));
        trace.routed(routed(b, "VN-TIP"));
        trace.handedOver(routed(b, "VN-TIP"));
        clock.set(T0.plus(Duration.ofHours(2)));
        Alert c = alert("CN-HEKOU", "C-1", "ID:c");
        deliverAll(c, "ID:c", "CN-FOCAL");
        clock.set(T0.plus(Duration.ofHours(3)));
        Outcome.Rejected d = new Outcome.Rejected("D-1", "CN-HEKOU", "ID:d", Position.UNKNOWN,
                List.of(Problem.of("severity", "must be one of Extreme, Severe, Moderate, Minor, Unknown")));
        trace.received(inbound("CN-HEKOU", "ID:d"), List.of(d));
        trace.rejected(d, null, inbound("CN-HEKOU", "ID:d"));

        assertThat(refs(TraceSearch.all())).containsExactly("D-1", "C-1", "B-1", "A-1");
        assertThat(refs(TraceSearch.all().office("VN-LAOCAI"))).containsExactly("B-1", "A-1");
        assertThat(refs(TraceSearch.all().office("CN-HEKOU"))).containsExactly("D-1", "C-1");
        assertThat(refs(TraceSearch.all().sourceRef("C-1"))).containsExactly("C-1");
        assertThat(refs(TraceSearch.all().sourceRef("D-1"))).containsExactly("D-1");
        assertThat(refs(TraceSearch.all().agency("VN-DRUG"))).containsExactly("A-1");
        assertThat(refs(TraceSearch.all().agency("VN-TIP"))).containsExactly("B-1");
        assertThat(refs(TraceSearch.all().agency("VN-CUSTOMS"))).isEmpty();
        assertThat(refs(TraceSearch.all().status(AlertStatus.DELIVERED))).containsExactly("C-1", "A-1");
        assertThat(refs(TraceSearch.all().status(AlertStatus.ACCEPTED))).containsExactly("B-1");
        assertThat(refs(TraceSearch.all().status(AlertStatus.QUARANTINED))).containsExactly("D-1");
        assertThat(refs(TraceSearch.all().status(AlertStatus.DUPLICATE))).isEmpty();
        assertThat(refs(TraceSearch.all().between(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)))))
                .as("from inclusive, to exclusive").containsExactly("C-1", "B-1");
        assertThat(refs(TraceSearch.all().between(T0.plus(Duration.ofMinutes(1)), null))).containsExactly("D-1", "C-1", "B-1");
        assertThat(refs(TraceSearch.all().between(null, T0.plus(Duration.ofMinutes(1))))).containsExactly("A-1");
        assertThat(refs(TraceSearch.all().office("VN-LAOCAI").status(AlertStatus.DELIVERED).agency("VN-FOCAL")))
                .containsExactly("A-1");

        TracePage first = written().search(TraceSearch.all().page(0, 3));
        assertThat(first.total()).isEqualTo(4);
        assertThat(first.page()).isZero();
        assertThat(first.size()).isEqualTo(3);
        assertThat(first.items()).extracting(TraceItem::sourceRef).containsExactly("D-1", "C-1", "B-1");
        TracePage second = written().search(TraceSearch.all().page(1, 3));
        assertThat(second.total()).isEqualTo(4);
        assertThat(second.items()).extracting(TraceItem::sourceRef).containsExactly("A-1");
        TracePage delivered = written().search(TraceSearch.all().status(AlertStatus.DELIVERED).page(1, 1));
        assertThat(delivered.total()).isEqualTo(2);
        assertThat(delivered.items()).extracting(TraceItem::sourceRef).containsExactly("A-1");
        assertThat(written().search(TraceSearch.all().page(5, 3)).items()).isEmpty();

        TraceItem itemA = written().search(TraceSearch.all().sourceRef("A-1")).items().get(0);
        assertThat(itemA.alertId()).isEqualTo(a.alertId());
        assertThat(itemA.channel()).isEqualTo("JMS");
        assertThat(itemA.receivedAt()).isEqualTo(T0);
        assertThat(itemA.agencies()).extracting(TraceItem.AgencyState::agency, TraceItem.AgencyState::rule,
                TraceItem.AgencyState::state).containsExactly(tuple("VN-FOCAL", "default", "DELIVERED"),
                tuple("VN-DRUG", "default", "DELIVERED"));
    }

    @Test
    void retentionDeletesRowsOlderThanItAndKeepsTheRest() {
        Alert old = alert("VN-LAOCAI", "OLD-1", "ID:old");
        deliverAll(old, "ID:old", "VN-FOCAL");
        clock.set(T0.plus(Duration.ofDays(80)));
        Alert recent = alert("VN-LAOCAI", "NEW-1", "ID:new");
        deliverAll(recent, "ID:new", "VN-FOCAL");

        clock.set(T0.plus(Duration.ofDays(91)));
        written();
        int deleted = new TraceRetention(jdbc, Duration.ofDays(90), clock).purge();
        assertThat(deleted).isEqualTo(4);
        assertThat(written().trace(old.alertId())).isEmpty();
        assertThat(written().trace(recent.alertId())).hasSize(4);
        assertThat(refs(TraceSearch.all())).containsExactly("NEW-1");
    }

    @Test
    void aValueLongerThanItsColumnIsCutNotRefused() {
        Alert a = alert("VN-LAOCAI", "LONG-1", "ID:long");
        String error = "x".repeat(10_000);
        trace.failed(a.alertId(), "VN-TIP", 7, error);
        TraceEvent row = written().trace(a.alertId()).get(0);
        assertThat(row.detail()).hasSize(4000).startsWith("xxx").endsWith("…");
        assertThat(trace.failures()).isZero();
    }

    // ---- SFTP files -------------------------------------------------------------------------------------------

    /**
     * A 600-row file in chunks of 500: claimed, its first chunk checkpointed; the attempt fails and is claimed again
     * (a retry); then the instance dies and another takes it over after the lease, and finishes it. Each claim runs
     * in a transaction with statements before and after it, as a caller's transaction on this database would: the
     * claim of a row already there must leave the transaction usable.
     */
    @Test
    void anSftpFileClaimedAgainInsideATransactionIsTakenOverWithItsProgressAndTheTransactionGoesOn() {
        SftpFiles files = new SftpFiles(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        String key = SftpFiles.key("vn-laocai", "alerts-600.csv", 61_234, T0.toEpochMilli());

        SftpFiles.FileRow first = tx.execute(s -> {
            assertThat(files.find(key)).isEmpty();
            SftpFiles.FileRow r = files.claim(key, "VN-LAOCAI", "alerts-600.csv", "hub-a", "claim-1");
            files.checkpoint(key, "hub-a", new SftpReceiptStore.Progress(1, 500, 501, 498, 1, 1));
            return r;
        });
        assertThat(first).extracting(SftpFiles.FileRow::state, SftpFiles.FileRow::owner, SftpFiles.FileRow::claimDir,
                SftpFiles.FileRow::attempts).containsExactly(SftpFiles.State.PROCESSING, "hub-a", "claim-1", 1);
        files.release(key, "java.io.IOException: connection reset", T0);

        SftpFiles.FileRow retry = tx.execute(s -> {
            SftpFiles.FileRow r = files.claim(key, "VN-LAOCAI", "alerts-600.csv", "hub-a", "claim-2");
            assertThat(files.find(key).orElseThrow().owner()).as("a statement after the claim").isEqualTo("hub-a");
            return r;
        });
        assertThat(retry).extracting(SftpFiles.FileRow::state, SftpFiles.FileRow::owner, SftpFiles.FileRow::claimDir,
                        SftpFiles.FileRow::attempts, SftpFiles.FileRow::itemsDone, SftpFiles.FileRow::lastLine)
                .containsExactly(SftpFiles.State.PROCESSING, "hub-a", "claim-2", 2, 500L, 501L);

        SftpFiles.FileRow takenOver = tx.execute(s -> {
            jdbc.update("UPDATE sftp_file SET heartbeat_at = ? WHERE file_key = ?",
                    OffsetDateTime.now(ZoneOffset.UTC).minusHours(1), key); // hub-a died long ago
            SftpFiles.FileRow r = files.claim(key, "VN-LAOCAI", "alerts-600.csv", "hub-b", "claim-3");
            files.checkpoint(key, "hub-b", new SftpReceiptStore.Progress(2, 600, 601, 598, 1, 1));
            files.finish(key, SftpFiles.State.DONE, null);
            return r;
        });
        assertThat(takenOver).extracting(SftpFiles.FileRow::state, SftpFiles.FileRow::owner,
                        SftpFiles.FileRow::claimDir, SftpFiles.FileRow::attempts, SftpFiles.FileRow::itemsDone)
                .containsExactly(SftpFiles.State.PROCESSING, "hub-b", "claim-3", 3, 500L);
        assertThat(takenOver.heartbeatAt()).isAfter(Instant.now().minusSeconds(600));
        SftpFiles.FileRow done = files.find(key).orElseThrow();
        assertThat(done).extracting(SftpFiles.FileRow::state, SftpFiles.FileRow::owner, SftpFiles.FileRow::itemsDone,
                SftpFiles.FileRow::accepted, SftpFiles.FileRow::items).containsExactly(SftpFiles.State.DONE, null, 600L,
                598L, 600L);

        // finished, but not moved on: claimed once more, it stays DONE (only the move is left)
        SftpFiles.FileRow moveOnly = tx.execute(s -> {
            SftpFiles.FileRow r = files.claim(key, "VN-LAOCAI", "alerts-600.csv", "hub-b", "claim-4");
            files.finish(key, r.state(), null);
            return r;
        });
        assertThat(moveOnly).extracting(SftpFiles.FileRow::state, SftpFiles.FileRow::attempts)
                .containsExactly(SftpFiles.State.DONE, 4);
        assertThat(files.all()).hasSize(1);
    }

    /** The consumers' claim keys: a key registered twice is refused the second time, in a transaction that goes on. */
    @Test
    void anSftpClaimKeyRegisteredAgainIsRefusedAndTheTransactionGoesOn() {
        SftpClaims claims = new SftpClaims(ds);
        SftpFiles files = new SftpFiles(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        String raw = SftpFiles.rawKey("vn-laocai", "alerts.csv", 120, T0.toEpochMilli());
        String longRaw = SftpFiles.rawKey("vn-laocai", "a".repeat(150) + ".csv", 120, T0.toEpochMilli());

        tx.executeWithoutResult(s -> {
            assertThat(claims.add(raw)).isTrue();
            assertThat(claims.add(raw)).isFalse();
            assertThat(claims.add(longRaw)).isTrue();
            assertThat(claims.add(longRaw)).isFalse();
            files.claim(SftpFiles.stored(raw), "VN-LAOCAI", "alerts.csv", "hub-a", "claim-1");
        });
        assertThat(claims.contains(raw)).isTrue();
        assertThat(claims.contains(longRaw)).isTrue();
        assertThat(jdbc.queryForList("SELECT messageId FROM sftp_claim", String.class))
                .containsExactlyInAnyOrder(raw, SftpFiles.stored(longRaw));
        assertThat(files.find(SftpFiles.stored(raw))).isPresent();

        assertThat(claims.remove(raw)).isTrue();
        assertThat(claims.add(raw)).as("put back, the file is claimed anew").isTrue();
    }

    /** Two hub instances register the same claim key at once, each in its transaction: one gets it, both commit. */
    @Test
    void anSftpClaimKeyRegisteredByTwoInstancesAtOnceGoesToExactlyOne() throws Exception {
        SftpClaims claims = new SftpClaims(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String raw = SftpFiles.rawKey("vn-laocai", "race-" + round + ".csv", 120, T0.toEpochMilli());
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<Future<Boolean>> both = new ArrayList<>();
                for (int instance = 0; instance < 2; instance++) {
                    both.add(pool.submit(() -> tx.execute(s -> {
                        meet(together);
                        boolean mine = claims.add(raw);
                        // a statement after it, in the same transaction
                        jdbc.queryForObject("SELECT COUNT(*) FROM sftp_claim", Integer.class);
                        return mine;
                    })));
                }
                List<Boolean> got = new ArrayList<>();
                for (Future<Boolean> f : both) {
                    got.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(got).as(raw).containsExactlyInAnyOrder(true, false);
                assertThat(claims.contains(raw)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void meet(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static final String HASH = "0f".repeat(32);

    Alert alert(String office, String sourceRef, String originalId) {
        OffsetDateTime t = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return new Alert(Alert.SCHEMA_VERSION, Normalizer.alertId(office, sourceRef), sourceRef, office,
                t.withOffsetSameInstant(ZoneOffset.ofHours(7)), t, Alert.Status.Actual, Alert.MsgType.Alert, List.of(),
                List.of(Alert.Category.DRUG_TRAFFICKING), Alert.Urgency.Immediate, Alert.Severity.Severe,
                Alert.Certainty.Observed, "vi", "Bắt giữ 12 kg methamphetamine", null, List.of(),
                List.of(new Alert.Area("Cửa khẩu", office.substring(0, 2), null, null, null, null, null)), List.of(),
                List.of(), List.of(), Tlp.AMBER, List.of(), null, List.of(),
                new Alert.Provenance(Alert.Channel.JMS, Alert.OriginalFormat.JSON, originalId, "UTF-8", HASH, null, null));
    }

    static Inbound inbound(String office, String originalId) {
        return new Inbound(office, Alert.Channel.JMS, originalId, ("{\"from\":\"" + office + "\"}").getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, null);
    }

    static Routed routed(Alert a, String... agencies) {
        return new Routed(a, new RoutingDecision(a.alertId(),
                Arrays.stream(agencies).map(id -> new Recipient(id, "default")).toList(), List.of()));
    }

    /** Received, routed and handed over to JMS agencies: DELIVERED. */
    void deliverAll(Alert a, String originalId, String... jmsAgencies) {
        trace.received(inbound(a.office(), originalId), List.of(new Outcome.Accepted(a)));
        trace.routed(routed(a, jmsAgencies));
        trace.handedOver(routed(a, jmsAgencies));
    }

    TraceItem onlyItem() {
        TracePage page = written().search(TraceSearch.all());
        assertThat(page.total()).isEqualTo(1);
        return page.items().get(0);
    }

    List<String> refs(TraceSearch s) {
        TracePage page = written().search(s);
        assertThat(page.total()).isEqualTo(page.items().size());
        return page.items().stream().map(TraceItem::sourceRef).toList();
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The query, once every event recorded so far is written (the trace writes on a thread of its own). */
    private TraceQuery written() {
        try {
            trace.flush(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return query;
    }
}
