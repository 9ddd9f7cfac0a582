package org.blohub.sftp;

import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps every SFTP operation inside the account's home, links included: the rooted file system stops {@code ..},
 * but the operating system follows a symbolic link wherever it points, so each path is checked by its real path
 * (every link resolved) before it is opened, listed, read, changed or removed; and no account may create or read a
 * link. A drop box needs none.
 *
 * <p>And owner-only, whatever the client asks: a file it creates is 0600, a directory 0700, and a change of
 * permissions (setstat, chmod) is refused with "permission denied". The permissions an {@code mkdir} request carries
 * (OpenSSH's sftp sends 0777) are ignored, not refused, so that the directory is still made; {@link #creations()}
 * tells the accessor which request is an mkdir's.
 */
final class JailAccessor implements SftpFileSystemAccessor {

    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    /** The directory this thread's mkdir request is making, between the listener's creating and created. */
    private final ThreadLocal<Path> making = new ThreadLocal<>();

    /** The listener marking each mkdir request (register it with the subsystem). */
    SftpEventListener creations() {
        return new SftpEventListener() {
            @Override
            public void creating(ServerSession session, Path path, Map<String, ?> attrs) {
                making.set(path);
            }

            @Override
            public void created(ServerSession session, Path path, Map<String, ?> attrs, Throwable thrown) {
                making.remove();
            }
        };
    }

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                        Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        check(file);
        boolean creates = options.contains(StandardOpenOption.CREATE) || options.contains(StandardOpenOption.CREATE_NEW);
        FileAttribute<?>[] ownerOnly = creates && posix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
        return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, ownerOnly);
    }

    @Override
    public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir,
                                               String handle, LinkOption... options) throws IOException {
        check(dir);
        return SftpFileSystemAccessor.super.openDirectory(subsystem, dirHandle, dir, handle, options);
    }

    @Override
    public Map<String, ?> readFileAttributes(SftpSubsystemProxy subsystem, Path file, String view, LinkOption... options)
            throws IOException {
        check(file);
        return SftpFileSystemAccessor.super.readFileAttributes(subsystem, file, view, options);
    }

    @Override
    public void setFileAttribute(SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
                                 LinkOption... options) throws IOException {
        check(file);
        if (Set.of("permissions", "mode", "owner", "group", "acl").contains(attribute)) {
            throw new AccessDeniedException(file.toString(), null, "permissions cannot be changed on this drop box");
        }
        SftpFileSystemAccessor.super.setFileAttribute(subsystem, file, view, attribute, value, options);
    }

    @Override
    public void setFilePermissions(SftpSubsystemProxy subsystem, Path path, Set<PosixFilePermission> perms,
                                   LinkOption... options) throws IOException {
        check(path);
        if (path.equals(making.get())) {
            return; // an mkdir's own permissions: the directory stays 0700
        }
        throw new AccessDeniedException(path.toString(), null, "permissions cannot be changed on this drop box");
    }

    @Override
    public void setFileAccessControl(SftpSubsystemProxy subsystem, Path path, List<AclEntry> acl, LinkOption... options)
            throws IOException {
        throw new AccessDeniedException(path.toString(), null, "permissions cannot be changed on this drop box");
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options)
            throws IOException {
        throw new AccessDeniedException(path.toString(), null, "owners cannot be changed on this drop box");
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path path, Principal value, LinkOption... options)
            throws IOException {
        throw new AccessDeniedException(path.toString(), null, "owners cannot be changed on this drop box");
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        check(path);
        if (posix(path)) {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        } else {
            Files.createDirectory(path);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "links are not allowed on this drop box");
    }

    @Override
    public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "links are not allowed on this drop box");
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
            throws IOException {
        check(oldPath);
        check(newPath);
        SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts) throws IOException {
        check(src);
        check(dst);
        SftpFileSystemAccessor.super.copyFile(subsystem, src, dst, opts);
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        check(path.getParent() == null ? path : path.getParent());
        SftpFileSystemAccessor.super.removeFile(subsystem, path, isDirectory);
    }

    /** Refuses a path whose deepest existing part, every link resolved, lies outside the jail's root. */
    static void check(Path path) throws IOException {
        if (path == null || !(path.getFileSystem() instanceof RootedFileSystem fs)) {
            return;
        }
        Path root = fs.getRoot().toRealPath();
        String inside = path.toAbsolutePath().normalize().toString();
        Path local = fs.getRoot().resolve(inside.startsWith("/") ? inside.substring(1) : inside);
        for (Path p = local; p != null; p = p.getParent()) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    throw new AccessDeniedException(path.toString(), null, "dangling link");
                }
                if (!real.startsWith(root)) {
                    throw new AccessDeniedException(path.toString(), null, "outside the account's home");
                }
                return;
            }
        }
        throw new AccessDeniedException(path.toString(), null, "outside the account's home");
    }
}
