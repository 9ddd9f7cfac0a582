package org.blohub.sftp;

import com.fasterxml.jackson.core.JsonGenerationException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jms.UncategorizedJmsException;

import javax.xml.stream.XMLStreamException;
import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class SftpFaultsTest {

    @Test
    void theMachineryDownIsTransient() {
        assertThat(SftpFaults.isTransient(new IOException("connection reset"))).isTrue();
        assertThat(SftpFaults.isTransient(new GenericFileOperationFailedException("cannot store receipts/x"))).isTrue();
        assertThat(SftpFaults.isTransient(new CamelExecutionException("chunk", null,
                new UncategorizedJmsException(new jakarta.jms.JMSException("broker gone"))))).isTrue();
        assertThat(SftpFaults.isTransient(new CannotGetJdbcConnectionException("db down", new SQLException("x")))).isTrue();
        assertThat(SftpFaults.isTransient(new RuntimeException(new OutOfMemoryError("Java heap space")))).isTrue();
    }

    @Test
    void whatNoRetryCanFixIsPermanent() {
        assertThat(SftpFaults.isTransient(new IllegalArgumentException("alert cannot be written as XML: bad char",
                new XMLStreamException("bad char")))).isFalse();
        // Jackson's exceptions are IOExceptions, but a JSON that cannot be written will not be written next time either
        assertThat(SftpFaults.isTransient(new IllegalStateException("cannot be written as JSON",
                new JsonGenerationException("bad", (Throwable) null)))).isFalse();
        assertThat(SftpFaults.isTransient(new CamelExecutionException("chunk", null,
                new IllegalArgumentException("CAP needs the alert's sentAt")))).isFalse();
    }

    @Test
    void aFaultIsDescribedByItsDeepestCauseEscaped() {
        assertThat(SftpFaults.describe(new CamelExecutionException("chunk", null,
                new IllegalArgumentException("name\u001b[31m")))).isEqualTo("IllegalArgumentException: name\\u001b[31m");
    }
}
