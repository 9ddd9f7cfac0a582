package org.blohub;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared folder beside the clone (../shared: field corpus and OASIS schemas). It is not copied into
 * the repo. Where it is absent a test that needs it says so plainly and is skipped on a developer's machine; with
 * {@code CI=true} (as CI runs) it fails instead, so that a corpus test never passes unseen.
 */
public final class SharedDir {

    private SharedDir() {
    }

    public static Path require(String sub) {
        Path dir = Path.of(System.getProperty("blo.shared.dir", "../shared")).resolve(sub);
        String missing = "needs ../shared/" + sub + " beside the clone (absent: " + dir.toAbsolutePath() + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.assertTrue(Files.exists(dir), missing);
        } else {
            Assumptions.assumeTrue(Files.exists(dir), missing);
        }
        return dir;
    }
}
