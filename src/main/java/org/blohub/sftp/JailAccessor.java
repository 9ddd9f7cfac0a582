package org.blohub.sftp;

import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.FileHandle;
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
import java.nio.file.attribute.FileAttribute;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Keeps every SFTP operation inside the account's home, links included: the rooted file system stops {@code ..},
 * but the operating system follows a symbolic link wherever it points, so each path is checked by its real path
 * (every link resolved) before it is opened, listed, read, changed or removed; and no account may create or read a
 * link. A drop box needs none.
 */
final class JailAccessor implements SftpFileSystemAccessor {

    @Override
    public SeekableByteChannel openFile(SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
                                        Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        check(file);
        return SftpFileSystemAccessor.super.openFile(subsystem, fileHandle, file, handle, options, attrs);
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
        SftpFileSystemAccessor.super.setFileAttribute(subsystem, file, view, attribute, value, options);
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        check(path);
        SftpFileSystemAccessor.super.createDirectory(subsystem, path);
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
