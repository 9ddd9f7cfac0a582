package org.blohub.operations;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/**
 * Plain JMS work on the hub's connection factory, one connection per call (operator actions are rare; the embedded
 * broker's connection is in-VM). Works the same on the embedded broker and an external one.
 */
final class Jms {

    @FunctionalInterface
    interface Work<T> {
        T run(Session session) throws JMSException;
    }

    private final ConnectionFactory connectionFactory;

    Jms(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Reads (browses) in a non-transacted session. */
    <T> T read(Work<T> work) {
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            return work.run(c.createSession(false, Session.AUTO_ACKNOWLEDGE));
        } catch (JMSException e) {
            throw new OperationException.Failed("the broker could not be read: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} in one local JMS transaction: everything it received and sent commits together, or - on any
     * exception, an {@link OperationException} included - is rolled back together, so nothing is lost or doubled.
     */
    <T> T transacted(Work<T> work) {
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            T result;
            try {
                result = work.run(s);
            } catch (RuntimeException | JMSException e) {
                rollback(s, e);
                throw e;
            }
            s.commit();
            return result;
        } catch (JMSException e) {
            throw new OperationException.Failed("the broker rolled the action back: " + e.getMessage(), e);
        }
    }

    private static void rollback(Session s, Exception cause) {
        try {
            s.rollback();
        } catch (JMSException e) {
            cause.addSuppressed(e);
        }
    }
}
