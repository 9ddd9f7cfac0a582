package org.blohub.sftp;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.blohub.broker.EmbeddedBroker;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;

/**
 * The JMS transaction of a chunk ({@code direct:sftp-chunk}): like the API's ({@code apiTransaction}), a
 * {@link JmsTransactionManager} bound to the hub's connection factory, so that every {@code jms:} send of the chunk's
 * routes joins it and all commit together. But a chunk sends hundreds of messages, and a plain transaction opens a
 * new connection and session, and every send a new producer, each a round trip to the broker (checking the
 * destination on creation): measured here at about 140 rows/s. This one takes its sessions from a cache on its own
 * connection (a copy of the hub's connection factory that caches destinations), keeping one producer per
 * destination: one session per chunk, no lookup per message.
 */
public final class SftpTransactions extends JmsTransactionManager {

    private final CachingConnectionFactory cache;

    public SftpTransactions(ConnectionFactory hub) {
        super(hub); // the key the routes' JmsTemplates look the transaction up by
        ConnectionFactory own = hub;
        if (hub instanceof ActiveMQConnectionFactory a) {
            ActiveMQConnectionFactory copy;
            try {
                copy = new ActiveMQConnectionFactory(a.toURI().toString(), a.getUser(), a.getPassword());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot copy the hub's connection factory: " + e.getMessage(), e);
            }
            copy.setCacheDestinations(true);
            own = EmbeddedBroker.refuseObjectMessages(copy);
        }
        cache = new CachingConnectionFactory(own);
        cache.setSessionCacheSize(8);
        cache.setCacheProducers(true);
        cache.setCacheConsumers(false);
        cache.setReconnectOnException(true);
    }

    @Override
    protected Connection createConnection() throws JMSException {
        return cache.createConnection();
    }

    public void destroy() {
        cache.destroy();
    }
}
