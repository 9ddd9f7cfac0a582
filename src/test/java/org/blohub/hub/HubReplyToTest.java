package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.Queue;
import org.blohub.alert.AlertJson;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub never does request-reply on a channel: an office whose JMS client sets JMSReplyTo (a temporary queue, or a
 * named one) gets its one ACCEPTED receipt on blo.receipts.&lt;OFFICE&gt; at once, each agency gets the alert once
 * without the reply address or any of the sender's properties, nothing is dead-lettered and nothing is sent to the
 * reply address.
 */
class HubReplyToTest extends HubTestSupport {

    static final String OFFICE = "VN-LAOCAI";
    static final List<String> AGENCIES = List.of("VN-FOCAL", "VN-DRUG", "VN-CUSTOMS", "CN-FOCAL");

    @Test
    void aTemporaryReplyQueueIsIgnored() throws Exception {
        Session hub = session(Credentials.HUB);
        // an office cannot create queues on the hub's broker; the hub's session holds the temporary queue the
        // office's client names as its reply address
        Destination replyTo = hub.createTemporaryQueue();
        MessageConsumer replies = hub.createConsumer(replyTo);
        oneWay(replyTo);
        assertThat(replies.receive(500)).as("a reply on the temporary queue").isNull();
    }

    @Test
    void aNamedReplyQueueIsIgnored() throws Exception {
        // the office's own receipts queue as reply address: a reply would be a second message correlated to the send
        Session office = session(OFFICE);
        oneWay(office.createQueue(BrokerTopology.receipts(OFFICE)));
    }

    private void oneWay(Destination replyTo) throws Exception {
        String ref = uniqueRef("RT");
        String alertId = Normalizer.alertId(OFFICE, ref);
        Session s = session(OFFICE);
        TextMessage m = s.createTextMessage(HubJmsEndToEndTest.json(ref));
        m.setJMSReplyTo(replyTo);
        m.setStringProperty("clientTag", "office-side");
        m.setStringProperty("CamelJmsDeliveryMode", "1");
        s.createProducer(s.createQueue(BrokerTopology.inbound(OFFICE))).send(m);
        String inboundId = m.getJMSMessageID();

        // promptly, well under a request-reply's 20 s timeout, and exactly one
        List<JsonNode> receipts = Collections.synchronizedList(new ArrayList<>());
        Session r = session(OFFICE);
        MessageConsumer rc = r.createConsumer(r.createQueue(BrokerTopology.receipts(OFFICE)),
                "JMSCorrelationID = '" + inboundId + "'");
        await("the receipt").atMost(Duration.ofSeconds(15)).until(() -> {
            Message got = rc.receive(200);
            if (got != null) {
                assertThat(got.getJMSReplyTo()).as("a receipt's JMSReplyTo").isNull();
                assertThat(got.propertyExists("clientTag")).as("the sender's property on the receipt").isFalse();
                receipts.add(AlertJson.mapper().readTree(((TextMessage) got).getText()));
            }
            return !receipts.isEmpty();
        });
        assertThat(rc.receive(1_000)).as("a second message correlated to the send").isNull();
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(receipts.get(0).get("routedTo")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(AGENCIES);

        for (String agency : AGENCIES) {
            List<Message> got = agencyReads(agency, alertId);
            assertThat(got).as("messages for %s on agency.%s", alertId, agency).hasSize(1);
            Message delivered = got.get(0);
            assertThat(delivered.getJMSReplyTo()).as("JMSReplyTo on agency.%s", agency).isNull();
            assertThat(Collections.list(delivered.getPropertyNames())).as("properties on agency.%s", agency)
                    .doesNotContain("clientTag", "CamelJmsDeliveryMode");
        }
        assertThat(deadLettered(BrokerTopology.inbound(OFFICE))).as("dead-lettered inbound messages").isZero();
        assertThat(count(BrokerTopology.inbound(OFFICE), null)).as("left on the inbound queue").isZero();
    }

    private List<Message> agencyReads(String agency, String alertId) throws JMSException {
        Session s = session(agency);
        List<Message> out = new ArrayList<>();
        try (MessageConsumer c = s.createConsumer(s.createQueue(BrokerTopology.agency(agency)), "bloAlertId = '" + alertId + "'")) {
            Message m = c.receive(20_000);
            while (m != null) {
                out.add(m);
                m = c.receive(300);
            }
        }
        return out;
    }

    private long deadLettered(String queue) {
        Queue q = broker.server().locateQueue(SimpleString.of(BrokerTopology.deadLetters(queue)));
        return q == null ? 0 : q.getMessageCount();
    }
}
