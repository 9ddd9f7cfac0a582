package org.blohub.hub;

import org.blohub.operations.DeadLetters;
import org.blohub.audit.TraceQuery;
import org.blohub.audit.TraceEvent;
import org.blohub.audit.Trace;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.awaitility.Awaitility;
import org.blohub.alert.AlertJson;
import org.blohub.broker.BrokerTopology;
import org.blohub.mail.EmbeddedMailServer;
import org.blohub.mail.MailJob;
import org.blohub.mail.MailRoutes;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.blohub.hub.TestMail.header;
import static org.blohub.hub.TestMail.headers;
import static org.blohub.hub.TestMail.mail;
import static org.blohub.hub.TestMail.text;

/**
 * Issue 4, must show 4, for mail: the hub sends through a relay the test starts and stops (its own GreenMail SMTP
 * server); offices still mail the hub's embedded server. With the relay down, deliveries and replies are retried by the
 * broker and then dead-lettered; with it back, new ones flow. A mail whose processing fails midway (before its
 * transaction commits, or after) is read again and reaches no one twice; one that always fails is refused in the end.
 */
class HubMailFailureTest extends HubTestSupport {

    static final int RELAY_PORT = freePort();
    static volatile GreenMail relay = startRelay();
    static final String LAOCAI = "vn-laocai@offices.blo-hub.local";

    @DynamicPropertySource
    static void mailProperties(DynamicPropertyRegistry registry) {
        registry.add("blo.mail.smtp.host", () -> "127.0.0.1");
        registry.add("blo.mail.smtp.port", () -> RELAY_PORT);
        registry.add("blo.mail.imap.max-attempts", () -> 3);
    }

    @Autowired
    EmbeddedMailServer mailServer;
    @Autowired
    CamelContext camel;
    @Autowired
    Trace trace;
    @Autowired
    TraceQuery traceQuery;
    @Autowired
    DeadLetters deadLetters;
    TestMail mail;

    /** Message-IDs of mails whose ingest fails before the commit / after it, and how often each was seen. */
    static final Set<String> FAIL_BEFORE_COMMIT_ONCE = ConcurrentHashMap.newKeySet();
    static final Set<String> FAIL_AFTER_COMMIT_ONCE = ConcurrentHashMap.newKeySet();
    static final Set<String> FAIL_ALWAYS = ConcurrentHashMap.newKeySet();
    static final ConcurrentHashMap<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    static volatile boolean advised;

    @BeforeEach
    void setUp() throws Exception {
        mail = new TestMail(mailServer);
        if (!advised) {
            advised = true;
            // midway in the mail's transaction: after its deliveries were sent, before its reply is
            AdviceWith.adviceWith(camel, MailRoutes.INGEST, a -> a.weaveByToUri("jms:queue:hub.mail.replies*").before()
                    .process(e -> {
                        MailJob job = e.getProperty(MailJob.PROPERTY, MailJob.class);
                        SEEN.computeIfAbsent(job.messageId(), k -> new AtomicInteger()).incrementAndGet();
                        if (!job.refused() && (FAIL_BEFORE_COMMIT_ONCE.remove(job.messageId())
                                || FAIL_ALWAYS.contains(job.messageId()))) {
                            throw new IllegalStateException("injected failure before the commit");
                        }
                    }));
            // after the transaction committed, before the mail is marked seen (as a crash there would)
            AdviceWith.adviceWith(camel, MailRoutes.IN, a -> a.weaveByToUri("direct:mail-ingest").after()
                    .process(e -> {
                        MailJob job = e.getProperty(MailJob.PROPERTY, MailJob.class);
                        if (FAIL_AFTER_COMMIT_ONCE.remove(job.messageId())) {
                            throw new IllegalStateException("injected failure after the commit");
                        }
                    }));
        }
    }

    @AfterEach
    void relayBack() {
        if (!relay.isRunning()) {
            relay = startRelay();
        }
    }

    @AfterAll
    static void stopRelay() {
        relay.stop();
    }

    @Test
    void withTheRelayDownDeliveriesAndRepliesAreRetriedThenDeadLetteredAndWithItBackNewOnesFlow() throws Exception {
        relay.stop();
        String ref = uniqueRef("DOWN");
        String msgId = send(ref);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1); // JMS agencies are not held up
        String dlq = BrokerTopology.deadLettersFqqn(BrokerTopology.outbox("VN-TIP"));
        // a dead-letter queue exists from its first message on: browsing it before fails, and is tried again
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(jakarta.jms.JMSException.class)
                .until(() -> count(dlq, "bloAlertId = '" + alertId + "'") == 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(jakarta.jms.JMSException.class)
                .until(() -> count(BrokerTopology.deadLettersFqqn("hub.mail.replies"), "bloOriginalId = '" + msgId + "'") == 1);
        assertThat(count(BrokerTopology.outbox("VN-TIP"), "bloAlertId = '" + alertId + "'")).isZero();

        relay = startRelay();
        String ref2 = uniqueRef("BACK");
        String msgId2 = send(ref2);
        String alertId2 = Normalizer.alertId("VN-LAOCAI", ref2);
        MimeMessage delivered = awaitRelay("X-BLO-Alert-Id", alertId2).get(0);
        assertThat(delivered.getAllRecipients()).extracting(Object::toString).containsExactly("vn-tip@agencies.blo-hub.local");
        assertThat(AlertJson.mapper().readTree(text(delivered)).get("sourceRef").asText()).isEqualTo(ref2);
        assertThat(awaitRelay("In-Reply-To", msgId2)).hasSize(1);
        assertThat(relayed("X-BLO-Alert-Id", alertId)).isEmpty(); // the dead letter waits for an operator
        assertThat(relayed("In-Reply-To", msgId)).isEmpty();

        // the trace tells the story: each attempt FAILED with its number, and the replay DELIVERED by SMTP
        trace.flush(Duration.ofSeconds(10));
        List<TraceEvent> failed = traceQuery.trace(alertId).stream()
                .filter(e -> e.event() == TraceEvent.Event.FAILED && "VN-TIP".equals(e.agency())).toList();
        assertThat(failed).extracting(TraceEvent::attempt).containsExactly(1, 2, 3);
        assertThat(failed).allSatisfy(e -> assertThat(e.detail()).isNotBlank().doesNotContain(ref));
        String deadLetter = deadLetters.list(new DeadLetters.Filter(null, "VN-TIP", null), 0, 50).items().stream()
                .filter(d -> alertId.equals(d.alertId())).findFirst().orElseThrow().id();
        deadLetters.replay(deadLetter, "operator");
        assertThat(awaitRelay("X-BLO-Alert-Id", alertId)).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> traceQuery.trace(alertId).stream()
                .anyMatch(e -> e.event() == TraceEvent.Event.DELIVERED && "VN-TIP".equals(e.agency())
                        && "SMTP".equals(e.channel())));
    }

    @Test
    void aMailThatFailsBeforeItsCommitIsReadAgainAndDeliveredOnce() throws Exception {
        String ref = uniqueRef("MID");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        FAIL_BEFORE_COMMIT_ONCE.add(msgId);
        send(ref);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        MimeMessage reply = awaitRelay("In-Reply-To", msgId).get(0);
        assertThat(SEEN.get(msgId).get()).isEqualTo(2); // the first attempt rolled back, the mail stayed unseen
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("ACCEPTED");
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1);
        assertThat(awaitRelay("X-BLO-Alert-Id", alertId)).hasSize(1);
        assertThat(relayed("In-Reply-To", msgId)).hasSize(1);
    }

    @Test
    void aMailThatFailsAfterItsCommitIsReadAgainAndReachesNoOneTwice() throws Exception {
        String ref = uniqueRef("CRASH");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        FAIL_AFTER_COMMIT_ONCE.add(msgId);
        send(ref);
        String alertId = Normalizer.alertId("VN-LAOCAI", ref);
        // read twice: the second time its alert is a REDELIVERY, whose sends the broker drops as duplicates
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> SEEN.getOrDefault(msgId, new AtomicInteger()).get() == 2);
        assertThat(FAIL_AFTER_COMMIT_ONCE).doesNotContain(msgId);
        assertThat(agencyMessages("VN-FOCAL", alertId)).hasSize(1);
        assertThat(awaitRelay("X-BLO-Alert-Id", alertId)).hasSize(1);
        assertThat(awaitRelay("In-Reply-To", msgId)).hasSize(1);
        // once taken in, the mail is marked seen and its key recorded: it is not read a third time
        String later = send(uniqueRef("LATER"));
        awaitRelay("In-Reply-To", later);
        assertThat(SEEN.get(msgId).get()).isEqualTo(2);
        assertThat(relayed("X-BLO-Alert-Id", alertId)).hasSize(1);
        assertThat(relayed("In-Reply-To", msgId)).hasSize(1);
    }

    @Test
    void aMailThatAlwaysFailsIsRefusedAfterItsAttemptsKeptAndAnswered() throws Exception {
        String ref = uniqueRef("POISON");
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        FAIL_ALWAYS.add(msgId);
        send(ref);
        MimeMessage reply = awaitRelay("In-Reply-To", msgId).get(0);
        assertThat(header(reply, "X-BLO-Receipt")).isEqualTo("REJECTED");
        assertThat(text(reply)).contains("failed 3 times", "injected failure before the commit");
        assertThat(count("hub.quarantine", "bloOriginalId = '" + msgId + "' AND bloReason LIKE '%failed 3 times%'"))
                .isEqualTo(1);
        assertThat(count("agency.VN-FOCAL", "bloAlertId = '" + Normalizer.alertId("VN-LAOCAI", ref) + "'")).isZero();
        JsonNode receipts = AlertJson.mapper().readTree(TestMail.content(TestMail.attachment(reply, "receipts.json").orElseThrow()));
        assertThat(receipts.get(0).get("status").asText()).isEqualTo("REJECTED");
        FAIL_ALWAYS.remove(msgId);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Mails a trafficking alert as VN-LAOCAI to the hub; returns its Message-ID. */
    String send(String ref) throws IOException {
        String msgId = "<" + ref + "@offices.blo-hub.local>";
        String form = """
                sourceRef: %s
                sentAt: 2026-11-23T09:15:00
                status: Actual
                msgType: Alert
                category: TRAFFICKING_IN_PERSONS
                urgency: Immediate
                severity: Severe
                certainty: Observed
                language: vi
                areas: Cửa khẩu quốc tế Lào Cai
                tlp: TLP:AMBER
                """.formatted(ref);
        List<String> h = new java.util.ArrayList<>(headers(LAOCAI, "Alert " + ref, msgId));
        h.add("Content-Type: text/plain; charset=UTF-8");
        mail.send(LAOCAI, "alerts@blo-hub.local", mail(h, form.getBytes(StandardCharsets.UTF_8)));
        return msgId;
    }

    static List<MimeMessage> relayed(String header, String value) {
        return Arrays.stream(relay.getReceivedMessages()).filter(TestMail.withHeader(header, value)).toList();
    }

    static List<MimeMessage> awaitRelay(String header, String value) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !relayed(header, value).isEmpty());
        return relayed(header, value);
    }

    static GreenMail startRelay() {
        GreenMail g = new GreenMail(new ServerSetup(RELAY_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }
}
