package org.blohub.sftp;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import javax.sql.DataSource;

/**
 * The SFTP consumers' idempotent repository: camel-sql's {@link JdbcMessageIdRepository} on the hub's database (table
 * {@code sftp_claim}, created by Flyway, never by the repository), shared by every hub instance, with keys longer
 * than its 100-character column stored as their SHA-256 ({@link SftpFiles#stored}). One instance serves every
 * office's route; its life is the application's, not a route's (stopping one route does not stop it).
 */
public final class SftpClaims extends ServiceSupport implements IdempotentRepository {

    private final JdbcMessageIdRepository jdbc;

    public SftpClaims(DataSource dataSource) {
        jdbc = new JdbcMessageIdRepository(dataSource, SftpFiles.PROCESSOR);
        jdbc.setTableName("sftp_claim");
        jdbc.setCreateTableIfNotExists(false);
        jdbc.start();
    }

    @Override
    public boolean add(String key) {
        try {
            return jdbc.add(SftpFiles.stored(key));
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            return false; // another hub instance registered the same key between the check and the insert
        }
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
