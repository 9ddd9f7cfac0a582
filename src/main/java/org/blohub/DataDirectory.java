package org.blohub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.Map;

/**
 * Publishes {@code blo.data-path}, the absolute form of {@code blo.data-dir}, for settings that need
 * one: H2 refuses an implicitly relative path, and {@code ./${blo.data-dir}} would turn an absolute
 * directory into a relative one.
 */
public class DataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String dir = env.getProperty("blo.data-dir", "data");
        String path = Path.of(dir).toAbsolutePath().normalize().toString();
        env.getPropertySources().addLast(new MapPropertySource("bloDataPath", Map.of("blo.data-path", path)));
    }
}
