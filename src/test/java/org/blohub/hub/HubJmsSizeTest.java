package org.blohub.hub;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Credentials;
import org.blohub.ingest.JmsIngress;
import org.blohub.operations.MessageIds;
import org.blohub.operations.OperationException;
import org.blohub.operations.QuarantineStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Size before reading, over JMS (the test base's limit: 1 MiB). The broker refuses an office's send above the limit,
 * so the office's client fails with the size and the limit and nothing is accepted; a text counts its characters. A
 * message the broker lets through (the hub's own re-send for an operator) is refused by the ingest by its length
 * without reading its body: a REJECTED receipt naming the size and the limit, and a quarantine entry without the body.
 */
class HubJmsSizeTest extends HubTestSupport {

    @Autowired
    QuarantineStore quarantine;

    static final String OFFICE = "VN-LAOCAI";
    static final int LIMIT = 1_048_576;

    @Test
    void theBrokerRefusesAnOfficesOversizedBytesMessage() throws Exception {
        int before = count(BrokerTopology.inbound(OFFICE), null);
        assertThatThrownBy(() -> sendBytes(OFFICE, new byte[2 * LIMIT]))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("message of 2097152 bytes is over the limit of 1048576 bytes");
        assertThat(count(BrokerTopology.inbound(OFFICE), null)).as("accepted").isEqualTo(before);
    }

    @Test
    void aTextCountsItsCharacters() throws Exception {
        assertThatThrownBy(() -> sendText(OFFICE, "a".repeat(LIMIT + 10)))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("message of " + (LIMIT + 10) + " characters is over the limit of 1048576 bytes");
        // 700,000 ASCII chars: 1.4 MB as the broker holds it (UTF-16), 700 kB of UTF-8: within the limit, so read
        String id = sendText(OFFICE, "a".repeat(700_000));
        JsonNode receipt = receipt(OFFICE, id);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").toString()).doesNotContain("over the limit");
    }

    @Test
    void theIngestRefusesByLengthWithoutReadingAndQuarantinesWithoutTheBody() throws Exception {
        // the hub's re-send for an operator: let through by the broker, checked by the ingest
        Session hub = session(Credentials.HUB);
        BytesMessage m = hub.createBytesMessage();
        m.writeBytes(new byte[3 * LIMIT]);
        m.setStringProperty(JmsIngress.RESENT_BY, "operator-1");
        m.setStringProperty(JmsIngress.RESENT_ACTION, "RESUBMIT");
        hub.createProducer(hub.createQueue(BrokerTopology.inbound(OFFICE))).send(m);
        String id = m.getJMSMessageID();

        JsonNode receipt = receipt(OFFICE, id);
        assertThat(receipt.get("status").asText()).isEqualTo("REJECTED");
        assertThat(receipt.get("errors").get(0).asText())
                .contains("message of 3145728 bytes is over the limit of 1048576 bytes (blo.ingest.max-document-bytes)")
                .contains("not read");

        List<Message> kept = quarantined(id);
        assertThat(kept).hasSize(1);
        BytesMessage q = (BytesMessage) kept.get(0);
        assertThat(q.getStringProperty("bloRefusedSize")).isEqualTo("3145728 bytes");
        assertThat(q.getBodyLength()).as("body kept").isZero();
        assertThat(q.getStringProperty("bloReason")).contains("3145728 bytes");

        // without its body it cannot go again as it was: only with a corrected one
        String quarantineId = MessageIds.encode(q.getJMSMessageID());
        assertThatThrownBy(() -> quarantine.resubmit(quarantineId, null, null, Credentials.OPERATOR))
                .isInstanceOf(OperationException.Refused.class).hasMessageContaining("3145728 bytes")
                .hasMessageContaining("corrected body");
        assertThat(quarantined(id)).as("still kept").hasSize(1);
    }

    /** The quarantine's entries for this message, browsed (they stay for the operators). */
    private List<Message> quarantined(String originalId) throws JMSException {
        Session s = session(Credentials.HUB);
        List<Message> out = new ArrayList<>();
        try (QueueBrowser b = s.createBrowser(s.createQueue("hub.quarantine"), "bloOriginalId = '" + originalId + "'")) {
            for (var e = b.getEnumeration(); e.hasMoreElements(); ) {
                out.add((Message) e.nextElement());
            }
        }
        return out;
    }
}
