package org.blohub.broker;

import org.blohub.office.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One password per principal id (DESIGN §8): every office, every agency, the console users
 * {@value #OPERATOR} and {@value #VIEWER}, and the hub's own internal user {@value #HUB}. One id serves
 * for every channel (JMS user, HTTP basic, SFTP account, IMAP).
 *
 * <ul>
 *   <li>Standalone ({@link #standalone}): {@code <data-dir>/standalone-credentials.properties}, {@code ID=password}
 *       per line, created owner-only ({@code rw-------}, set atomically at creation). A random password
 *       (192 bits from {@link SecureRandom}, URL-safe Base64) is generated and appended for every id not yet
 *       in the file; existing ones are kept across restarts.</li>
 *   <li>Production ({@link #fromFile}): the properties file named by {@value #FILE_PROPERTY} (env
 *       {@code BLO_CREDENTIALS_FILE}); nothing is generated, and an id without a password stops the start.</li>
 * </ul>
 *
 * Passwords are never logged, and {@link #toString()} names only the ids. {@link #check} compares in constant
 * time (SHA-256 of both sides, then {@link MessageDigest#isEqual}), so neither the content nor the length of a
 * password, nor whether the id exists, shows in the time it takes.
 *
 * <p>A line may hold a BCrypt hash instead of the password ({@code operator={bcrypt}$2y$12$...}, as
 * {@code htpasswd -nbBC 12 "" secret} prints it): {@link #check} then verifies against the hash and
 * {@link #password} has nothing to give. That is the way for the people who log in (the console users, and offices
 * and agencies that only log in to the hub); the ids whose password the hub itself presents to a server (its
 * internal user, mailbox and SFTP logins, web hook secrets) need it in the clear and say so at start-up.
 */
public final class Credentials {

    /** The standalone file's name in the data directory. */
    public static final String STANDALONE_FILE = "standalone-credentials.properties";
    /** Property (or env {@code BLO_CREDENTIALS_FILE}) naming the production credentials file. */
    public static final String FILE_PROPERTY = "blo.credentials.file";
    /** The hub's own internal user (broker: may do everything). */
    public static final String HUB = "hub";
    public static final String OPERATOR = "operator";
    public static final String VIEWER = "viewer";
    /** The ids that exist whatever the offices and agencies: console users and the hub. */
    public static final List<String> BUILT_IN = List.of(OPERATOR, VIEWER, HUB);

    /** Letters, digits, '-' and '_': safe as a properties key, a broker role name and an address segment. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
    private static final int PASSWORD_BYTES = 24; // 192 bits
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    private final Path file;
    private final Map<String, String> passwords;      // id -> password (never logged)
    private final Map<String, byte[]> digests;        // id -> SHA-256(password)
    private final Map<String, String> hashes;         // id -> BCrypt hash, for lines that hold one
    private final byte[] dummyDigest;                 // compared against when the id is unknown

    private static final String BCRYPT = "{bcrypt}";
    private static final BCryptPasswordEncoder BCRYPT_ENCODER = new BCryptPasswordEncoder();

    private Credentials(Path file, Map<String, String> lines) {
        this.file = file;
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> hashed = new LinkedHashMap<>();
        lines.forEach((id, value) -> {
            if (value.startsWith(BCRYPT)) {
                hashed.put(id, value.substring(BCRYPT.length()));
            } else {
                plain.put(id, value);
            }
        });
        this.passwords = Map.copyOf(plain);
        this.hashes = Map.copyOf(hashed);
        Map<String, byte[]> d = new LinkedHashMap<>();
        plain.forEach((id, pw) -> d.put(id, sha256(pw)));
        this.digests = Map.copyOf(d);
        this.dummyDigest = sha256(newPassword(new SecureRandom()));
    }

    /** All principal ids the hub knows: the offices, the agencies, then {@link #BUILT_IN}; checked and de-duplicated. */
    public static List<String> principalIds(Collection<String> officeIds, Collection<String> agencyIds) {
        Set<String> all = new LinkedHashSet<>();
        for (Collection<String> group : List.of(officeIds, agencyIds, BUILT_IN)) {
            for (String id : group) {
                requireValidId(id);
                if (!all.add(id)) {
                    throw new ConfigException("principal id '" + id + "' is used twice (offices, agencies and the "
                            + "built-in users " + BUILT_IN + " must all be distinct)");
                }
            }
        }
        return List.copyOf(all);
    }

    /**
     * Standalone: loads {@code <dataDir>/standalone-credentials.properties}, creating it owner-only if absent, and
     * appends a fresh random password for every id of {@code ids} it does not hold yet.
     */
    public static Credentials standalone(Path dataDir, Collection<String> ids) {
        ids.forEach(Credentials::requireValidId);
        Path file = dataDir.resolve(STANDALONE_FILE);
        try {
            Files.createDirectories(dataDir);
            boolean created = createOwnerOnly(file);
            if (!created) {
                tightenPermissions(file);
            }
            Map<String, String> existing = read(file);
            List<String> missing = ids.stream().filter(id -> !existing.containsKey(id)).distinct().toList();
            if (!missing.isEmpty()) {
                SecureRandom random = new SecureRandom();
                Map<String, String> added = new LinkedHashMap<>();
                missing.forEach(id -> added.put(id, newPassword(random)));
                append(file, added);
                existing.putAll(added);
                LOG.info("Standalone credentials: generated passwords for {} id(s) in {} ({}): {}",
                        missing.size(), file, created ? "new file" : "appended", missing);
            }
            return new Credentials(file, existing);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot create or read the standalone credentials: " + e.getMessage(), e);
        }
    }

    /**
     * Production: reads {@code ID=password} from {@code file} and never generates; every id of {@code requiredIds}
     * must have a non-empty password there, or this throws naming the missing ids (never a password).
     */
    public static Credentials fromFile(Path file, Collection<String> requiredIds) {
        requiredIds.forEach(Credentials::requireValidId);
        Map<String, String> read;
        try {
            read = read(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the credentials file (" + FILE_PROPERTY + "): " + e.getMessage(), e);
        }
        List<String> missing = requiredIds.stream().filter(id -> read.getOrDefault(id, "").isEmpty()).distinct().toList();
        if (!missing.isEmpty()) {
            throw new ConfigException(file + ": no password for " + missing + " (the production credentials file is "
                    + "not generated: add an ID=password line for each)");
        }
        warnIfReadableByOthers(file);
        return new Credentials(file, read);
    }

    /** True if {@code password} is the password of {@code id}; constant time, false for an unknown id or null. */
    public boolean check(String id, String password) {
        String hash = id == null ? null : hashes.get(id);
        if (hash != null) {
            return password != null && BCRYPT_ENCODER.matches(password, hash);
        }
        byte[] expected = id == null ? null : digests.get(id);
        byte[] given = sha256(password == null ? "" : password);
        boolean equal = MessageDigest.isEqual(expected == null ? dummyDigest : expected, given);
        return expected != null && password != null && equal;
    }

    /** The password of {@code id}, for the hub's own clients and servers (never log it); empty when only its hash is kept. */
    public Optional<String> password(String id) {
        return Optional.ofNullable(passwords.get(id));
    }

    /**
     * The password the hub presents for {@code id} to a server (the broker, a mailbox, an SFTP server); a
     * {@link ConfigException} naming the id when the file holds none, or only its hash.
     */
    public String clearPassword(String id) {
        return password(id).orElseThrow(() -> new ConfigException(file + ": " + id + (hashes.containsKey(id)
                ? " has only a password hash; the hub presents this password to a server and needs it in the clear"
                : " has no password")));
    }

    public boolean knows(String id) {
        return passwords.containsKey(id) || hashes.containsKey(id);
    }

    /** The ids that have a password or a password hash. */
    public Set<String> ids() {
        Set<String> all = new LinkedHashSet<>(passwords.keySet());
        all.addAll(hashes.keySet());
        return Set.copyOf(all);
    }

    /** The file the passwords were read from. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "Credentials[" + file + ", " + (passwords.size() + hashes.size()) + " ids]";
    }

    // ---------------------------------------------------------------------------------------------------------

    static void requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ConfigException("principal id " + (id == null ? "null" : "'" + id + "'")
                    + " must be 1-100 letters, digits, '-' or '_'");
        }
    }

    static String newPassword(SecureRandom random) {
        byte[] b = new byte[PASSWORD_BYTES];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Creates the file with rw------- in one step (no window where it is readable by others). */
    private static boolean createOwnerOnly(Path file) throws IOException {
        try {
            if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
                var f = file.toFile(); // not POSIX (Windows): the best the JDK offers
                f.setReadable(false, false);
                f.setWritable(false, false);
                f.setReadable(true, true);
                f.setWritable(true, true);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static void tightenPermissions(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(now)) {
                LOG.warn("{} was readable or writable by others ({}); set back to rw-------", file,
                        PosixFilePermissions.toString(now));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
                if (now.contains(PosixFilePermission.OTHERS_READ)) {
                    LOG.warn("{} is readable by every local user ({}); make it owner-only", file,
                            PosixFilePermissions.toString(now));
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // only a warning
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String id : new ArrayList<>(p.stringPropertyNames())) {
            result.put(id, p.getProperty(id));
        }
        return result;
    }

    /** Appends {@code ID=password} lines; generated ids and passwords need no properties escaping. */
    private static void append(Path file, Map<String, String> added) throws IOException {
        byte[] current = Files.readAllBytes(file);
        StringBuilder sb = new StringBuilder();
        if (current.length == 0) {
            sb.append("# BLO Hub standalone credentials: ID=password, one per line. Generated on first start; keep it private.\n");
        } else if (current[current.length - 1] != '\n') {
            sb.append('\n');
        }
        added.forEach((id, pw) -> sb.append(id).append('=').append(pw).append('\n'));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.DSYNC)) {
            w.write(sb.toString());
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
