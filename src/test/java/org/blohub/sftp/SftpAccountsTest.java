package org.blohub.sftp;

import org.blohub.office.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SftpAccountsTest {

    private static final SftpAccount LAOCAI = new SftpAccount("VN-LAOCAI", "vn-laocai", SftpAccount.Kind.OFFICE);
    private static final SftpAccount ENV = new SftpAccount("VN-ENV", "vn-env", SftpAccount.Kind.AGENCY);
    private static final SftpAccount HUB = new SftpAccount("hub", "", SftpAccount.Kind.HUB);

    @Test
    void anAccountLogsInByItsIdOrItsHomeInAnyCase() {
        SftpAccounts a = new SftpAccounts(List.of(LAOCAI, ENV, HUB));
        assertThat(a.byLogin("vn-laocai")).contains(LAOCAI);
        assertThat(a.byLogin("VN-LAOCAI")).contains(LAOCAI);
        assertThat(a.byLogin("Vn-Env")).contains(ENV);
        assertThat(a.byLogin("hub")).contains(HUB);
        assertThat(a.byLogin("operator")).isEmpty();
        assertThat(a.byLogin(null)).isEmpty();
        assertThat(a.offices()).containsExactly(LAOCAI);
    }

    @Test
    void homesMustBePlainVisibleDistinctDirectoryNames() {
        for (String bad : List.of("../cn-hekou", "a/b", ".hub", "", "UPPER")) {
            assertThatThrownBy(() -> new SftpAccounts(List.of(new SftpAccount("VN-X", bad, SftpAccount.Kind.OFFICE))))
                    .as(bad).isInstanceOf(ConfigException.class);
        }
        assertThatThrownBy(() -> new SftpAccounts(List.of(LAOCAI,
                new SftpAccount("VN-OTHER", "vn-laocai", SftpAccount.Kind.OFFICE))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("used by both");
        // an agency whose id is another account's home would be ambiguous as a login
        assertThatThrownBy(() -> new SftpAccounts(List.of(LAOCAI,
                new SftpAccount("vn-laocai-x", "x", SftpAccount.Kind.AGENCY), new SftpAccount("X", "vn-laocai-x",
                        SftpAccount.Kind.OFFICE)))).isInstanceOf(ConfigException.class);
    }

    @Test
    void theInboxFilterFindsTheHomeOfAListedFile() {
        assertThat(SftpInboxFilter.home("vn-laocai/inbox/x.csv")).isEqualTo("vn-laocai");
        assertThat(SftpInboxFilter.home("/srv/drop/vn-laocai/inbox/x.csv")).isEqualTo("vn-laocai");
    }

    @Test
    void fileKeysLongerThanTheRepositoryColumnAreHashed() {
        String shortKey = SftpFiles.rawKey("vn-laocai", "a.csv", 10, 1_795_431_447_000L);
        assertThat(shortKey).isEqualTo("vn-laocai/a.csv/10/20261123105727");
        assertThat(SftpFiles.stored(shortKey)).isEqualTo(shortKey);
        String longKey = SftpFiles.rawKey("vn-laocai", "x".repeat(120) + ".csv", 10, 0);
        assertThat(SftpFiles.stored(longKey)).startsWith("sha256:").hasSize(71);
        assertThat(SftpFiles.stored(SftpFiles.stored(longKey))).isEqualTo(SftpFiles.stored(longKey));
    }
}
