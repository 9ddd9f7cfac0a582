package org.blohub.sftp;

import com.fasterxml.jackson.core.JacksonException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.blohub.alert.CleanText;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jms.JmsException;
import org.springframework.transaction.TransactionException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

/**
 * How the SFTP intake tells a transient fault, which a later attempt can get past, from a permanent one, which no
 * retry fixes. Transient: the machinery is down or busy: the SFTP server or connection (an I/O error, a failed file
 * operation), the broker (JMS), the database (SQL, Spring's data access or transaction failures, a constraint
 * violation aside), the VM itself (an {@link Error}). Anything else is the item's own: its content, a rendering that
 * cannot be made. A transient fault fails the attempt, which is retried from its checkpoint; a permanent one rejects
 * the item at once (a REJECTED receipt row, quarantine) and the file goes on.
 */
final class SftpFaults {

    private SftpFaults() {
    }

    static boolean isTransient(Throwable fault) {
        for (Throwable t = fault; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataIntegrityViolationException || t instanceof SQLIntegrityConstraintViolationException
                    || t instanceof JacksonException) { // Jackson's are IOExceptions: a JSON that cannot be made
                return false;
            }
            if (t instanceof IOException || t instanceof GenericFileOperationFailedException
                    || t instanceof jakarta.jms.JMSException || t instanceof JmsException
                    || t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException
                    || t instanceof Error) {
                return true;
            }
        }
        return false;
    }

    /** The fault for a log line or a receipt: its deepest cause's class and message, escaped. */
    static String describe(Throwable fault) {
        Throwable root = fault;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return CleanText.escape(root.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
}
