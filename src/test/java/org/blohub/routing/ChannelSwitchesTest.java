package org.blohub.routing;

import org.blohub.office.ConfigException;
import org.blohub.office.OfficeRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An agency whose delivery channel is switched off is a config error naming it and the setting (config/). */
class ChannelSwitchesTest {

    private static final AgencyRegistry AGENCIES = Router.load(Path.of("config"),
            OfficeRegistry.load(Path.of("config"))).agencies();

    @Test
    void everyChannelIsOnByDefaultAndTheStandardConfigPasses() {
        ChannelSwitches on = ChannelSwitches.from(new MockEnvironment());
        assertThat(on).isEqualTo(new ChannelSwitches(true, true));
        assertThatCode(() -> on.check(AGENCIES)).doesNotThrowAnyException();
    }

    @Test
    void sftpOffNamesEverySftpAgencyAndTheSettingButNoOther() {
        ChannelSwitches off = ChannelSwitches.from(new MockEnvironment().withProperty("blo.sftp.enabled", "false"));
        assertThatThrownBy(() -> off.check(AGENCIES)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("agencies.yaml: agencies VN-ENV, LA-ENV")
                .hasMessageContaining("delivery.channel: sftp").hasMessageContaining("blo.sftp.enabled=true")
                .hasMessageNotContaining("VN-TIP").hasMessageNotContaining("VN-FOCAL").hasMessageNotContaining("mail");
    }

    @Test
    void bothOffNameBothChannelsInOneMessage() {
        ChannelSwitches off = new ChannelSwitches(false, false);
        assertThatThrownBy(() -> off.check(AGENCIES)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("VN-TIP").hasMessageContaining("CN-CYBER247").hasMessageContaining("delivery.channel: smtp")
                .hasMessageContaining("blo.mail.enabled=false").hasMessageContaining("CN-ENV")
                .hasMessageContaining("blo.sftp.enabled=false");
    }
}
