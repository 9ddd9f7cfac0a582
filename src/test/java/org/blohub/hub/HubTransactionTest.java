package org.blohub.hub;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.ServerConsumer;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.impl.AckReason;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.blohub.broker.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stage hands over inside ONE broker transaction (DESIGN §7): for each inbound message, the acknowledgement
 * of blo.inbound.&lt;OFFICE&gt; and every send it causes (the agencies' deliveries and the receipt, or the quarantine
 * and the REJECTED receipt) are in the same transaction, on the consumer's own session. Watched from inside the
 * broker. Camel 4's JMS component does not expose the listener's session by default
 * ({@code exposeListenerSession=false}): then each send made its own connection and committed on its own, before
 * the consume did.
 */
class HubTransactionTest extends HubTestSupport {

    /** What the broker saw: an ack or a send, its transaction and its session. */
    record Op(String kind, String address, String user, Long tx, String session) {
    }

    private final List<Op> ops = new CopyOnWriteArrayList<>();
    private final ActiveMQServerMessagePlugin watcher = new ActiveMQServerMessagePlugin() {
        @Override
        public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                               boolean noAutoCreateQueue) {
            ops.add(new Op("send", message.getAddress(), session.getUsername(), tx == null ? null : tx.getID(),
                    session.getName()));
        }

        @Override
        public void messageAcknowledged(Transaction tx, MessageReference ref, AckReason reason, ServerConsumer consumer) {
            ops.add(new Op("ack", ref.getQueue().getName().toString(), null, tx == null ? null : tx.getID(),
                    consumer == null ? null : consumer.getSessionName()));
        }
    };

    @AfterEach
    void unwatch() {
        broker.server().unRegisterBrokerPlugin(watcher);
    }

    @Test
    void theConsumeAndEverySendItCausesCommitTogetherOnTheConsumersSession() throws Exception {
        broker.server().registerBrokerPlugin(watcher);
        String accepted = sendText("VN-LAOCAI", HubJmsEndToEndTest.json(uniqueRef("LC")));
        String rejected = sendText("VN-LAOCAI", "{\"sourceRef\": \"broken\", ");
        assertThat(receipt("VN-LAOCAI", accepted).get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipt("VN-LAOCAI", rejected).get("status").asText()).isEqualTo("REJECTED");

        List<Op> acks = ops.stream().filter(o -> o.kind().equals("ack") && o.address().equals("blo.inbound.VN-LAOCAI"))
                .toList();
        assertThat(acks).hasSize(2).allSatisfy(a -> assertThat(a.tx()).as("acked in a transaction").isNotNull());
        Map<Long, List<String>> sendsByTx = ops.stream()
                .filter(o -> o.kind().equals("send") && Credentials.HUB.equals(o.user()))
                .peek(o -> assertThat(o.tx()).as("send to %s in a transaction", o.address()).isNotNull())
                .collect(Collectors.groupingBy(Op::tx, Collectors.mapping(Op::address, Collectors.toList())));
        // each inbound message: one transaction holding its ack and all its sends, nothing in any other
        assertThat(sendsByTx.keySet()).containsExactlyInAnyOrderElementsOf(acks.stream().map(Op::tx).toList());
        assertThat(sendsByTx.values()).containsExactlyInAnyOrder(
                List.of("agency.VN-FOCAL", "agency.VN-DRUG", "agency.VN-CUSTOMS", "agency.CN-FOCAL", "blo.receipts.VN-LAOCAI"),
                List.of("hub.quarantine", "blo.receipts.VN-LAOCAI"));
        for (Op ack : acks) {
            assertThat(ops.stream().filter(o -> o.kind().equals("send") && ack.tx().equals(o.tx())))
                    .as("sent on the session that consumed").allSatisfy(o -> assertThat(o.session()).isEqualTo(ack.session()));
        }
    }
}
