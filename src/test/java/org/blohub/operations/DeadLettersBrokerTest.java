package org.blohub.operations;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.blohub.broker.BrokerSettings;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.broker.EmbeddedBroker;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link DeadLetters} against the broker alone (no hub): the dead-letter queues found with and without the broker's
 * management, and the replay's single transaction - when its send is refused, its consume is undone too.
 */
class DeadLettersBrokerTest {

    static final String AGENCY_QUEUE = "agency.VN-DRUG";

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static ConnectionFactory hub;
    static Connection connection;
    static OperatorAudit audit;
    static DeadLetters deadLetters;

    @BeforeAll
    static void start() throws Exception {
        BrokerTopology topology = new BrokerTopology(List.of("VN-LAOCAI"), List.of("VN-DRUG", "VN-FOCAL"));
        Credentials credentials = Credentials.standalone(dataDir, topology.principalIds());
        broker = new EmbeddedBroker(BrokerSettings.defaults(dataDir).withPort(0).withInVmId(4242)
                .withRedelivery(Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 3), credentials, topology).start();
        hub = broker.hubConnectionFactory();
        connection = hub.createConnection();
        connection.start();
        DriverManagerDataSource db = new DriverManagerDataSource(
                "jdbc:h2:mem:ops-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        audit = new OperatorAudit(new JdbcTemplate(db), Clock.systemUTC());
        deadLetters = new DeadLetters(hub, audit, () -> OperationsConfiguration.knownQueues(new org.blohub.broker.Principals() {
            @Override
            public List<String> officeIds() {
                return topology.officeIds();
            }

            @Override
            public List<String> agencyIds() {
                return topology.agencyIds();
            }
        }), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void withNoDeadLetterYetTheListIsEmptyNotAnError() {
        // the dead-letter address does not exist before the first dead letter: the broker's management cannot list
        // it, and the hub's own queues are looked at instead
        if (broker.server().locateQueue("DLQ." + AGENCY_QUEUE) == null) {
            assertThat(deadLetters.list(DeadLetters.Filter.ALL, 0, 10).total()).isZero();
        }
        assertThat(deadLetters.list(new DeadLetters.Filter("agency.VN-FOCAL", null, null), 0, 10).items()).isEmpty();
    }

    @Test
    void aReplayWhoseSendTheBrokerRefusesIsRolledBackWholeAndTheDeadLetterIsKept() throws Exception {
        String alertId = UUID.randomUUID().toString();
        String id = deadLetter(alertId);
        DeadLetters.Detail detail = deadLetters.inspect(id, "operator");
        assertThat(detail.deadLetter().duplicateId()).isEqualTo(alertId + ":VN-DRUG");
        assertThat(detail.message().properties()).containsEntry("_AMQ_ORIG_QUEUE", AGENCY_QUEUE);

        // the broker has already seen the id the replay would use: its send is refused at commit ...
        send(alertId, alertId + ":VN-DRUG:replay:1");
        assertThat(take(alertId)).hasSize(1);
        assertThatThrownBy(() -> deadLetters.replay(id, "operator"))
                .isInstanceOf(OperationException.Refused.class).hasMessageContaining("same duplicate id");
        // ... and the consume of the dead letter with it: nothing lost, nothing sent
        assertThat(deadLetters.list(DeadLetters.Filter.ALL, 0, 500).items()).anyMatch(d -> d.id().equals(id));
        assertThat(take(alertId)).isEmpty();
        assertThat(audit.page(0, 1, "operator", OperatorAudit.Action.REPLAY_DEAD_LETTER, null).items().get(0))
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(OperatorAudit.Outcome.REFUSED);
                    assertThat(e.alertId()).isEqualTo(alertId);
                    assertThat(e.queue()).isEqualTo(AGENCY_QUEUE);
                });

        deadLetters.discard(id, "operator");
        assertThat(deadLetters.list(DeadLetters.Filter.ALL, 0, 500).items()).noneMatch(d -> d.id().equals(id));
    }

    @Test
    void aReplayGoesBackUnderAFreshIdThatTheBrokerTakes() throws Exception {
        String alertId = UUID.randomUUID().toString();
        String id = deadLetter(alertId);
        DeadLetters.Replayed r = deadLetters.replay(id, "operator");
        assertThat(r.duplicateId()).isEqualTo(alertId + ":VN-DRUG:replay:1");
        List<Message> got = take(alertId);
        assertThat(got).hasSize(1);
        assertThat(((TextMessage) got.get(0)).getText()).isEqualTo("alert " + alertId);
        assertThat(got.get(0).getStringProperty("_AMQ_DUPL_ID")).isEqualTo(alertId + ":VN-DRUG:replay:1");
    }

    /** A delivery (duplicate id alertId:VN-DRUG) rolled back until the broker dead-letters it; its dead-letter id. */
    static String deadLetter(String alertId) throws Exception {
        send(alertId, alertId + ":VN-DRUG");
        Session t = connection.createSession(true, Session.SESSION_TRANSACTED);
        try (MessageConsumer c = t.createConsumer(t.createQueue(AGENCY_QUEUE), "bloAlertId = '" + alertId + "'")) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.receive(5_000)).isNotNull();
                t.rollback();
            }
        } finally {
            t.close();
        }
        return await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list(DeadLetters.Filter.ALL, 0, 500).items()
                .stream().filter(d -> alertId.equals(d.alertId())).findFirst(), Optional::isPresent).orElseThrow().id();
    }

    static void send(String alertId, String duplicateId) throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            TextMessage m = s.createTextMessage("alert " + alertId);
            m.setStringProperty("_AMQ_DUPL_ID", duplicateId);
            m.setStringProperty("bloAlertId", alertId);
            m.setStringProperty("bloAgency", "VN-DRUG");
            s.createProducer(s.createQueue(AGENCY_QUEUE)).send(m);
        }
    }

    static List<Message> take(String alertId) throws Exception {
        try (Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageConsumer c = s.createConsumer(s.createQueue(AGENCY_QUEUE), "bloAlertId = '" + alertId + "'")) {
            List<Message> out = new java.util.ArrayList<>();
            for (Message m = c.receive(1_000); m != null; m = c.receive(200)) {
                out.add(m);
            }
            return out;
        }
    }
}
