package org.blohub.broker;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.LargeServerMessage;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.blohub.alert.CleanText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker refuses a message above the document limit on an office's address ({@code blo.inbound.<OFFICE>}): the
 * office's send fails with the size and the limit, and nothing is accepted, so nothing is lost. Artemis has streamed a
 * large message to its large-messages directory by the time the send is checked, so no body is ever held in memory
 * for it. The hub's own sends there (an operator's replay or re-submission) are let through: the JMS ingest checks
 * them by the same rule ({@link MessageSize}) and answers the office with a REJECTED receipt.
 */
final class InboundSizeLimit implements ActiveMQServerMessagePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(InboundSizeLimit.class);

    private final long limit;

    InboundSizeLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        String address = message.getAddress();
        if (address == null || !address.startsWith(BrokerTopology.INBOUND_PREFIX)
                || Credentials.HUB.equals(session.getValidatedUser())) {
            return;
        }
        boolean text = message instanceof ICoreMessage c && c.getType() == Message.TEXT_TYPE;
        long body = bodyBytes(message);
        long measure = text ? MessageSize.textChars(body) : body;
        if (MessageSize.over(measure, limit)) {
            String refusal = MessageSize.refusal(measure, text, limit);
            LOG.warn("Refused a message from '{}' to {}: {}", CleanText.escape(session.getValidatedUser()),
                    CleanText.escape(address), refusal);
            throw new ActiveMQException(ActiveMQExceptionType.GENERIC_EXCEPTION, "BLO Hub refused the message: "
                    + refusal + "; nothing was accepted");
        }
    }

    private static long bodyBytes(Message message) throws ActiveMQException {
        if (message instanceof LargeServerMessage large) {
            return large.getLargeBody().getBodySize();
        }
        if (message instanceof ICoreMessage core) {
            return core.getBodyBufferSize();
        }
        return message.getWholeMessageSize();
    }
}
