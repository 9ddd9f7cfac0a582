package org.blohub.audit;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * The database the trace lives in, with its schema (Flyway, {@value #LOCATION}, history table {@value #HISTORY}).
 *
 * <p>Standalone, that is an H2 file of its own ({@code blo.trace.datasource.url}, config/application.yaml), written
 * behind by H2 (its default WRITE_DELAY): the hub's own H2 file writes every commit at once (WRITE_DELAY=0, so that a
 * killed hub never forgets a dedupe claim), and every such commit also re-wrote the trace's changed pages, the
 * trace's eight B-trees: more than half of the hub's CPU per alert (HubBench, JFR). With the production profile the
 * URL is empty and the trace is kept in the hub's own database (PostgreSQL), beside the ledger.
 */
public final class TraceStore implements AutoCloseable {

    public static final String LOCATION = "classpath:db/trace";
    public static final String HISTORY = "flyway_trace_history";

    private final JdbcTemplate jdbc;
    private final HikariDataSource own;

    private TraceStore(DataSource dataSource, HikariDataSource own) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.own = own;
    }

    /** The trace in the hub's own database. */
    public static TraceStore shared(DataSource hub) {
        return migrated(new TraceStore(hub, null));
    }

    /** The trace in a database of its own, pooled here and closed with this store. */
    public static TraceStore own(String url, String username, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("trace");
        pool.setJdbcUrl(url);
        pool.setUsername(username);
        pool.setPassword(password);
        // the writer, retention, and the console's and API's queries
        pool.setMaximumPoolSize(4);
        try {
            return migrated(new TraceStore(pool, pool));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * The trace's migrations on {@code ds}. Its own history table, so that they run the same on a database of their
     * own and on the hub's (where the baseline at version 0 lets them start beside the hub's tables).
     */
    public static Flyway flyway(DataSource ds) {
        return Flyway.configure().dataSource(ds).locations(LOCATION).table(HISTORY)
                .baselineOnMigrate(true).baselineVersion("0").load();
    }

    private static TraceStore migrated(TraceStore store) {
        flyway(store.jdbc.getDataSource()).migrate();
        return store;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Closes the pool of a database of its own (after the trace's writer has written its last rows). */
    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
