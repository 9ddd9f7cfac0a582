package org.blohub.sftp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the hub reaches the SFTP drop box, as itself: the embedded server (standalone) or a real one (production).
 * The host key is always checked against {@code knownHosts} ({@code strictHostKeyChecking=yes}), never trusted
 * blindly. The password goes into endpoint URIs as {@code RAW(...)}; Camel masks it wherever it shows a URI, and
 * {@link #toString()} leaves it out.
 */
public final class SftpEndpoints {

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final Path knownHosts;
    private final Duration timeout;

    public SftpEndpoints(String host, int port, String user, String password, Path knownHosts, Duration timeout) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.knownHosts = knownHosts.toAbsolutePath();
        this.timeout = timeout;
    }

    /** {@code sftp://user@host:port}: a path relative to the hub's login directory (the drop box root) follows. */
    public String server() {
        return "sftp://" + user + "@" + host + ":" + port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    /** For the hub's own SFTP clients and the route templates; never log it. */
    public String password() {
        return password;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Connection options every endpoint shares (consumers get them as template parameters). */
    public String connectionOptions() {
        return "password=RAW(" + password + ")&knownHostsFile=" + knownHosts + "&strictHostKeyChecking=yes"
                + "&useUserKnownHostsFile=false&binary=true&connectTimeout=" + timeout.toMillis()
                + "&timeout=" + timeout.toMillis() + "&serverAliveInterval=30000";
    }

    /**
     * A producer writing into {@code dir} (relative to the root) under a temporary hidden name ({@code .<name>.part}),
     * renamed when complete; an existing file of the same name is replaced.
     */
    public String producerUri(String dir) {
        return server() + "/" + dir + "?" + connectionOptions()
                + "&tempFileName=.${file:onlyname}.part&fileExist=Override&disconnect=true";
    }

    @Override
    public String toString() {
        return "SftpEndpoints[" + server() + ", knownHosts " + knownHosts + "]";
    }
}
