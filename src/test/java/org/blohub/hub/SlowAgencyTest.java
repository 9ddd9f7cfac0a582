package org.blohub.hub;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.broker.Credentials;
import org.blohub.normalize.Normalizer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show 5 (issue "The hub over JMS and HTTP"): an agency whose queue nobody reads holds up no other. VN-LAOCAI
 * sends N alerts routed to VN-FOCAL, VN-DRUG, VN-CUSTOMS and CN-FOCAL; nobody reads agency.VN-CUSTOMS; VN-DRUG
 * still gets all N promptly, and agency.VN-CUSTOMS holds all N for when its agency comes back.
 */
class SlowAgencyTest extends HubTestSupport {

    static final int N = 300;
    static final String OFFICE = "VN-LAOCAI";

    @Test
    void anAgencyNobodyReadsHoldsUpNoOther() throws Exception {
        Set<String> alertIds = new LinkedHashSet<>();
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(broker.tcpUrl());
        long start = System.nanoTime();
        try (Connection c = cf.createConnection(OFFICE, password(OFFICE))) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue("blo.inbound." + OFFICE));
            for (int i = 0; i < N; i++) {
                String ref = uniqueRef("SLOW");
                p.send(s.createTextMessage(HubJmsEndToEndTest.json(ref)));
                alertIds.add(Normalizer.alertId(OFFICE, ref));
            }
            s.commit();
        }

        // VN-DRUG reads; VN-CUSTOMS does not
        Set<String> drug = new HashSet<>();
        try (Connection c = cf.createConnection("VN-DRUG", password("VN-DRUG"))) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("agency.VN-DRUG"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!drug.containsAll(alertIds) && System.nanoTime() < deadline) {
                Message m = consumer.receive(10_000);
                if (m == null) {
                    break;
                }
                drug.add(m.getStringProperty("bloAlertId"));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(drug).as("VN-DRUG's alerts").containsAll(alertIds);
        assertThat(took).as("all %d to VN-DRUG", N).isLessThan(Duration.ofSeconds(60));

        List<String> held = onCustomsQueue(alertIds);
        assertThat(held).as("held for VN-CUSTOMS").containsExactlyInAnyOrderElementsOf(alertIds);
        System.out.printf("[slow-agency] VN-DRUG received all %d alerts %d ms after the send began, while nobody read "
                + "agency.VN-CUSTOMS, which holds %d of them%n", N, took.toMillis(), held.size());

        // when VN-CUSTOMS comes back it gets them all (and the queue is left clean for other tests)
        Set<String> customs = new HashSet<>();
        try (Connection c = cf.createConnection("VN-CUSTOMS", password("VN-CUSTOMS"))) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("agency.VN-CUSTOMS"));
            while (!customs.containsAll(alertIds)) {
                Message m = consumer.receive(10_000);
                if (m == null) {
                    break;
                }
                customs.add(m.getStringProperty("bloAlertId"));
            }
        }
        assertThat(customs).containsAll(alertIds);
    }

    /** The alerts of this test on agency.VN-CUSTOMS, browsed with the hub's rights (nothing is consumed). */
    private List<String> onCustomsQueue(Set<String> ours) throws Exception {
        Session s = session(Credentials.HUB);
        List<String> held = new ArrayList<>();
        try (QueueBrowser b = s.createBrowser(s.createQueue("agency.VN-CUSTOMS"))) {
            for (var e = b.getEnumeration(); e.hasMoreElements(); ) {
                String id = ((Message) e.nextElement()).getStringProperty("bloAlertId");
                if (ours.contains(id)) {
                    held.add(id);
                }
            }
        }
        return held;
    }
}
