package org.blohub.sftp;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpHelper;
import org.apache.sshd.sftp.common.SftpException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An SFTP client as an office or agency uses it: its own login, the server's host key checked. */
public final class TestSftpClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;

    private TestSftpClient(SshClient client, ClientSession session, SftpClient sftp) {
        this.client = client;
        this.session = session;
        this.sftp = sftp;
    }

    public static TestSftpClient connect(int port, Path knownHosts, String login, String password) throws IOException {
        return connect(port, knownHosts, login, password, null);
    }

    public static TestSftpClient connect(int port, Path knownHosts, String login, String password, KeyPair key)
            throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        client.start();
        try {
            ClientSession session = client.connect(login, "127.0.0.1", port).verify(TIMEOUT).getSession();
            if (password != null) {
                session.addPasswordIdentity(password);
            }
            if (key != null) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(TIMEOUT);
            return new TestSftpClient(client, session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException | RuntimeException e) {
            client.stop();
            throw e;
        }
    }

    public ClientSession session() {
        return session;
    }

    /** Writes {@code path} in one go (as {@code sftp put} does). */
    public void put(String path, byte[] bytes) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(bytes);
        }
    }

    /** Streams {@code size} bytes from {@code in} to {@code path}. */
    public void put(String path, InputStream in) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            in.transferTo(out);
        }
    }

    public byte[] read(String path) throws IOException {
        try (InputStream in = sftp.read(path)) {
            return in.readAllBytes();
        }
    }

    public boolean exists(String path) throws IOException {
        try {
            sftp.lstat(path);
            return true;
        } catch (SftpException e) {
            return false;
        }
    }

    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (SftpClient.DirEntry e : sftp.readDir(dir)) {
                if (!e.getFilename().equals(".") && !e.getFilename().equals("..")) {
                    names.add(e.getFilename());
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return names;
    }

    public void symlink(String link, String target) throws IOException {
        sftp.symLink(link, target);
    }

    public String canonical(String path) throws IOException {
        return sftp.canonicalPath(path);
    }

    /**
     * {@code mkdir} with the permissions OpenSSH's sftp sends (0777) in the request itself.
     *
     * @return the server's status code (0: made)
     */
    public int mkdir(String path) throws IOException {
        RawSftpClient raw = (RawSftpClient) sftp;
        Buffer request = new ByteArrayBuffer();
        request.putString(path, StandardCharsets.UTF_8);
        SftpClient.Attributes attrs = new SftpClient.Attributes();
        attrs.setPermissions(0777);
        SftpHelper.writeAttributes(request, attrs, sftp.getVersion());
        int id = raw.send(SftpConstants.SSH_FXP_MKDIR, request);
        SftpResponse response = SftpResponse.parse(id, raw.receive(id, TIMEOUT));
        if (response.getType() != SftpConstants.SSH_FXP_STATUS) {
            throw new IOException("no status for the mkdir of " + path + ": " + response.getType());
        }
        return response.getBuffer().getInt();
    }

    /** {@code chmod}: a setstat of the permissions alone. */
    public void chmod(String path, int permissions) throws IOException {
        SftpClient.Attributes a = new SftpClient.Attributes();
        a.setPermissions(permissions);
        sftp.setStat(path, a);
    }

    public void rename(String from, String to) throws IOException {
        sftp.rename(from, to);
    }

    @Override
    public void close() throws IOException {
        try {
            sftp.close();
        } finally {
            try {
                session.close();
            } finally {
                client.stop();
            }
        }
    }
}
