package org.blohub.sftp;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;

/**
 * The SFTP consumers' idempotent repository: camel-sql's {@link JdbcMessageIdRepository} on the hub's database (table
 * {@code sftp_claim}, created by Flyway, never by the repository), shared by every hub instance, with keys longer
 * than its 100-character column stored as their SHA-256 ({@link SftpFiles#stored}). One instance serves every
 * office's route; its life is the application's, not a route's (stopping one route does not stop it).
 *
 * <p>{@link #add} is one {@code INSERT ... ON CONFLICT DO NOTHING} instead of the repository's check-then-insert:
 * when two hub instances register the same key at once, the second simply gets {@code false}, without a
 * duplicate-key error that on PostgreSQL would abort a transaction the call joined.
 */
public final class SftpClaims extends ServiceSupport implements IdempotentRepository {

    private final JdbcMessageIdRepository jdbc;
    private final JdbcTemplate insert;

    public SftpClaims(DataSource dataSource) {
        insert = new JdbcTemplate(dataSource);
        jdbc = new JdbcMessageIdRepository(dataSource, SftpFiles.PROCESSOR);
        jdbc.setTableName("sftp_claim");
        jdbc.setCreateTableIfNotExists(false);
        jdbc.start();
    }

    @Override
    public boolean add(String key) {
        return insert.update("INSERT INTO sftp_claim (processorName, messageId, createdAt) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", SftpFiles.PROCESSOR, SftpFiles.stored(key),
                new Timestamp(System.currentTimeMillis())) == 1;
    }

    @Override
    public boolean contains(String key) {
        return jdbc.contains(SftpFiles.stored(key));
    }

    @Override
    public boolean remove(String key) {
        return jdbc.remove(SftpFiles.stored(key));
    }

    @Override
    public boolean confirm(String key) {
        return jdbc.confirm(SftpFiles.stored(key));
    }

    @Override
    public void clear() {
        jdbc.clear();
    }

    @Override
    protected void doStop() {
        // shared by every office's route: it lives as long as the application
    }
}
