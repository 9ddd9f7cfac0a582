package org.blohub.cli;

import org.blohub.SharedDir;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar's {@code convert} on hostile XML, with the heap the issue names (-Xmx128m): each
 * file is refused (exit 1) with its reason, and no entity is ever expanded (an OutOfMemoryError or
 * a hang would fail the run). Timings are reported by the benchmark, not asserted here.
 */
class ConvertJarIT {

    record Run(int exit, String out, String err) {
    }

    static Run convert(Path file) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("blo.jar", "target/blo-hub.jar"));
        Path err = Files.createTempFile("convert", ".err");
        Path out = Files.createTempFile("convert", ".out");
        Process p = new ProcessBuilder("java", "-Xmx128m", "-jar", jar.toString(), "convert", file.toString(),
                "--office", "VN-LAOCAI").redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("convert ends").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @TestFactory
    Stream<DynamicTest> hostileXmlIsRefusedWithItsReason() throws IOException {
        Path attacks = SharedDir.require("corpus/xml-attacks");
        List<Path> files;
        try (Stream<Path> s = Files.list(attacks)) {
            files = s.sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Run r = convert(f);
            assertThat(r.exit()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith(f.toString() + ":").contains("error: ").containsIgnoringCase("DOCTYPE")
                    .doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        }));
    }
}
