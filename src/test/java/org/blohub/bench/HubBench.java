package org.blohub.bench;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.blohub.BloHubApplication;
import org.blohub.audit.Trace;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.broker.EmbeddedBroker;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub over JMS against what it is compared with, in ONE run, on ONE embedded persistent broker: the hub's own
 * (started in-process with config/application.yaml: NIO journal under target/bench, the hub's journal-buffer-timeout,
 * every send and commit synced), and the same ~1 KB alert as BLO XML.
 *
 * <ol type="a">
 *   <li><b>limit</b>: a plain JMS relay, in -> out, 4 consumers, transacted sessions committing every 50 messages,
 *       no processing;</li>
 *   <li><b>peer</b>: the Camel route a team would write without the hub: {@code jms:in?transacted=true ->
 *       unmarshal jacksonXml -> marshal json -> jms:out}, Camel's defaults otherwise, on the same connection
 *       factory;</li>
 *   <li><b>hub</b>: blo.inbound.VN-LAOCAI -> agency.VN-DRUG through every stage of the hub (ingest, normalize,
 *       dedupe ledger, route, deliver to the 4 agencies the alert goes to, receipt), each message in one local JMS
 *       transaction.</li>
 * </ol>
 *
 * Throughput, the same way for all three: N alerts are pre-loaded on the input queue while its consumers are
 * stopped, the consumers are started, and the time runs until the N-th message is committed on the output queue
 * (the broker's own count of messages added to it, polled every millisecond; no extra consumer competes for the 2
 * CPUs). Pre-loading measures what the consumer side can do, not how fast one sender can feed it; a sender on the
 * same 2 CPUs would also take CPU from the stage measured. (a) is warmed up first with a fifth of N, (b) with N, the
 * hub with {@link #HUB_WARMUP} alerts and, before the latency is measured, {@link #PACED_WARMUP} paced ones. The CPU
 * time of the whole JVM per alert is printed beside: the CPUs are shared, so alerts/s follow the machine's load,
 * CPU/alert much less; for the hub also by thread ({@link ThreadCpu}), with the JIT's share, which shows whether the
 * JVM was warm.
 *
 * <p>Latency of (c): alerts sent by VN-LAOCAI over TCP, paced at 200/s by a scheduler, read by VN-DRUG over TCP;
 * latency = arrival at the agency's consumer - the moment just before the office's send. The hub drops every inbound
 * JMS property (a sender's headers reach no later stage), so the send time is kept in the bench by alert id (a
 * name-based UUID of office and sourceRef, which the delivered message carries as {@code bloAlertId}); it is also
 * in the sourceRef.
 *
 * <p>Options: {@code -Dbench.only=a,b,c,p} (parts to run), {@code -Dbench.{limit,peer,hub,paced}.alerts=N},
 * {@code -Dbench.{hub,paced}.warmup=N}, {@code -Dbench.paced.csv=FILE} (each paced alert's arrival and latency),
 * {@code -Dbench.paced.rate}, {@code -Dbench.profile=true} (where the hub's consumer threads spend their time, see
 * {@link StageSampler}), {@code -Dbench.keep=true} (keep the data dir); any hub property too, e.g.
 * {@code -Dblo.broker.journal-buffer-timeout=0}.
 */
class HubBench {

    static final String OFFICE = "VN-LAOCAI";
    static final String AGENCY = "VN-DRUG";
    static final int LIMIT_N = Integer.getInteger("bench.limit.alerts", 50_000);
    static final int PEER_N = Integer.getInteger("bench.peer.alerts", 2_000);
    static final int HUB_N = Integer.getInteger("bench.hub.alerts", 10_000);
    /**
     * The hub's warm-up, in alerts. The JVM compiles the hub's hot code (Spring, Camel, Artemis, H2, Jackson: ~20,000
     * methods) for well over a minute: after 2,000 alerts its JIT still took ~2 ms of CPU per alert, a quarter of the
     * whole, and the paced run measured a JVM still compiling, not the hub a day after its start.
     */
    static final int HUB_WARMUP = Integer.getInteger("bench.hub.warmup", 30_000);
    static final int PACED_N = Integer.getInteger("bench.paced.alerts", 4_000);
    static final int PACED_WARMUP = Integer.getInteger("bench.paced.warmup", 2_000);
    static final int PACED_RATE = Integer.getInteger("bench.paced.rate", 200);
    static final int SENDERS = 8;
    /** Which parts to run (all by default; e.g. -Dbench.only=c,p while working on the hub). */
    static final String ONLY = System.getProperty("bench.only", "a,b,c,p");
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Test
    void hubAgainstTheLimitAndThePeer() throws Exception {
        Path dataDir = Path.of("target", "bench", "hub-" + RUN);
        Files.createDirectories(dataDir);
        try (ConfigurableApplicationContext hub = new SpringApplicationBuilder(BloHubApplication.class)
                .run("--blo.data-dir=" + dataDir, "--blo.broker.port=0", "--server.port=0")) {
            EmbeddedBroker broker = hub.getBean(EmbeddedBroker.class);
            Credentials credentials = hub.getBean(Credentials.class);
            assertThat(broker.settings().artemisDir()).startsWith(dataDir);
            ActiveMQConnectionFactory inVm = broker.hubConnectionFactory();
            String xml = alertXml("WARMUP");
            System.out.printf("%nhub bench: alert = BLO XML, %,d bytes; journal %s, buffer timeout %d ns; 2 CPUs shared%n",
                    xml.getBytes(StandardCharsets.UTF_8).length, broker.settings().artemisDir(),
                    broker.settings().journalBufferTimeoutNanos());

            double a = Double.NaN;
            double b = Double.NaN;
            if (ONLY.contains("a")) {
                limit(broker, inVm, LIMIT_N / 5, "warm-up");
                a = limit(broker, inVm, LIMIT_N, "measured");
            }
            if (ONLY.contains("b")) {
                // warmed as long as it is measured: its rate is bound by one consumer's commits, but the JIT's CPU counts
                peer(broker, inVm, PEER_N, "warm-up");
                b = peer(broker, inVm, PEER_N, "measured");
            }
            CamelContext camel = hub.getBean(CamelContext.class);
            ActiveMQConnectionFactory tcp = new ActiveMQConnectionFactory(broker.tcpUrl());
            String officePassword = credentials.password(OFFICE).orElseThrow();
            hubThroughput(broker, camel, tcp, officePassword, HUB_WARMUP, "warm-up");
            double c = hubThroughput(broker, camel, tcp, officePassword, HUB_N, "measured");
            // the latency is the hub's at a steady 200/s, not while it still writes the burst's trace behind it
            long drain = System.nanoTime();
            hub.getBean(Trace.class).flush(Duration.ofMinutes(5));
            System.out.printf("  (c) trace of the burst written %.1f s after its last delivery%n", (System.nanoTime() - drain) / 1e9);
            long[] latencies = {-1};
            if (ONLY.contains("p")) {
                String agencyPassword = credentials.password(AGENCY).orElseThrow();
                hubLatency(broker, tcp, officePassword, agencyPassword, PACED_WARMUP, "warm-up");
                latencies = hubLatency(broker, tcp, officePassword, agencyPassword, PACED_N, "latency");
            }

            Arrays.sort(latencies);
            double p50 = percentile(latencies, 50) / 1e6;
            double p90 = percentile(latencies, 90) / 1e6;
            double p99 = percentile(latencies, 99) / 1e6;
            double max = latencies[latencies.length - 1] / 1e6;
            System.out.printf("%n  %-52s %12s%n", "what (same broker, same alert)", "alerts/s");
            System.out.printf("  %-52s %,12.0f%n", "(a) limit: JMS relay, 4 consumers, commit per 50", a);
            System.out.printf("  %-52s %,12.0f%n", "(b) peer: Camel jms->jacksonXml->json->jms, tx", b);
            System.out.printf("  %-52s %,12.0f%n", "(c) hub: blo.inbound.VN-LAOCAI -> agency.VN-DRUG", c);
            System.out.printf("  c/a = %.3f   c/b = %.2f%n", c / a, c / b);
            System.out.printf("  (c) latency at %d alerts/s, %,d alerts: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    PACED_RATE, PACED_N, p50, p90, p99, max);
            System.out.printf("bench: limit=%.0f peer=%.0f hub=%.0f c/a=%.3f c/b=%.2f p50_ms=%.1f p99_ms=%.1f%n%n",
                    a, b, c, c / a, c / b, p50, p99);
        } finally {
            // the journal holds every alert of the run (about 1 GB); keep it only on request
            if (!Boolean.getBoolean("bench.keep")) {
                FileSystemUtils.deleteRecursively(dataDir);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (a) the limit

    private static double limit(EmbeddedBroker broker, ConnectionFactory cf, int n, String phase) throws Exception {
        String in = "hub.bench.limit.in";
        String out = "hub.bench.limit.out";
        try (Connection c = cf.createConnection()) {
            c.start();
            preload(c, in, n, i -> alertXml("LIMIT-" + RUN + "-" + phase + "-" + i));
            Queue inQ = queue(broker, in);
            Queue outQ = queue(broker, out);
            assertThat(inQ.getMessageCount()).isEqualTo(n);
            long base = outQ.getMessagesAdded();
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> relays = new ArrayList<>();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    try (Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
                        MessageConsumer consumer = s.createConsumer(s.createQueue(in));
                        MessageProducer producer = s.createProducer(s.createQueue(out));
                        int batch = 0;
                        while (!done.get()) {
                            Message m = consumer.receive(20);
                            if (m == null) {
                                if (batch > 0) {
                                    s.commit();
                                    batch = 0;
                                }
                                continue;
                            }
                            producer.send(s.createTextMessage(((TextMessage) m).getText()));
                            if (++batch == 50) {
                                s.commit();
                                batch = 0;
                            }
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "relay-" + t);
                th.start();
                relays.add(th);
            }
            double seconds = waitForAdded(outQ, base + n, 120) - t0;
            long cpuUsed = cpu() - cpu0;
            done.set(true);
            for (Thread th : relays) {
                th.join(10_000);
            }
            assertThat(failure.get()).isNull();
            assertThat(outQ.getMessagesAdded() - base).isEqualTo(n);
            assertThat(inQ.getMessageCount()).isZero();
            purge(broker, out);
            return report("(a) limit", phase, n, seconds / 1e9, cpuUsed);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (b) the peer: what a team would write without the hub

    private static double peer(EmbeddedBroker broker, ConnectionFactory cf, int n, String phase) throws Exception {
        String in = "hub.bench.peer.in";
        String out = "hub.bench.peer.out";
        try (Connection c = cf.createConnection()) {
            c.start();
            preload(c, in, n, i -> alertXml("PEER-" + RUN + "-" + phase + "-" + i));
        }
        Queue inQ = queue(broker, in);
        Queue outQ = queue(broker, out);
        assertThat(inQ.getMessageCount()).isEqualTo(n);
        long base = outQ.getMessagesAdded();
        try (CamelContext camel = new DefaultCamelContext()) {
            JmsComponent jms = new JmsComponent();
            jms.setConnectionFactory(cf);
            camel.addComponent("jms", jms);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:queue:" + in + "?transacted=true")
                            .unmarshal().jacksonXml()
                            .marshal().json()
                            .to("jms:queue:" + out);
                }
            });
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            camel.start();
            double seconds = waitForAdded(outQ, base + n, 240) - t0;
            long cpuUsed = cpu() - cpu0;
            camel.stop();
            assertThat(outQ.getMessagesAdded() - base).isEqualTo(n);
            assertThat(inQ.getMessageCount()).isZero();
            try (Connection check = cf.createConnection()) {
                check.start();
                Session s = check.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message m = s.createConsumer(s.createQueue(out)).receive(5_000);
                String json = m instanceof TextMessage t ? t.getText()
                        : new String(m.getBody(byte[].class), StandardCharsets.UTF_8); // marshal json gives bytes
                assertThat(json).startsWith("{").contains("\"sourceRef\":\"PEER-" + RUN + "-" + phase + "-");
            }
            purge(broker, out);
            return report("(b) peer", phase, n, seconds / 1e9, cpuUsed);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // (c) the hub

    private static double hubThroughput(EmbeddedBroker broker, CamelContext camel, ConnectionFactory tcp,
                                        String officePassword, int n, String phase) throws Exception {
        String routeId = "ingest-jms-" + OFFICE;
        camel.getRouteController().stopRoute(routeId);
        String inbound = BrokerTopology.inbound(OFFICE);
        try (Connection c = tcp.createConnection(OFFICE, officePassword)) {
            c.start();
            preload(c, inbound, n, i -> alertXml("HUB-" + RUN + "-" + phase + "-" + i));
        }
        Queue inQ = queue(broker, inbound);
        Queue outQ = queue(broker, BrokerTopology.agency(AGENCY));
        Queue receipts = queue(broker, BrokerTopology.receipts(OFFICE));
        Queue quarantine = queue(broker, BrokerTopology.QUARANTINE);
        assertThat(inQ.getMessageCount()).isEqualTo(n);
        long base = outQ.getMessagesAdded();
        long receiptsBase = receipts.getMessagesAdded();
        long quarantineBase = quarantine.getMessagesAdded();
        StageSampler sampler = phase.equals("measured") && Boolean.getBoolean("bench.profile")
                ? StageSampler.start("JmsConsumer[" + inbound + "]") : null;
        ThreadCpu threads0 = ThreadCpu.now();
        long t0 = System.nanoTime();
        camel.getRouteController().startRoute(routeId);
        AtomicInteger peakConsumers = new AtomicInteger();
        Route route = camel.getRoute(routeId);
        DefaultMessageListenerContainer dmlc = route.getConsumer() instanceof JmsConsumer jc
                && jc.getListenerContainer() instanceof DefaultMessageListenerContainer d ? d : null;
        double seconds = waitForAdded(outQ, base + n, 240, () -> {
            if (dmlc != null) {
                peakConsumers.accumulateAndGet(dmlc.getActiveConsumerCount(), Math::max);
            }
            return 0;
        }) - t0;
        ThreadCpu threads1 = ThreadCpu.now();
        if (sampler != null) {
            sampler.stopAndPrint();
        }
        double rate = report("(c) hub", phase, n, seconds / 1e9, threads1.processSince(threads0));
        System.out.printf("      hub consumers on %s: up to %d active%n", inbound, peakConsumers.get());
        if (phase.equals("measured")) {
            threads1.printSince(threads0, n);
        }
        assertThat(outQ.getMessagesAdded() - base).isEqualTo(n);
        // the receipt commits with the deliveries, but the broker adds a commit's messages to its queues one by one
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(receipts.getMessagesAdded() - receiptsBase).isEqualTo(n));
        assertThat(quarantine.getMessagesAdded() - quarantineBase).isZero();
        assertThat(inQ.getMessageCount()).isZero();
        purgeHubOutputs(broker);
        return rate;
    }

    /**
     * Paced sends by the office, arrivals read by the agency; returns the latencies in ns. A scheduler ticks at the
     * rate and hands each send to a pool of office sessions (a durable send waits for the broker's disk sync, which
     * one session alone cannot do 200 times a second here); the send time is taken just before the send.
     */
    private static long[] hubLatency(EmbeddedBroker broker, ConnectionFactory tcp, String officePassword,
                                     String agencyPassword, int n, String phase) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[n];
        long[] arrivals = new long[n];
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger unknown = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        CountDownLatch allSent = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        List<Session> sessions = new CopyOnWriteArrayList<>();
        try (Connection office = tcp.createConnection(OFFICE, officePassword);
             Connection agency = tcp.createConnection(AGENCY, agencyPassword)) {
            Session as = agency.createSession(false, Session.AUTO_ACKNOWLEDGE);
            as.createConsumer(as.createQueue(BrokerTopology.agency(AGENCY))).setMessageListener(m -> {
                long now = System.nanoTime();
                try {
                    Long sent = sentAt.get(m.getStringProperty("bloAlertId"));
                    if (sent == null) {
                        unknown.incrementAndGet();
                        return;
                    }
                    int i = arrived.getAndIncrement();
                    if (i < latencies.length) {
                        latencies[i] = now - sent;
                        arrivals[i] = now;
                    }
                    all.countDown();
                } catch (JMSException e) {
                    unknown.incrementAndGet();
                }
            });
            agency.start();
            ThreadLocal<Sender> ownSender = ThreadLocal.withInitial(() -> {
                try {
                    Session s = office.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    sessions.add(s);
                    return new Sender(s, s.createProducer(s.createQueue(BrokerTopology.inbound(OFFICE))));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            AtomicInteger ticks = new AtomicInteger();
            long periodNanos = 1_000_000_000L / PACED_RATE;
            ThreadCpu threads0 = ThreadCpu.now();
            long t0 = System.nanoTime();
            ScheduledFuture<?> tick = pacer.scheduleAtFixedRate(() -> {
                int i = ticks.getAndIncrement();
                if (i >= n) {
                    throw new IllegalStateException("done"); // ends the schedule
                }
                senders.execute(() -> {
                    try {
                        Sender sender = ownSender.get();
                        String ref = "PACED-" + RUN + "-" + i + "-" + System.currentTimeMillis();
                        TextMessage m = sender.session().createTextMessage(alertXml(ref));
                        m.setLongProperty("benchSentAtMillis", System.currentTimeMillis());
                        sentAt.put(Normalizer.alertId(OFFICE, ref), System.nanoTime());
                        sender.producer().send(m);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        allSent.countDown();
                    }
                });
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            assertThat(allSent.await(n / PACED_RATE * 3L + 30, TimeUnit.SECONDS)).as("all paced alerts sent").isTrue();
            double sendSeconds = (System.nanoTime() - t0) / 1e9;
            tick.cancel(false);
            assertThat(failure.get()).isNull();
            assertThat(all.await(60, TimeUnit.SECONDS)).as("all paced alerts arrived").isTrue();
            ThreadCpu threads1 = ThreadCpu.now();
            assertThat(unknown.get()).isZero();
            System.out.printf("  %-10s %-9s %,7d alerts sent at %.0f/s (target %d/s, %d office sessions), CPU %,6.0f us/alert (this JVM)%n",
                    "(c) paced", phase, n, n / sendSeconds, PACED_RATE, sessions.size(), threads1.processSince(threads0) / 1e3 / n);
            if (phase.equals("latency")) {
                threads1.printSince(threads0, n);
            }
        } finally {
            pacer.shutdownNow();
            senders.shutdownNow();
        }
        purgeHubOutputs(broker);
        String csv = System.getProperty("bench.paced.csv");
        if (csv != null && phase.equals("latency")) {
            writeTimeline(Path.of(csv), arrivals, latencies);
        }
        return latencies;
    }

    /** Arrival (ms from the first) and latency (ms) of each alert, for finding what made the slow ones slow. */
    private static void writeTimeline(Path csv, long[] arrivals, long[] latencies) throws IOException {
        StringBuilder out = new StringBuilder("arrival_ms,latency_ms\n");
        for (int i = 0; i < arrivals.length; i++) {
            out.append(String.format(Locale.ROOT, "%.1f,%.2f%n", (arrivals[i] - arrivals[0]) / 1e6, latencies[i] / 1e6));
        }
        Files.writeString(csv, out);
        System.out.printf("      timeline written to %s (wall clock of the first arrival: %s)%n", csv, Instant.now()
                .minusNanos(System.nanoTime() - arrivals[0]));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One office session of the paced sender pool (a JMS session is for one thread). */
    record Sender(Session session, MessageProducer producer) {
    }

    interface Body {
        String of(int i);
    }

    /** n persistent TextMessages on the queue, committed every 200. */
    private static void preload(Connection c, String queue, int n, Body body) throws JMSException {
        try (Session s = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (int i = 0; i < n; i++) {
                p.send(s.createTextMessage(body.of(i)));
                if (i % 200 == 199) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    private static Queue queue(EmbeddedBroker broker, String name) throws Exception {
        Queue q = broker.server().locateQueue(SimpleString.of(name));
        if (q == null && name.startsWith("hub.bench.")) {
            q = broker.server().createQueue(QueueConfiguration.of(name).setAddress(name)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true).setAutoCreateAddress(true));
        }
        assertThat(q).as("queue " + name).isNotNull();
        return q;
    }

    private static long waitForAdded(Queue q, long target, int timeoutSeconds) {
        return waitForAdded(q, target, timeoutSeconds, () -> 0);
    }

    /** Polls the queue's count of messages added every ms; returns System.nanoTime() when it reached the target. */
    private static long waitForAdded(Queue q, long target, int timeoutSeconds, LongSupplier eachPoll) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            if (q.getMessagesAdded() >= target) {
                return System.nanoTime();
            }
            eachPoll.getAsLong();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(q.getName() + ": " + q.getMessagesAdded() + " added, " + target
                        + " expected within " + timeoutSeconds + " s");
            }
            LockSupport.parkNanos(1_000_000); // a 1 ms poll interval
        }
    }

    private static void purge(EmbeddedBroker broker, String queue) throws Exception {
        queue(broker, queue).deleteAllReferences();
    }

    /** The hub's other outputs of the alert (the other agencies' queues, the receipts) are not read here. */
    private static void purgeHubOutputs(EmbeddedBroker broker) throws Exception {
        for (String q : broker.topology().queues()) {
            if (q.startsWith(BrokerTopology.AGENCY_PREFIX) || q.startsWith(BrokerTopology.RECEIPTS_PREFIX)
                    || q.startsWith(BrokerTopology.OUTBOX_PREFIX)) {
                purge(broker, q);
            }
        }
    }

    private static double report(String what, String phase, int n, double seconds, long cpuNanos) {
        double rate = n / seconds;
        System.out.printf("  %-10s %-9s %,7d alerts in %6.2f s = %,8.0f alerts/s, CPU %,6.0f us/alert (this JVM)%n",
                what, phase, n, seconds, rate, cpuNanos / 1e3 / n);
        return rate;
    }

    /** CPU time of this whole JVM (hub, broker, bench): per alert, it does not depend on the share of the CPUs got. */
    private static long cpu() {
        return ThreadCpu.processCpu();
    }

    private static double percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /**
     * The bench's alert: BLO XML (urn:blo:alert:1), about 1 KB, drug trafficking at Lao Cai, Severe, TLP:AMBER: the
     * hub routes it to VN-FOCAL, VN-DRUG, VN-CUSTOMS and CN-FOCAL.
     */
    static String alertXml(String sourceRef) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <alert xmlns="urn:blo:alert:1">
                  <sourceRef>%s</sourceRef>
                  <sentAt>2026-11-23T09:15:00+07:00</sentAt>
                  <status>Actual</status>
                  <msgType>Alert</msgType>
                  <category>DRUG_TRAFFICKING</category>
                  <category>PRECURSOR_CHEMICALS</category>
                  <urgency>Immediate</urgency>
                  <severity>Severe</severity>
                  <certainty>Observed</certainty>
                  <language>vi</language>
                  <headline>Bắt giữ 12 kg methamphetamine tại cửa khẩu Lào Cai</headline>
                  <description>Lực lượng biên phòng phát hiện xe tải biển số 24C-123.45 chở 12 kg methamphetamine giấu trong thùng hàng nông sản; tài xế Nguyễn Văn A đã bị tạm giữ.</description>
                  <areas>
                    <areaDesc>Cửa khẩu quốc tế Lào Cai</areaDesc>
                    <country>VN</country>
                    <unLocode>VNLCA</unLocode>
                    <lat>22.5036</lat>
                    <lon>103.9614</lon>
                  </areas>
                  <subjects>
                    <type>VEHICLE</type>
                    <name>24C-123.45</name>
                    <nationality>VN</nationality>
                  </subjects>
                  <subjects>
                    <type>COMMODITY</type>
                    <name>methamphetamine</name>
                    <quantity>12</quantity>
                    <unit>kg</unit>
                  </subjects>
                  <tlp>TLP:AMBER</tlp>
                </alert>
                """.formatted(sourceRef);
    }
}
