package org.blohub;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Prepares the data directory before any bean runs, however the hub starts ({@code java -jar},
 * {@code mvn spring-boot:run}, a test's Spring context):
 * <ul>
 *   <li>sets the process umask to 077 ({@link OwnerOnlyFiles}), so that everything created under it is owner-only;</li>
 *   <li>warns, in one line, when the data directory or anything under it is open to group or others;</li>
 *   <li>creates the directory 0700;</li>
 *   <li>publishes {@code blo.data-path}, its absolute form, for settings that need one: H2 refuses an implicitly
 *       relative path, and {@code ./${blo.data-dir}} would turn an absolute directory into a relative one;</li>
 *   <li>defaults {@code server.address} to {@code blo.bind-address} (127.0.0.1).</li>
 * </ul>
 */
public class DataDirectory implements EnvironmentPostProcessor {

    private final Log log;

    public DataDirectory(DeferredLogFactory logs) {
        this.log = logs.getLog(DataDirectory.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String why = OwnerOnlyFiles.restrictUmask();
        if (why != null) {
            log.warn("Files under the data directory are created with the process' default permissions: " + why);
        }
        String dir = env.getProperty("blo.data-dir", "data");
        Path path = Path.of(dir).toAbsolutePath().normalize();
        try {
            List<Path> open = OwnerOnlyFiles.openToOthers(path);
            if (!open.isEmpty()) {
                log.warn("The data directory " + path + " is open to other users: " + open.get(0) + " is "
                        + OwnerOnlyFiles.mode(open.get(0)) + (open.size() > 1 ? " (and " + (open.size() - 1)
                        + " more paths)" : "") + "; alerts, credentials and keys are kept there. Fix: chmod -R go-rwx "
                        + path);
            }
            OwnerOnlyFiles.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + path + ": " + e.getMessage(), e);
        }
        env.getPropertySources().addLast(new MapPropertySource("bloDataPath", Map.of(
                "blo.data-path", path.toString(),
                "server.address", "${blo.bind-address:127.0.0.1}")));
    }
}
