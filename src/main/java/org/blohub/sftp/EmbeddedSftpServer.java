package org.blohub.sftp;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.blohub.OwnerOnlyFiles;
import org.blohub.broker.Credentials;
import org.blohub.office.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The standalone SFTP drop box: Apache MINA SSHD on {@code blo.bind-address} (127.0.0.1), SFTP only (no shell, no
 * exec, no port, agent or X11 forwarding), one account per office and per SFTP agency, each jailed to its own home
 * ({@code inbox/ done/ error/ receipts/}); the hub's account sees the whole root.
 *
 * <ul>
 *   <li>Password: the account id's password in {@link Credentials} (one id for every channel).</li>
 *   <li>Public key (optional): {@code <home>/.ssh/authorized_keys}, and {@code <authorized-keys-dir>/<ID>} kept by the
 *       operators outside every jail; OpenSSH {@code authorized_keys} format.</li>
 *   <li>Host key: generated once (EC P-256) in {@code <data-dir>/ssh/host_key} and kept across restarts;
 *       {@code <data-dir>/ssh/known_hosts} is written at each start with the key for {@code [host]:port}, for the
 *       hub's own client (strict host key checking) and for anyone's {@code sftp -o UserKnownHostsFile=...}.</li>
 * </ul>
 */
public final class EmbeddedSftpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSftpServer.class);
    /** Where the hub keeps files it has claimed from an office's inbox, outside every office's jail. */
    public static final String HUB_DIR = ".hub";

    private final String host;
    private final int port;
    private final Path root;
    private final Path sshDir;
    private final Path authorizedKeysDir;
    private final SftpAccounts accounts;
    private final Credentials credentials;
    private SshServer sshd;
    private PublicKey hostKey;
    private int boundPort;

    public EmbeddedSftpServer(String host, int port, Path root, Path sshDir, Path authorizedKeysDir,
                              SftpAccounts accounts, Credentials credentials) {
        this.host = host;
        this.port = port;
        this.root = root.toAbsolutePath().normalize();
        this.sshDir = sshDir.toAbsolutePath().normalize();
        this.authorizedKeysDir = authorizedKeysDir;
        this.accounts = accounts;
        this.credentials = credentials;
    }

    public synchronized EmbeddedSftpServer start() throws IOException {
        if (sshd != null && sshd.isStarted()) {
            return this;
        }
        layout(root, accounts);
        OwnerOnlyFiles.createDirectories(sshDir);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(sshDir.resolve("host_key"));
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);
        try {
            List<KeyPair> pairs = keys.loadKeys(null);
            hostKey = pairs.get(0).getPublic();
        } catch (Exception e) {
            throw new IOException("cannot load or create the SFTP host key in " + sshDir + ": " + e.getMessage(), e);
        }
        ownerOnly(sshDir.resolve("host_key"));

        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(host);
        s.setPort(boundPort > 0 ? boundPort : port); // a restart keeps the port picked for port 0
        s.setKeyPairProvider(keys);
        s.setPasswordAuthenticator((user, password, session) -> accounts.byLogin(user)
                .map(a -> credentials.check(a.id(), password)).orElse(false));
        s.setPublickeyAuthenticator((user, key, session) -> accounts.byLogin(user)
                .map(a -> authorizedKeys(a).stream().anyMatch(k -> KeyUtils.compareKeys(k, key))).orElse(false));
        JailAccessor jail = new JailAccessor();
        SftpSubsystemFactory.Builder sftp = new SftpSubsystemFactory.Builder().withFileSystemAccessor(jail);
        sftp.addSftpEventListener(jail.creations());
        s.setSubsystemFactories(List.of(sftp.build()));
        s.setFileSystemFactory(new JailFactory());
        s.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        s.setShellFactory(null);
        s.setCommandFactory(null);
        s.setAgentFactory(null);
        s.start();
        sshd = s;
        boundPort = port();
        writeKnownHosts();
        LOG.info("SFTP drop box on {}:{} (root {}), host key {} {}", host, port(), root, KeyUtils.getKeyType(hostKey),
                KeyUtils.getFingerPrint(hostKey));
        return this;
    }

    /** Creates every home with its sub-directories, and the hub's claim directories. */
    static void layout(Path root, SftpAccounts accounts) throws IOException {
        OwnerOnlyFiles.createDirectories(root);
        for (SftpAccount a : accounts.all()) {
            if (a.isHub()) {
                continue;
            }
            for (String sub : SftpAccount.SUBDIRECTORIES) {
                OwnerOnlyFiles.createDirectories(root.resolve(a.home()).resolve(sub));
            }
            if (a.kind() == SftpAccount.Kind.OFFICE) {
                OwnerOnlyFiles.createDirectories(root.resolve(HUB_DIR).resolve("processing").resolve(a.home()));
            }
        }
    }

    private List<PublicKey> authorizedKeys(SftpAccount a) {
        List<Path> files = new ArrayList<>();
        if (!a.isHub()) {
            files.add(root.resolve(a.home()).resolve(".ssh").resolve("authorized_keys"));
        }
        if (authorizedKeysDir != null) {
            files.add(authorizedKeysDir.resolve(a.id()));
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                List<AuthorizedKeyEntry> entries = AuthorizedKeyEntry.readAuthorizedKeys(f);
                keys.addAll(PublicKeyEntry.resolvePublicKeyEntries(null, entries, PublicKeyEntryResolver.IGNORING));
            } catch (Exception e) {
                LOG.warn("SFTP: cannot read the authorized keys {} of {}: {}", f, a.id(), e.getMessage());
            }
        }
        return keys;
    }

    private void writeKnownHosts() throws IOException {
        Path tmp = sshDir.resolve("known_hosts.tmp");
        Files.writeString(tmp, knownHostsLine() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, knownHostsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code [host]:port type base64} (plain {@code host} on port 22), as OpenSSH and JSch read it. */
    public String knownHostsLine() {
        String h = port() == 22 ? host : "[" + host + "]:" + port();
        return h + " " + PublicKeyEntry.toString(hostKey);
    }

    public Path knownHostsFile() {
        return sshDir.resolve("known_hosts");
    }

    public PublicKey hostKey() {
        return hostKey;
    }

    public String host() {
        return host;
    }

    /** The bound port (the configured one, or the one picked for port 0). */
    public int port() {
        if (sshd == null) {
            return boundPort > 0 ? boundPort : port;
        }
        for (SocketAddress a : sshd.getBoundAddresses()) {
            if (a instanceof InetSocketAddress i) {
                return i.getPort();
            }
        }
        return sshd.getPort();
    }

    public Path root() {
        return root;
    }

    public synchronized boolean isRunning() {
        return sshd != null && sshd.isStarted();
    }

    /** Stops listening and closes every session (tests: the server is down). */
    public synchronized void stop() throws IOException {
        if (sshd != null) {
            sshd.stop(true);
            sshd = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private static void ownerOnly(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot make {} owner-only: {}", file, e.getMessage());
        }
    }

    /** Each session sees its account's home as '/': a rooted file system that no path ('..', links) leaves. */
    private final class JailFactory implements FileSystemFactory {

        @Override
        public Path getUserHomeDir(SessionContext session) {
            return home(session);
        }

        @Override
        public FileSystem createFileSystem(SessionContext session) throws IOException {
            return new RootedFileSystemProvider().newFileSystem(home(session), Collections.emptyMap());
        }

        private Path home(SessionContext session) {
            SftpAccount a = accounts.byLogin(session.getUsername())
                    .orElseThrow(() -> new ConfigException("no SFTP account " + session.getUsername()));
            return a.isHub() ? root : root.resolve(a.home());
        }
    }
}
