package org.blohub;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared folder beside the clone (../shared: field corpus and OASIS schemas). It is
 * not copied into the repo; a test that needs it says so plainly when it is absent.
 */
public final class SharedDir {

    private SharedDir() {
    }

    public static Path require(String sub) {
        Path dir = Path.of(System.getProperty("blo.shared.dir", "../shared")).resolve(sub);
        Assumptions.assumeTrue(Files.exists(dir), "needs ../shared/" + sub + " beside the clone (absent: " + dir.toAbsolutePath() + ")");
        return dir;
    }
}
