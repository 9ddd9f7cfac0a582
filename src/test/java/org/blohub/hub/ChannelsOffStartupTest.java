package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.blohub.BloHubApplication;
import org.blohub.alert.AlertJson;
import org.blohub.broker.Credentials;
import org.blohub.broker.EmbeddedBroker;
import org.blohub.mail.MailRoutes;
import org.blohub.mail.EmbeddedMailServer;
import org.blohub.monitor.ChannelState;
import org.blohub.monitor.HubMonitor;
import org.blohub.normalize.Normalizer;
import org.blohub.office.ConfigException;
import org.blohub.sftp.SftpRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SFTP and the mail channel switched off ({@code blo.sftp.enabled=false}, {@code blo.mail.enabled=false}). Each
 * case is a hub of its own (these settings change which beans exist, so no shared test context can hold them),
 * started with SpringApplicationBuilder as an operator would (settings as command-line arguments), kept small (one
 * office, one JMS agency) and closed at the end of its test.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelsOffStartupTest {

    @Test
    void withSftpOffTheHubStartsWithoutSftpAndDeliversAnAlertSentByJms(@TempDir Path dir) throws Exception {
        try (ConfigurableApplicationContext hub = start(dir, smallConfig(dir), "--blo.sftp.enabled=false")) {
            assertThat(hub.getBeansOfType(SftpRoutes.class)).isEmpty();
            assertThat(hub.containsBean("sftpTransaction")).isFalse();
            assertThat(hub.getBeansOfType(EmbeddedMailServer.class)).hasSize(1);
            assertOnlyChannelsUp(hub, "SFTP");

            String ref = "OFF-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
            EmbeddedBroker broker = hub.getBean(EmbeddedBroker.class);
            Credentials credentials = hub.getBean(Credentials.class);
            try (Connection office = connect(broker, credentials, "VN-LAOCAI");
                 Connection agency = connect(broker, credentials, "VN-FOCAL")) {
                Session s = office.createSession(false, Session.AUTO_ACKNOWLEDGE);
                TextMessage m = s.createTextMessage(HubJmsEndToEndTest.json(ref));
                s.createProducer(s.createQueue("blo.inbound.VN-LAOCAI")).send(m);

                try (MessageConsumer receipts = s.createConsumer(s.createQueue("blo.receipts.VN-LAOCAI"),
                        "JMSCorrelationID = '" + m.getJMSMessageID() + "'")) {
                    Message r = receipts.receive(60_000);
                    assertThat(r).as("receipt").isNotNull();
                    JsonNode receipt = AlertJson.mapper().readTree(((TextMessage) r).getText());
                    assertThat(receipt.get("status").asText()).isEqualTo("ACCEPTED");
                    assertThat(receipt.get("routedTo")).extracting(JsonNode::asText).containsExactly("VN-FOCAL");
                }
                assertDelivered(agency, Normalizer.alertId("VN-LAOCAI", ref));
            }
        }
    }

    @Test
    void withMailOffTheHubStartsWithoutMailAndDeliversAnAlertPostedByHttp(@TempDir Path dir) throws Exception {
        try (ConfigurableApplicationContext hub = start(dir, smallConfig(dir), "--blo.mail.enabled=false")) {
            assertThat(hub.getBeansOfType(MailRoutes.class)).isEmpty();
            assertThat(hub.getBeansOfType(EmbeddedMailServer.class)).isEmpty();
            assertThat(hub.getBeansOfType(SftpRoutes.class)).hasSize(1);
            assertOnlyChannelsUp(hub, "EMAIL");

            String ref = "OFF-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
            Credentials credentials = hub.getBean(Credentials.class);
            String port = hub.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/alerts"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            ("VN-LAOCAI:" + credentials.password("VN-LAOCAI").orElseThrow())
                                    .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(HubJmsEndToEndTest.json(ref))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);
            assertThat(posted.body()).contains("ACCEPTED").contains("VN-FOCAL");

            try (Connection agency = connect(hub.getBean(EmbeddedBroker.class), credentials, "VN-FOCAL")) {
                assertDelivered(agency, Normalizer.alertId("VN-LAOCAI", ref));
            }
        }
    }

    @Test
    void withSftpOffAnSftpAgencyStopsTheStartNamingItAndTheSetting(@TempDir Path dir, CapturedOutput output)
            throws IOException {
        assertThatThrownBy(() -> start(dir, Path.of("config"), "--blo.sftp.enabled=false").close())
                .hasRootCauseInstanceOf(ConfigException.class)
                .rootCause().hasMessageContaining("agencies.yaml").hasMessageContaining("VN-ENV")
                .hasMessageContaining("delivery.channel: sftp").hasMessageContaining("blo.sftp.enabled=true")
                .hasMessageNotContaining("VN-TIP");
        assertShortSummary(output, "VN-ENV", "blo.sftp.enabled");
    }

    @Test
    void withMailOffAMailAgencyStopsTheStartNamingItAndTheSetting(@TempDir Path dir, CapturedOutput output)
            throws IOException {
        assertThatThrownBy(() -> start(dir, Path.of("config"), "--blo.mail.enabled=false").close())
                .hasRootCauseInstanceOf(ConfigException.class)
                .rootCause().hasMessageContaining("agencies.yaml").hasMessageContaining("VN-TIP")
                .hasMessageContaining("VN-CYBER247").hasMessageContaining("delivery.channel: smtp")
                .hasMessageContaining("blo.mail.enabled=true").hasMessageNotContaining("VN-ENV");
        assertShortSummary(output, "VN-TIP", "blo.mail.enabled");
    }

    /** Spring Boot's failure summary (ConfigFailureAnalyzer) says what is wrong and what to do. */
    private static void assertShortSummary(CapturedOutput output, String agency, String setting) {
        String out = output.getAll();
        assertThat(out).contains("APPLICATION FAILED TO START");
        String summary = out.substring(out.lastIndexOf("APPLICATION FAILED TO START"));
        assertThat(summary).contains("The hub's configuration is not valid: agencies.yaml: ").contains(agency)
                .contains(setting + "=true").contains("Correct the configuration named above");
    }

    /** The monitor lists no channel DOWN (a poller not yet polled is STARTING) and none of the channel that is off. */
    private static void assertOnlyChannelsUp(ConfigurableApplicationContext hub, String off) {
        List<ChannelState> channels = hub.getBean(HubMonitor.class).channels();
        assertThat(channels).extracting(ChannelState::channel).contains("JMS", "API").doesNotContain(off);
        assertThat(channels).allSatisfy(c -> assertThat(c.status()).as(c.routeId()).isIn("UP", "STARTING"));
        assertThat(hub.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                .noneMatch(id -> id.contains(off.equals("SFTP") ? "sftp" : "mail"));
    }

    private static void assertDelivered(Connection agency, String alertId) throws Exception {
        Session s = agency.createSession(false, Session.AUTO_ACKNOWLEDGE);
        try (MessageConsumer c = s.createConsumer(s.createQueue("agency.VN-FOCAL"), "bloAlertId = '" + alertId + "'")) {
            Message m = c.receive(60_000);
            assertThat(m).as("delivered to VN-FOCAL").isNotNull();
            assertThat(AlertJson.mapper().readTree(((TextMessage) m).getText()).get("headline").asText())
                    .isEqualTo("Bắt giữ 12 kg methamphetamine tại cửa khẩu");
        }
    }

    private static Connection connect(EmbeddedBroker broker, Credentials credentials, String id) throws Exception {
        Connection c = new ActiveMQConnectionFactory(broker.tcpUrl())
                .createConnection(id, credentials.password(id).orElseThrow());
        c.start();
        return c;
    }

    /** A hub on free ports with its data under dir; settings as command-line arguments, as an operator gives them. */
    private static ConfigurableApplicationContext start(Path dir, Path config, String... settings) {
        List<String> args = new java.util.ArrayList<>(List.of("--blo.config-dir=" + config,
                "--blo.data-dir=" + dir.resolve("data"), "--server.port=0", "--blo.broker.port=0",
                "--blo.broker.in-vm-id=" + ThreadLocalRandom.current().nextInt(1000, 1_000_000),
                "--blo.sftp.port=0", "--blo.mail.smtp-port=0", "--blo.mail.imap-port=0"));
        args.addAll(List.of(settings));
        return new SpringApplicationBuilder(BloHubApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * One office (no mail senders, no SFTP home: an office needs neither) and its country's focal point, taking alerts
     * by JMS; no rule.
     */
    private static Path smallConfig(Path dir) throws IOException {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("offices.yaml"), """
                offices:
                  - id: VN-LAOCAI
                    country: VN
                    name: Lao Cai BLO
                    timeZone: Asia/Ho_Chi_Minh
                    language: vi
                    charset: UTF-8
                """);
        Files.writeString(config.resolve("agencies.yaml"), """
                agencies:
                  - id: VN-FOCAL
                    country: VN
                    name: BLO national focal point
                    focalPoint: true
                    categories: [DRUG_TRAFFICKING]
                    minSeverity: Unknown
                    maxTlp: "TLP:RED"
                    delivery: {channel: jms, rendering: json}
                """);
        Files.writeString(config.resolve("routing.yaml"), "rules: []\n");
        return config;
    }
}
