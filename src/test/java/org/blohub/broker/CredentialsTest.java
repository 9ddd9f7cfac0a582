package org.blohub.broker;

import org.blohub.office.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CredentialsTest {

    private static final List<String> IDS =
            Credentials.principalIds(List.of("VN-LAOCAI", "CN-HEKOU"), List.of("VN-DRUG", "VN-TIP"));

    @TempDir
    Path dir;

    @Test
    void standaloneFileIsCreatedOwnerOnlyWithAPasswordForEveryId() throws IOException {
        Credentials c = Credentials.standalone(dir, IDS);

        Path file = dir.resolve(Credentials.STANDALONE_FILE);
        assertThat(c.file()).isEqualTo(file);
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs a POSIX file system");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        Properties p = load(file);
        assertThat(p.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(IDS)
                .contains("VN-LAOCAI", "CN-HEKOU", "VN-DRUG", "VN-TIP", "operator", "viewer", "hub");
        Set<String> distinct = new HashSet<>();
        for (String id : IDS) {
            String pw = p.getProperty(id);
            // 24 random bytes = 192 bits, URL-safe Base64 without padding
            assertThat(pw).matches("[A-Za-z0-9_-]{32}");
            assertThat(distinct.add(pw)).as("passwords are distinct").isTrue();
            assertThat(c.check(id, pw)).isTrue();
            assertThat(c.password(id)).contains(pw);
        }
    }

    @Test
    void passwordsAreStableAcrossRestartsAndNewIdsAreAppended() throws IOException {
        Credentials first = Credentials.standalone(dir, IDS);
        Path file = dir.resolve(Credentials.STANDALONE_FILE);
        String before = Files.readString(file);

        Credentials second = Credentials.standalone(dir, IDS);
        assertThat(Files.readString(file)).isEqualTo(before);
        for (String id : IDS) {
            assertThat(second.password(id)).isEqualTo(first.password(id));
        }

        List<String> more = Credentials.principalIds(List.of("VN-LAOCAI", "CN-HEKOU", "LA-BOTEN"), List.of("VN-DRUG", "VN-TIP"));
        Credentials third = Credentials.standalone(dir, more);
        assertThat(Files.readString(file)).startsWith(before);
        assertThat(third.password("LA-BOTEN")).isPresent();
        for (String id : IDS) {
            assertThat(third.password(id)).isEqualTo(first.password(id));
        }
        assertThat(load(file).stringPropertyNames()).containsExactlyInAnyOrderElementsOf(more);
    }

    @Test
    void looserPermissionsAreTightenedOnLoad() throws IOException {
        Credentials.standalone(dir, IDS);
        Path file = dir.resolve(Credentials.STANDALONE_FILE);
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "needs a POSIX file system");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Credentials.standalone(dir, IDS);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void checkRefusesWrongUnknownAndMissingPasswords() {
        Credentials c = Credentials.standalone(dir, IDS);
        String pw = c.password("VN-LAOCAI").orElseThrow();

        assertThat(c.check("VN-LAOCAI", pw)).isTrue();
        assertThat(c.check("VN-LAOCAI", pw + "x")).isFalse();
        assertThat(c.check("VN-LAOCAI", pw.substring(1))).isFalse();
        assertThat(c.check("VN-LAOCAI", "")).isFalse();
        assertThat(c.check("VN-LAOCAI", null)).isFalse();
        assertThat(c.check("CN-HEKOU", pw)).as("another id's password").isFalse();
        assertThat(c.check("XX-NOBODY", pw)).isFalse();
        assertThat(c.check(null, pw)).isFalse();
    }

    @Test
    void toStringNamesNoPassword() {
        Credentials c = Credentials.standalone(dir, IDS);
        for (String id : IDS) {
            assertThat(c.toString()).doesNotContain(c.password(id).orElseThrow());
        }
    }

    @Test
    void productionFileIsReadAndNothingIsGenerated() throws IOException {
        Path file = dir.resolve("prod.properties");
        Files.writeString(file, "VN-LAOCAI=s3cret with spaces and ü\nhub=h\n", StandardCharsets.UTF_8);

        Credentials c = Credentials.fromFile(file, List.of("VN-LAOCAI", "hub"));
        assertThat(c.check("VN-LAOCAI", "s3cret with spaces and ü")).isTrue();
        assertThat(c.check("hub", "h")).isTrue();

        assertThatThrownBy(() -> Credentials.fromFile(file, List.of("VN-LAOCAI", "hub", "CN-HEKOU", "viewer")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CN-HEKOU").hasMessageContaining("viewer")
                .hasMessageNotContaining("s3cret");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("VN-LAOCAI=s3cret with spaces and ü\nhub=h\n");
        assertThat(dir.resolve(Credentials.STANDALONE_FILE)).doesNotExist();
    }

    @Test
    void aLineMayHoldABcryptHashThatIsCheckedButNeverGivenOut() throws IOException {
        String hash = new BCryptPasswordEncoder(10).encode("operator's secret");
        String htpasswd = "$2y$" + hash.substring(4); // htpasswd -nbB writes the $2y$ variant of the same hash
        Path file = dir.resolve("prod.properties");
        Files.writeString(file, "operator={bcrypt}" + hash + "\nviewer={bcrypt}" + htpasswd + "\nhub=h\n", StandardCharsets.UTF_8);

        Credentials c = Credentials.fromFile(file, List.of("operator", "viewer", "hub"));
        assertThat(c.check("operator", "operator's secret")).isTrue();
        assertThat(c.check("operator", "operator's secret ")).isFalse();
        assertThat(c.check("operator", null)).isFalse();
        assertThat(c.check("viewer", "operator's secret")).isTrue();
        assertThat(c.check("hub", "h")).isTrue();
        assertThat(c.knows("operator")).isTrue();
        assertThat(c.ids()).containsExactlyInAnyOrder("operator", "viewer", "hub");
        assertThat(c.password("operator")).as("only the hash is kept").isEmpty();
        assertThat(c.toString()).doesNotContain(hash);
    }

    @Test
    void productionFileMustExist() {
        assertThatThrownBy(() -> Credentials.fromFile(dir.resolve("absent.properties"), List.of("hub")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("absent.properties");
    }

    @Test
    void idsMustBeSafeAndDistinct() {
        assertThatThrownBy(() -> Credentials.principalIds(List.of("VN.LAOCAI"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("VN.LAOCAI");
        assertThatThrownBy(() -> Credentials.principalIds(List.of("VN-#"), List.of())).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Credentials.principalIds(List.of("A=B"), List.of())).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Credentials.principalIds(List.of("VN-X"), List.of("VN-X")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> Credentials.principalIds(List.of("hub"), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
