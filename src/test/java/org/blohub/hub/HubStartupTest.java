package org.blohub.hub;

import org.blohub.BloHubApplication;
import org.blohub.office.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A mistake in the config names the file, the entry and the problem, and the hub does not start. */
class HubStartupTest {

    @Test
    void aConfigMistakeStopsTheHubAndSaysWhere(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        try (Stream<Path> files = Files.list(Path.of("config"))) {
            for (Path f : files.toList()) {
                Files.copy(f, config.resolve(f.getFileName()));
            }
        }
        Path agencies = config.resolve("agencies.yaml");
        Files.writeString(agencies, Files.readString(agencies).replaceFirst("maxTlp: \"TLP:RED\"", "maxTlp: \"TLP:BEIGE\""));

        // command-line arguments: they take precedence over config/application.yaml, as an operator's would
        assertThatThrownBy(() -> new SpringApplicationBuilder(BloHubApplication.class)
                .run("--blo.config-dir=" + config, "--blo.data-dir=" + dir.resolve("data"), "--server.port=0",
                        "--blo.broker.port=0", "--blo.broker.in-vm-id=424242").close())
                .hasRootCauseInstanceOf(ConfigException.class)
                .rootCause().hasMessageContaining("agencies.yaml").hasMessageContaining("agencies[")
                .hasMessageContaining("TLP:BEIGE");
    }
}
