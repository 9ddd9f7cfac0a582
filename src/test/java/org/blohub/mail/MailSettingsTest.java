package org.blohub.mail;

import org.blohub.broker.Credentials;
import org.blohub.office.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theEmbeddedServerIsTheDefaultButNotInProduction() {
        assertThat(MailSettings.embedded(new MockEnvironment())).isTrue();
        MockEnvironment production = new MockEnvironment();
        production.setActiveProfiles("production");
        assertThat(MailSettings.embedded(production)).isFalse();
        assertThat(MailSettings.embedded(production.withProperty("blo.mail.embedded", "true"))).isTrue();
    }

    @Test
    void withoutTheEmbeddedServerTheServersMustBeNamed() {
        Credentials c = Credentials.standalone(dir, List.of("hub"));
        assertThatThrownBy(() -> MailSettings.from(new MockEnvironment(), c, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blo.mail.imap.host");
        assertThat(MailSettings.from(new MockEnvironment().withProperty("blo.mail.enabled", "false"), c, null).enabled())
                .isFalse();
    }

    @Test
    void endpointsCarryNoPasswordAndPeekAtTheMailbox() {
        Credentials c = Credentials.standalone(dir, List.of("hub"));
        MailSettings s = MailSettings.from(new MockEnvironment()
                .withProperty("blo.mail.imap.protocol", "imaps").withProperty("blo.mail.imap.host", "imap.example.gov")
                .withProperty("blo.mail.imap.port", "993").withProperty("blo.mail.imap.user", "blo-alerts")
                .withProperty("blo.mail.imap.password", "s3cret!&x")
                .withProperty("blo.mail.smtp.host", "smtp.example.gov").withProperty("blo.mail.smtp.port", "587")
                .withProperty("blo.mail.smtp.user", "blo-alerts").withProperty("blo.mail.smtp.password", "s3cret!&x")
                .withProperty("blo.mail.smtp.starttls", "true"), c, null);
        assertThat(s.imapUri()).startsWith("imaps://imap.example.gov:993?").contains("peek=true", "unseen=true",
                "delete=false", "authenticator=#mailInAuthenticator").doesNotContain("s3cret");
        assertThat(s.smtpUri()).startsWith("smtp://smtp.example.gov:587?").contains("authenticator=#mailOutAuthenticator")
                .doesNotContain("s3cret");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(s.imapPassword()).isEqualTo("s3cret!&x");
        // standalone: the hub's own password from the credentials
        MailSettings standalone = MailSettings.from(new MockEnvironment().withProperty("blo.mail.imap.host", "h")
                .withProperty("blo.mail.imap.port", "1").withProperty("blo.mail.smtp.host", "h")
                .withProperty("blo.mail.smtp.port", "2"), c, null);
        assertThat(standalone.imapUser()).isEqualTo("hub");
        assertThat(standalone.imapPassword()).isEqualTo(c.password("hub").orElseThrow());
        assertThat(standalone.smtpUri()).doesNotContain("authenticator");
    }

    @Test
    void unknownRenderingsAndProtocolsAreRefused() {
        Credentials c = Credentials.standalone(dir, List.of("hub"));
        MockEnvironment env = new MockEnvironment().withProperty("blo.mail.enabled", "false");
        assertThatThrownBy(() -> MailSettings.from(env.withProperty("blo.mail.attachment-renderings", "cap,pdf"), c, null))
                .hasMessageContaining("'pdf'");
        assertThatThrownBy(() -> MailSettings.from(new MockEnvironment().withProperty("blo.mail.enabled", "false")
                .withProperty("blo.mail.imap.protocol", "pop3"), c, null)).hasMessageContaining("pop3");
    }

    @Test
    void withAMailServerOfItsOwnTheHubNeedsItsAuthservIdAndReadsAuthenticationResults() {
        var none = new org.springframework.beans.factory.support.DefaultListableBeanFactory()
                .getBeanProvider(EmbeddedMailServer.class);
        MailConfiguration config = new MailConfiguration();
        assertThatThrownBy(() -> config.senderProof(new MockEnvironment(), none))
                .isInstanceOf(ConfigException.class).hasMessageContaining("blo.mail.authserv-id");
        assertThat(config.senderProof(new MockEnvironment().withProperty("blo.mail.authserv-id", "mx.example.gov"), none))
                .isInstanceOf(AuthenticationResults.class);
    }
}
