package org.blohub.office;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfficeRegistryTest {

    @Test
    void theShippedDemoNetworkLoads() {
        OfficeRegistry offices = OfficeRegistry.load(Path.of("config"));
        assertThat(offices.all()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(offices.all()).extracting(Office::id).contains("VN-LAOCAI", "CN-HEKOU", "LA-NAMPHAO", "TH-MAESAI",
                "MM-TACHILEIK", "KH-BAVET");
        Office tachileik = offices.find("MM-TACHILEIK").orElseThrow();
        assertThat(tachileik.timeZone().getRules().getOffset(LocalDateTime.of(2026, 11, 23, 9, 0)))
                .isEqualTo(ZoneOffset.ofHoursMinutes(6, 30));
        assertThat(offices.find("TH-MAESAI").orElseThrow().charset().name()).isEqualTo("x-windows-874");
        assertThat(offices.findByEmailSender("VN-LaoCai@offices.blo-hub.local")).map(Office::id).contains("VN-LAOCAI");
        offices.all().forEach(o -> assertThat(offices.find(o.counterpart())).isPresent());
    }

    @Test
    void mistakesNameFileEntryAndProblem(@TempDir Path dir) throws IOException {
        assertProblem(dir, "offices:\n  - {id: VN-A, country: VN, name: A, timeZone: Asia/Hanoi, language: vi, colour: red}\n",
                "offices[0] (VN-A): unknown key 'colour'");
        assertProblem(dir, "offices:\n  - {id: VN-A, country: VN, name: A, timeZone: Asia/Hanoii, language: vi}\n",
                "offices[0] (VN-A): timeZone: unknown time zone 'Asia/Hanoii'");
        assertProblem(dir, "offices:\n  - {id: VN-A, country: VN, name: A, timeZone: Asia/Bangkok, language: vi}\n"
                        + "  - {id: VN-A, country: VN, name: B, timeZone: Asia/Bangkok, language: vi}\n",
                "offices[1] (VN-A): id: duplicate of offices[0]");
        assertProblem(dir, "offices:\n  - {id: QQ-A, country: QQ, name: A, timeZone: Asia/Bangkok, language: vi}\n",
                "country: not an ISO 3166-1 alpha-2 code: 'QQ'");
        assertProblem(dir, "offices:\n  - {id: TH-A, country: TH, name: A, timeZone: Asia/Bangkok, language: th, charset: klingon}\n",
                "charset: unknown charset 'klingon'");
        assertProblem(dir, "offices:\n  - {id: TH-A, country: TH, timeZone: Asia/Bangkok, language: th}\n", "name: missing");
        assertProblem(dir, "offices:\n  - {id: TH-A, country: TH, name: A, timeZone: Asia/Bangkok, language: th, counterpart: LA-B}\n",
                "counterpart: no office 'LA-B'");
    }

    private static void assertProblem(Path dir, String yaml, String expected) throws IOException {
        Files.writeString(dir.resolve("offices.yaml"), yaml);
        assertThatThrownBy(() -> OfficeRegistry.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("offices.yaml").hasMessageContaining(expected);
    }
}
