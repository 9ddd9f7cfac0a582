package org.blohub.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a run's CPU went, by thread (names with their numbers blanked, so a pool is one line), and the JVM's own
 * threads (GC, JIT), which only Linux lists (/proc/self/task, in clock ticks of 10 ms): a snapshot before, one after.
 * Threads that ended in between are not seen, and fall into the rest.
 */
final class ThreadCpu {

    /** Linux's clock tick (USER_HZ), in ns. */
    private static final long TICK_NANOS = 10_000_000L;

    private final Map<Long, Long> cpuById;
    private final Map<Long, String> names;
    private final Map<String, Long> jvmOwn;
    private final long process;
    /** Per collector: collections, and their time in ms (for G1 the pauses; for ZGC's "Pauses" bean too). */
    private final Map<String, long[]> collections;

    private ThreadCpu(Map<Long, Long> cpuById, Map<Long, String> names, Map<String, Long> jvmOwn, long process,
                      Map<String, long[]> collections) {
        this.cpuById = cpuById;
        this.names = names;
        this.jvmOwn = jvmOwn;
        this.process = process;
        this.collections = collections;
    }

    static ThreadCpu now() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        Map<String, long[]> collections = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections.put(gc.getName(), new long[]{gc.getCollectionCount(), gc.getCollectionTime()});
        }
        return new ThreadCpu(cpu, names, jvmOwnThreads(), processCpu(), collections);
    }

    /** CPU time of the whole JVM, in ns. */
    static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of the whole JVM since {@code before}, in ns. */
    long processSince(ThreadCpu before) {
        return process - before.process;
    }

    /** Prints the CPU per alert of each kind of thread since {@code before}, the largest first, down to 1 %. */
    void printSince(ThreadCpu before, int alerts) {
        Map<String, Long> byKind = new HashMap<>();
        long listed = 0;
        for (Map.Entry<Long, Long> e : cpuById.entrySet()) {
            long used = e.getValue() - before.cpuById.getOrDefault(e.getKey(), 0L);
            byKind.merge(kind(names.get(e.getKey())), used, Long::sum);
            listed += used;
        }
        for (Map.Entry<String, Long> e : jvmOwn.entrySet()) {
            long used = e.getValue() - before.jvmOwn.getOrDefault(e.getKey(), 0L);
            byKind.merge(e.getKey(), used, Long::sum);
            listed += used;
        }
        long total = processSince(before);
        byKind.put("(the rest: ended threads, rounding)", total - listed);
        Map<String, Long> sorted = new LinkedHashMap<>();
        byKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        StringBuilder gcs = new StringBuilder();
        collections.forEach((name, now) -> {
            long[] then = before.collections.getOrDefault(name, new long[2]);
            gcs.append(String.format("  %s: %d in %d ms", name, now[0] - then[0], now[1] - then[1]));
        });
        System.out.printf("      collections:%s%n", gcs);
        System.out.printf("      CPU by thread, us/alert (total %,.0f):%n", total / 1e3 / alerts);
        sorted.forEach((kind, used) -> {
            if (used * 100 >= total) {
                System.out.printf("        %,8.0f  %s%n", used / 1e3 / alerts, kind);
            }
        });
    }

    /** CPU of the JVM's GC, JIT and VM threads, by kind (empty where there is no /proc). */
    private static Map<String, Long> jvmOwnThreads() {
        Map<String, Long> byKind = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String kind = comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "JVM: GC"
                            : comm.startsWith("C1 Compi") || comm.startsWith("C2 Compi") ? "JVM: JIT"
                            : comm.startsWith("VM ") ? "JVM: VM" : null;
                    if (kind != null) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        // fields 14 and 15 of stat (utime, stime), counted from "state" (field 3) on
                        byKind.merge(kind, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return byKind;
    }

    private static String kind(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }
}
