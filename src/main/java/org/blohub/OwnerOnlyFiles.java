package org.blohub;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps what the hub writes owner-only: directories 0700, files 0600. Artemis, H2, MINA SSHD and the hub all create
 * files, so the one place that governs them all is the process umask, set to 077 before anything is created
 * ({@link BloHubApplication#main} and {@link DataDirectory}, which runs before any bean). Without POSIX (Windows) there
 * is no umask: the hub runs on and says so.
 */
public final class OwnerOnlyFiles {

    /** What the umask leaves a new directory or file: only the owner's bits. */
    public static final int UMASK = 0077;
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private static volatile Boolean umaskSet;

    private OwnerOnlyFiles() {
    }

    private interface LibC extends Library {
        int umask(int mask);
    }

    /**
     * Sets the process umask to 077 (once; later calls answer the first one's result).
     *
     * @return null when set, else why it could not be (no POSIX, no libc)
     */
    public static synchronized String restrictUmask() {
        if (umaskSet != null) {
            return umaskSet ? null : "the umask could not be set on this system";
        }
        if (Platform.isWindows() || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            umaskSet = false;
            return "no POSIX permissions on this system";
        }
        try {
            Native.load(Platform.C_LIBRARY_NAME, LibC.class).umask(UMASK);
            umaskSet = true;
            return null;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            umaskSet = false;
            return "libc's umask is not reachable: " + e;
        }
    }

    /** Work that creates files. */
    @FunctionalInterface
    public interface FileWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} under another umask, then puts the hub's back: for a test that starts a program which must
     * read files it creates as another user (embedded PostgreSQL dropping root), in a JVM that also runs hubs.
     */
    public static synchronized <T> T withUmask(int mask, FileWork<T> work) throws IOException {
        if (!Boolean.TRUE.equals(umaskSet)) {
            return work.run();
        }
        LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
        int before = libc.umask(mask);
        try {
            return work.run();
        } finally {
            libc.umask(before);
        }
    }

    /** Creates {@code dir} and its missing parents, each new one 0700 whatever the umask (where POSIX). */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!posix(dir)) {
            return Files.createDirectories(dir);
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
        return dir;
    }

    /** {@code path} and every path under it (links not followed) that group or others have any permission on. */
    public static List<Path> openToOthers(Path path) throws IOException {
        List<Path> open = new ArrayList<>();
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || !posix(path)) {
            return open;
        }
        try (Stream<Path> all = Files.walk(path)) {
            all.forEach(p -> {
                try {
                    if (!Files.isSymbolicLink(p) && Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).stream()
                            .anyMatch(GROUP_OR_OTHERS::contains)) {
                        open.add(p);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return open;
    }

    /** The permissions of {@code p} as {@code rwx------}. */
    public static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
