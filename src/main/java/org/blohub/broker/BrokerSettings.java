package org.blohub.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded broker. {@link #defaults(Path)} gives the standalone values of DESIGN §8.
 *
 * @param dataDir                 the hub's data directory; the journal goes to {@code <dataDir>/artemis}
 * @param host                    the TCP acceptor's host (standalone: 127.0.0.1 only)
 * @param port                    the TCP acceptor's port; 0 picks a free one (tests), see {@link EmbeddedBroker#tcpPort()}
 * @param inVmId                  the in-VM acceptor's id ({@code vm://<id>}); distinct per broker in one JVM
 * @param journalBufferTimeoutNanos NIO journal buffer timeout in nanoseconds (Artemis' default is 3,333,333)
 * @param redeliveryDelay         first redelivery delay after a rollback
 * @param redeliveryMultiplier    backoff factor between redeliveries
 * @param maxRedeliveryDelay      the backoff's ceiling
 * @param maxDeliveryAttempts     deliveries before the message goes to its {@code DLQ.<queue>}
 * @param idCacheSize             duplicate-detection ids remembered per address (persisted)
 * @param jmx                     register the broker's MBeans on the platform MBean server
 * @param auditLogging            leave Artemis' audit loggers as the logging config sets them (false: forced to WARN)
 * @param maxDiskUsagePercent     disk use above which the broker blocks producers (Artemis' default 90; -1 off)
 */
public record BrokerSettings(Path dataDir, String host, int port, int inVmId, int journalBufferTimeoutNanos,
                             Duration redeliveryDelay, double redeliveryMultiplier, Duration maxRedeliveryDelay,
                             int maxDeliveryAttempts, int idCacheSize, boolean jmx, boolean auditLogging,
                             int maxDiskUsagePercent) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 61616;
    /**
     * 100 us, not Artemis' 3.33 ms, nor 0: libaio is absent here, so the NIO journal is used. With the default buffer
     * timeout every per-message commit waits for the timer (DESIGN §2 "Known traps": Camel relay 1,132/s with the
     * default, 5,343/s with 0, on a fast disk). But 0 turns the timed buffer off altogether (Artemis creates none for
     * a timeout of 0), so every synced write is its own fsync, one after the other: commits of concurrent consumers
     * never share a sync, and throughput stays at 1/fsync however many consumers there are. With a short timeout they
     * do share it, and a lone commit waits a little longer (for the buffer's timer thread). Measured on this machine's shared disk (fsync p50 0.5-1.4 ms, p90 3-8 ms), relay
     * committing every message, 4 rounds: 8 consumers 571-820/s with 0, 1,121-1,889/s with 100 us; 1 consumer
     * 470-878/s with 0, 566-707/s with 100 us (a lone commit pays the buffer's timer thread). The whole hub (HubBench,
     * 5,000 alerts, 8 consumers, office sends beside): 115 alerts/s with 0, 236/s with 100 us, and only with 100 us
     * could 8 office sessions send 200 durable alerts/s at all. Durability is unchanged: a commit is still acknowledged
     * only once its sync to disk is done.
     */
    public static final int DEFAULT_JOURNAL_BUFFER_TIMEOUT_NANOS = 100_000;

    public BrokerSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(redeliveryDelay, "redeliveryDelay");
        Objects.requireNonNull(maxRedeliveryDelay, "maxRedeliveryDelay");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("broker port out of range: " + port);
        }
        if (journalBufferTimeoutNanos < 0) {
            throw new IllegalArgumentException("journal buffer timeout must be >= 0 ns: " + journalBufferTimeoutNanos);
        }
        if (maxDeliveryAttempts < 1) {
            throw new IllegalArgumentException("max delivery attempts must be >= 1 (a message is never dropped): "
                    + maxDeliveryAttempts);
        }
        if (redeliveryMultiplier < 1.0) {
            throw new IllegalArgumentException("redelivery multiplier must be >= 1: " + redeliveryMultiplier);
        }
        if (idCacheSize < 1) {
            throw new IllegalArgumentException("duplicate id cache size must be >= 1: " + idCacheSize);
        }
    }

    /**
     * Standalone defaults: 127.0.0.1:61616, {@code vm://0}, journal buffer timeout 100 us, redelivery after 1 s doubling up
     * to 60 s, 6 delivery attempts (1+2+4+8+16 s = about half a minute of retries) then {@code DLQ.<queue>},
     * 100,000 duplicate ids per address, no JMX, audit loggers at WARN.
     */
    public static BrokerSettings defaults(Path dataDir) {
        return new BrokerSettings(dataDir, DEFAULT_HOST, DEFAULT_PORT, 0, DEFAULT_JOURNAL_BUFFER_TIMEOUT_NANOS,
                Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60), 6, 100_000, false, false, 90);
    }

    public Path artemisDir() {
        return dataDir.resolve("artemis");
    }

    public BrokerSettings withPort(int newPort) {
        return new BrokerSettings(dataDir, host, newPort, inVmId, journalBufferTimeoutNanos, redeliveryDelay,
                redeliveryMultiplier, maxRedeliveryDelay, maxDeliveryAttempts, idCacheSize, jmx, auditLogging,
                maxDiskUsagePercent);
    }

    public BrokerSettings withInVmId(int id) {
        return new BrokerSettings(dataDir, host, port, id, journalBufferTimeoutNanos, redeliveryDelay,
                redeliveryMultiplier, maxRedeliveryDelay, maxDeliveryAttempts, idCacheSize, jmx, auditLogging,
                maxDiskUsagePercent);
    }

    public BrokerSettings withRedelivery(Duration delay, double multiplier, Duration max, int attempts) {
        return new BrokerSettings(dataDir, host, port, inVmId, journalBufferTimeoutNanos, delay, multiplier, max,
                attempts, idCacheSize, jmx, auditLogging, maxDiskUsagePercent);
    }
}
