package org.blohub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A wall-clock sampler for the bench ({@code -Dbench.profile=true}): every 5 ms it looks at the hub's consumer threads
 * and files each under the stage its stack is in (innermost known frame wins), with the thread's state; and it
 * counts how often the broker's journal is inside a file sync. Where the consumers' time goes, blocked or running.
 */
final class StageSampler implements Runnable {

    /** Innermost frame markers (class name prefix, method or "*") -> stage, checked from the top of the stack. */
    private static final List<String[]> STAGES = List.of(
            new String[]{"org.apache.activemq.artemis.core.client.impl.ClientSessionImpl", "commit", "JMS commit (journal sync)"},
            new String[]{"org.apache.activemq.artemis.jms.client.ActiveMQSession", "commit", "JMS commit (journal sync)"},
            new String[]{"org.apache.activemq.artemis.core.client.impl.ClientSessionImpl", "rollback", "JMS rollback"},
            new String[]{"org.apache.activemq.artemis.core.client.impl.ClientConsumerImpl", "receive", "JMS receive (waiting for a message)"},
            new String[]{"org.apache.activemq.artemis.core.client.impl.ClientProducerImpl", "*", "JMS send"},
            new String[]{"org.springframework.jms.connection.JmsResourceHolder", "*", "JMS session/producer lookup"},
            new String[]{"org.springframework.jms.core.JmsTemplate", "createProducer", "JMS producer creation"},
            new String[]{"org.blohub.dedupe.Ledger", "*", "dedupe: ledger insert (JDBC/H2)"},
            new String[]{"org.blohub.render.", "*", "deliver: render"},
            new String[]{"org.blohub.delivery.", "*", "deliver: prepare"},
            new String[]{"org.blohub.routing.", "*", "route"},
            new String[]{"org.blohub.receipts.", "*", "receipt"},
            new String[]{"org.blohub.normalize.", "*", "normalize (read, validate)"},
            new String[]{"org.blohub.ingest.", "*", "ingest"},
            new String[]{"org.blohub.alert.AlertJson", "*", "alert JSON (ledger/render)"},
            new String[]{"org.apache.camel.component.jms.JmsProducer", "*", "camel: JMS producer"},
            new String[]{"org.apache.camel.component.jms.", "*", "camel: JMS other"},
            new String[]{"org.apache.camel.", "*", "camel: routing engine"},
            new String[]{"org.springframework.jms.listener.", "*", "listener container"});

    private final String threadMarker;
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<String, Integer> counts = new TreeMap<>();
    private int samples;
    private int consumerSamples;
    private int journalSync;
    private volatile boolean running = true;
    private final Thread thread;

    private StageSampler(String threadMarker) {
        this.threadMarker = threadMarker;
        this.thread = new Thread(this, "bench-stage-sampler");
        this.thread.setDaemon(true);
    }

    static StageSampler start(String threadNameMarker) {
        StageSampler s = new StageSampler(threadNameMarker);
        s.thread.start();
        return s;
    }

    @Override
    public void run() {
        while (running) {
            ThreadInfo[] all = mx.dumpAllThreads(false, false, 64);
            boolean sync = false;
            synchronized (this) {
                samples++;
                for (ThreadInfo t : all) {
                    StackTraceElement[] st = t.getStackTrace();
                    if (!sync) {
                        for (StackTraceElement e : st) {
                            if (e.getClassName().equals("sun.nio.ch.FileChannelImpl") && e.getMethodName().equals("force")) {
                                sync = true;
                                break;
                            }
                        }
                    }
                    if (t.getThreadName().contains(threadMarker)) {
                        consumerSamples++;
                        counts.merge(stage(st) + " [" + state(t) + "]", 1, Integer::sum);
                    }
                }
                if (sync) {
                    journalSync++;
                }
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static String state(ThreadInfo t) {
        return switch (t.getThreadState()) {
            case RUNNABLE -> "running";
            case BLOCKED -> "blocked on a lock";
            default -> "waiting";
        };
    }

    private static String stage(StackTraceElement[] st) {
        for (StackTraceElement e : st) {
            for (String[] m : STAGES) {
                if (e.getClassName().startsWith(m[0]) && (m[1].equals("*") || e.getMethodName().equals(m[1]))) {
                    return m[2];
                }
            }
        }
        return st.length == 0 ? "(no stack)" : "other: " + st[0].getClassName() + "." + st[0].getMethodName();
    }

    void stopAndPrint() throws InterruptedException {
        running = false;
        thread.join(2_000);
        synchronized (this) {
            System.out.printf("      profile: %d samples; journal inside a file sync in %.0f %% of them; consumer threads:%n",
                    samples, 100.0 * journalSync / Math.max(1, samples));
            Map<String, Integer> sorted = new LinkedHashMap<>();
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            sorted.forEach((k, v) -> System.out.printf("        %5.1f %%  %s%n", 100.0 * v / Math.max(1, consumerSamples), k));
        }
    }
}
