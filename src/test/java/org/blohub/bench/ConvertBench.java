package org.blohub.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code convert} on a 1,000,000-row CSV with a 256 MB heap: rows/s and peak RSS, measured on the
 * packaged jar as a user runs it. It must stream: the heap bound would not hold a million alerts.
 */
class ConvertBench {

    static final int ROWS = Integer.getInteger("bench.csv.rows", 1_000_000);

    @Test
    void millionRowCsv() throws Exception {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Path csv = dir.resolve("million.csv");
        writeCsv(csv, ROWS);
        Path jar = Path.of(System.getProperty("blo.jar", "target/blo-hub.jar"));
        Path out = dir.resolve("million.jsonl");
        Path err = dir.resolve("million.err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString(), "convert", csv.toString(),
                "--office", "VN-LAOCAI").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long peakKb = 0;
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            peakKb = Math.max(peakKb, vmHwmKb(p.pid()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        long lines;
        try (var s = Files.lines(out)) {
            lines = s.count();
        }
        assertThat(lines).isEqualTo(ROWS);
        System.out.printf("%nconvert bench: %,d CSV rows -> JSON Lines, -Xmx256m%n", ROWS);
        System.out.printf("  wall time   %8.1f s (JVM start included)%n", seconds);
        System.out.printf("  throughput  %,8.0f rows/s%n", ROWS / seconds);
        System.out.printf("  peak RSS    %,8d MB%n", peakKb / 1024);
        System.out.printf("bench: convert_rows=%d rows_per_s=%.0f peak_rss_mb=%d%n%n", ROWS, ROWS / seconds, peakKb / 1024);
    }

    private static long vmHwmKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended between polls
        }
        return 0;
    }

    static void writeCsv(Path csv, int rows) throws IOException {
        List<String> places = List.of("Cửa khẩu Lào Cai", "河口口岸", "ด่านแม่สาย", "ດ່ານນ້ຳພາວ", "ច្រកបាវិត", "တာချီလိတ်");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("sourceRef,sentAt,status,msgType,category,urgency,severity,certainty,language,headline,areas,subjects,tlp\n");
            for (int i = 0; i < rows; i++) {
                w.write("LC-" + i + ",2026-11-23T09:15:00+07:00,Actual,Alert,DRUG_TRAFFICKING;PRECURSOR_CHEMICALS,Immediate,Severe,"
                        + "Observed,vi,\"Bắt giữ " + (i % 97) + " kg methamphetamine, xe tải\"," + places.get(i % places.size())
                        + ",VEHICLE:24C-" + (10000 + i % 90000) + ";PERSON:Nguyễn Văn A,TLP:AMBER\n");
            }
        }
    }
}
