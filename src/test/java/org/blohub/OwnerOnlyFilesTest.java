package org.blohub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class OwnerOnlyFilesTest {

    @TempDir
    Path tmp;

    @Test
    void directoriesAreMadeOwnerOnlyWithTheirMissingParents() throws Exception {
        Path dir = tmp.resolve("data/artemis/journal");
        OwnerOnlyFiles.createDirectories(dir);
        assertThat(OwnerOnlyFiles.mode(tmp.resolve("data"))).isEqualTo("rwx------");
        assertThat(OwnerOnlyFiles.mode(tmp.resolve("data/artemis"))).isEqualTo("rwx------");
        assertThat(OwnerOnlyFiles.mode(dir)).isEqualTo("rwx------");
        assertThat(OwnerOnlyFiles.createDirectories(dir)).isEqualTo(dir); // already there: left as it is
    }

    @Test
    void whatGroupOrOthersHaveAnyPermissionOnIsFound() throws Exception {
        Path data = OwnerOnlyFiles.createDirectories(tmp.resolve("data"));
        Path db = Files.createFile(data.resolve("hub.mv.db"));
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
        assertThat(OwnerOnlyFiles.openToOthers(data)).isEmpty();

        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
        Path sftp = OwnerOnlyFiles.createDirectories(data.resolve("sftp"));
        Files.setPosixFilePermissions(sftp, PosixFilePermissions.fromString("rwx-----x"));
        assertThat(OwnerOnlyFiles.openToOthers(data)).containsExactlyInAnyOrder(db, sftp);
        assertThat(OwnerOnlyFiles.openToOthers(tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void theUmaskLeavesNewFilesOnlyTheOwnersBits() throws Exception {
        assertThat(OwnerOnlyFiles.restrictUmask()).isNull(); // Linux: libc's umask
        Path file = Files.createFile(tmp.resolve("created-by-anyone"));
        Path dir = Files.createDirectory(tmp.resolve("made-by-anyone"));
        assertThat(OwnerOnlyFiles.mode(file)).isEqualTo("rw-------");
        assertThat(OwnerOnlyFiles.mode(dir)).isEqualTo("rwx------");
    }
}
