package org.blohub.operations;

import jakarta.jms.ConnectionFactory;
import org.blohub.broker.BrokerTopology;
import org.blohub.broker.Principals;
import org.blohub.office.OfficeRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Operators' beans (issue 5): {@link DeadLetters}, {@link QuarantineStore} and the {@link OperatorAudit}, plain
 * Spring beans the REST API ({@link OperationsController}) and the web console call.
 *
 * <pre>
 * blo.operations.receive-timeout   5s   how long an action waits for the broker to hand over the message it acts on
 * </pre>
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    @Bean
    OperatorAudit operatorAudit(JdbcTemplate jdbc) {
        return new OperatorAudit(jdbc, Clock.systemUTC());
    }

    @Bean
    DeadLetters deadLetters(ConnectionFactory connectionFactory, OperatorAudit audit, Principals principals,
                            @Value("${blo.operations.receive-timeout:5s}") Duration receiveTimeout) {
        return new DeadLetters(connectionFactory, audit, () -> knownQueues(principals), receiveTimeout);
    }

    @Bean
    QuarantineStore quarantineStore(ConnectionFactory connectionFactory, OperatorAudit audit, OfficeRegistry offices,
                                    @Value("${blo.operations.receive-timeout:5s}") Duration receiveTimeout) {
        return new QuarantineStore(connectionFactory, audit, offices, receiveTimeout);
    }

    /** The hub's queues that can dead-letter: every office's inbound queue, every agency's queue and outbox. */
    static Collection<String> knownQueues(Principals principals) {
        List<String> q = new ArrayList<>();
        principals.officeIds().forEach(o -> q.add(BrokerTopology.inbound(o)));
        for (String a : principals.agencyIds()) {
            q.add(BrokerTopology.agency(a));
            q.add(BrokerTopology.outbox(a));
        }
        return q;
    }
}
