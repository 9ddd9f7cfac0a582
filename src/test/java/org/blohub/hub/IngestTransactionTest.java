package org.blohub.hub;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DESIGN §2 "transacted=true alone is not atomic here" (prove it in a test, not by reading the URI): a broker plugin
 * records the transaction of every acknowledgement on blo.inbound.VN-LAOCAI and of every send to the agencies and
 * the receipts queue. Each inbound message's ack must share one transaction with its four deliveries and its
 * receipt, and nothing of these alerts may be sent outside such a transaction. Without
 * {@code exposeListenerSession=true} on the ingest route every send ran in a session and transaction of its own.
 */
class IngestTransactionTest extends HubTestSupport {

    static final String OFFICE = "VN-LAOCAI";

    /** What happened in one broker transaction ({@code null} key: outside any transaction). */
    private final Map<Object, List<String>> byTx = new ConcurrentHashMap<>();

    private void record(Transaction tx, String event) {
        byTx.computeIfAbsent(tx == null ? "none" : tx.getID(), k -> new CopyOnWriteArrayList<>()).add(event);
    }

    @Test
    void eachInboundAckSharesOneTransactionWithItsDeliveriesAndItsReceipt() throws Exception {
        int n = 100;
        ActiveMQServerMessagePlugin plugin = new ActiveMQServerMessagePlugin() {
            @Override
            public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                                   boolean noAutoCreateQueue) {
                String address = message.getAddress();
                if (address.startsWith("agency.")) {
                    record(tx, address + " " + message.getStringProperty("bloAlertId"));
                } else if (address.equals("blo.receipts." + OFFICE)) {
                    record(tx, address);
                }
            }

            @Override
            public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
                if (ref.getMessage().getAddress().equals("blo.inbound." + OFFICE)) {
                    record(tx, "ack ID:" + ref.getMessage().getUserID());
                }
            }
        };
        Map<String, String> alertIdByInbound = new HashMap<>();
        broker.server().registerBrokerPlugin(plugin);
        try {
            try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection(OFFICE, password(OFFICE))) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageProducer p = s.createProducer(s.createQueue("blo.inbound." + OFFICE));
                for (int i = 0; i < n; i++) {
                    String ref = uniqueRef("TX");
                    TextMessage m = s.createTextMessage(HubJmsEndToEndTest.json(ref));
                    p.send(m);
                    alertIdByInbound.put(m.getJMSMessageID(), Normalizer.alertId(OFFICE, ref));
                }
                s.commit();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acked(alertIdByInbound.keySet()) == n);
        } finally {
            broker.server().unRegisterBrokerPlugin(plugin);
        }

        List<String> wrong = new ArrayList<>();
        for (List<String> tx : byTx.values()) {
            String ack = tx.stream().filter(e -> e.startsWith("ack ")).findFirst().orElse(null);
            String alertId = ack == null ? null : alertIdByInbound.get(ack.substring(4));
            if (alertId == null) {
                // not one of ours, or sends without an ack in their transaction: wrong if they are ours
                if (tx.stream().anyMatch(e -> alertIdByInbound.values().stream().anyMatch(e::endsWith))) {
                    wrong.add("sent outside the consume's transaction: " + tx);
                }
                continue;
            }
            List<String> expected = List.of("agency.VN-FOCAL " + alertId, "agency.VN-DRUG " + alertId,
                    "agency.VN-CUSTOMS " + alertId, "agency.CN-FOCAL " + alertId, "blo.receipts." + OFFICE, ack);
            if (!(tx.size() == expected.size() && tx.containsAll(expected))) {
                wrong.add(tx.toString());
            }
        }
        assertThat(wrong).as("transactions that are not {4 deliveries, receipt, ack}").isEmpty();
        assertThat(byTx.values().stream().filter(tx -> tx.stream().anyMatch(e -> e.startsWith("ack ")
                && alertIdByInbound.containsKey(e.substring(4)))).count()).isEqualTo(n);
    }

    private long acked(java.util.Set<String> inbound) {
        return byTx.values().stream().flatMap(List::stream)
                .filter(e -> e.startsWith("ack ") && inbound.contains(e.substring(4))).count();
    }
}
