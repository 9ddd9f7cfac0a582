package org.blohub.audit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** config/application.yaml: where the trace is kept, standalone and with the production profile. */
class TraceDatabaseSettingTest {

    @Test
    void standaloneKeepsTheTraceInAnH2FileOfItsOwnWrittenBehind() {
        assertThat(traceUrl()).startsWith("jdbc:h2:file:/the-data-dir/trace;").doesNotContain("WRITE_DELAY");
        assertThat(hubUrl()).startsWith("jdbc:h2:file:/the-data-dir/hub;").contains("WRITE_DELAY=0");
    }

    @Test
    void productionKeepsItInTheHubsOwnDatabase() {
        assertThat(traceUrl("production")).isEmpty();
    }

    private static String traceUrl(String... profiles) {
        return environment(profiles).getProperty("blo.trace.datasource.url");
    }

    private static String hubUrl() {
        return environment().getProperty("spring.datasource.url");
    }

    /** The environment Spring Boot makes of config/application.yaml (read from the working directory, as the hub's). */
    private static StandardEnvironment environment(String... profiles) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addLast(new MapPropertySource("dataPath", Map.of("blo.data-path", "/the-data-dir")));
        ConfigDataEnvironmentPostProcessor.applyTo(env, new DefaultResourceLoader(), null, profiles);
        return env;
    }
}
