package org.blohub.broker;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.office.Office;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jms.JmsAutoConfiguration;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class BrokerConfigurationTest {

    @TempDir
    Path dataDir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ArtemisAutoConfiguration.class, JmsAutoConfiguration.class))
                .withUserConfiguration(Registries.class, BrokerConfiguration.class)
                .withPropertyValues("blo.data-dir=" + dataDir, "blo.broker.port=0", "blo.broker.in-vm-id=31");
    }

    @Test
    void embeddedByDefaultAndSpringBootsOwnArtemisBacksOff(CapturedOutput output) {
        runner().withPropertyValues("spring.artemis.embedded.enabled=true", "blo.broker.redelivery-delay=250ms",
                        "blo.broker.max-delivery-attempts=4", "blo.broker.journal-buffer-timeout=500us")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(EmbeddedActiveMQ.class);
                    assertThat(ctx).hasSingleBean(ConnectionFactory.class).hasSingleBean(EmbeddedBroker.class);
                    ActiveMQConnectionFactory cf = (ActiveMQConnectionFactory) ctx.getBean(ConnectionFactory.class);
                    assertThat(cf.toURI().toString()).startsWith("vm://31");
                    assertThat(cf.getUser()).isEqualTo("hub");
                    assertThat(cf.getDeserializationDenyList()).isEqualTo("*");

                    EmbeddedBroker broker = ctx.getBean(EmbeddedBroker.class);
                    assertThat(broker.isStarted()).isTrue();
                    assertThat(broker.settings().redeliveryDelay()).isEqualTo(Duration.ofMillis(250));
                    assertThat(broker.settings().maxDeliveryAttempts()).isEqualTo(4);
                    assertThat(broker.settings().journalBufferTimeoutNanos()).isEqualTo(500_000);
                    assertThat(broker.settings().host()).isEqualTo("127.0.0.1");
                    assertThat(broker.topology().queues()).contains("blo.inbound.VN-LAOCAI", "agency.VN-DRUG");

                    Credentials credentials = ctx.getBean(Credentials.class);
                    assertThat(credentials.file()).isEqualTo(dataDir.resolve(Credentials.STANDALONE_FILE));
                    assertThat(credentials.ids()).contains("VN-LAOCAI", "CN-HEKOU", "VN-DRUG", "hub", "operator", "viewer");

                    JmsTemplate jms = ctx.getBean(JmsTemplate.class);
                    jms.setReceiveTimeout(5_000);
                    jms.convertAndSend("agency.VN-DRUG", "through the hub's connection factory");
                    assertThat(jms.receiveAndConvert("agency.VN-DRUG")).isEqualTo("through the hub's connection factory");

                    // a refused login, then: no password anywhere in the log
                    var tcp = new ActiveMQConnectionFactory(broker.tcpUrl());
                    String laocai = credentials.password("VN-LAOCAI").orElseThrow();
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> tcp.createConnection("VN-LAOCAI", "x" + laocai))
                            .isInstanceOf(jakarta.jms.JMSSecurityException.class);
                    tcp.close();
                    assertThat(output.getAll()).contains("AMQ222216"); // the broker's own log (its refusal of the bad login) is captured
                    for (String id : credentials.ids()) {
                        assertThat(output.getAll()).doesNotContain(credentials.password(id).orElseThrow());
                    }
                });
    }

    @Test
    void productionRefusesToGeneratePasswords() {
        runner().withInitializer(c -> c.getEnvironment().setActiveProfiles(BrokerConfiguration.PRODUCTION_PROFILE))
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining(Credentials.FILE_PROPERTY);
                    assertThat(dataDir.resolve(Credentials.STANDALONE_FILE)).doesNotExist();
                });
    }

    @Test
    void externalBrokerByUrlWithPasswordsFromTheCredentialsFile() throws Exception {
        Path file = dataDir.resolve("prod-credentials.properties");
        Files.writeString(file, String.join("\n", "VN-LAOCAI=a", "CN-HEKOU=b", "VN-DRUG=c", "CN-DRUG=c2", "operator=d", "viewer=e",
                "hub=the-hub-password", ""), StandardCharsets.UTF_8);
        runner().withPropertyValues("blo.broker.embedded=false", "blo.broker.url=tcp://broker.example:61616",
                        Credentials.FILE_PROPERTY + "=" + file)
                .withInitializer(c -> c.getEnvironment().setActiveProfiles(BrokerConfiguration.PRODUCTION_PROFILE))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx).doesNotHaveBean(EmbeddedBroker.class).doesNotHaveBean(EmbeddedActiveMQ.class);
                    ActiveMQConnectionFactory cf = (ActiveMQConnectionFactory) ctx.getBean(ConnectionFactory.class);
                    assertThat(cf.toURI().toString()).contains("broker.example:61616");
                    assertThat(cf.getUser()).isEqualTo("hub");
                    assertThat(cf.getPassword()).isEqualTo("the-hub-password");
                    assertThat(cf.getDeserializationDenyList()).isEqualTo("*");
                    assertThat(dataDir.resolve(Credentials.STANDALONE_FILE)).doesNotExist();
                });
    }

    @Test
    void principalsMustNameTheRegistrysOffices() {
        runner().withBean("driftedPrincipals", Principals.class, () -> new Principals() {
                    public List<String> officeIds() {
                        return List.of("VN-LAOCAI");
                    }

                    public List<String> agencyIds() {
                        return List.of("VN-DRUG");
                    }
                }, b -> b.setPrimary(true))
                .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("CN-HEKOU"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registries {

        @Bean
        OfficeRegistry officeRegistry() {
            return new OfficeRegistry(List.of(office("VN-LAOCAI", "VN", "CN-HEKOU"), office("CN-HEKOU", "CN", "VN-LAOCAI")));
        }

        @Bean
        Principals principals() {
            return new Principals() {
                public List<String> officeIds() {
                    return List.of("VN-LAOCAI", "CN-HEKOU");
                }

                public List<String> agencyIds() {
                    return List.of("VN-DRUG", "CN-DRUG");
                }
            };
        }

        private static Office office(String id, String country, String counterpart) {
            return new Office(id, country, id, ZoneId.of("Asia/Bangkok"), "en", StandardCharsets.UTF_8, counterpart,
                    List.of(), id.toLowerCase());
        }
    }
}
