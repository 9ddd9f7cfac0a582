package org.blohub.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An H2 file that commits each row at once (as the hub's ledger does) stays small only with the housekeeping. */
class H2HousekeepingTest {

    static final int ROWS = 6_000;

    @TempDir
    Path dir;

    @Test
    void theFileOfAnH2DatabaseThatWritesEveryCommitAtOnceStaysSmallWithHousekeeping() throws Exception {
        long without = fill("without", false);
        long with = fill("with", true);
        System.out.printf("H2 file after %,d single-row commits: %,d bytes without housekeeping, %,d with%n", ROWS, without, with);
        // measured: 58 MB without, 15-18 MB with (its rounds leave the store lock free between them; 12 MB without that)
        assertThat(with).isLessThan(without / 2);
    }

    @Test
    void anythingButAnEmbeddedH2FileIsLeftAlone() throws Exception {
        SingleConnectionDataSource memory = new SingleConnectionDataSource("jdbc:h2:mem:hk", "sa", "", true);
        try (Connection con = memory.getConnection()) {
            assertThat(H2Housekeeping.store(con)).isEmpty();
        }
        new H2Housekeeping(memory).run(); // and does not fail
        memory.destroy();
    }

    /** Inserts ROWS rows of ~1 KB under random keys, one commit each; the size of the file after. */
    long fill(String name, boolean housekeeping) throws Exception {
        // RETENTION_TIME=0: H2 may reuse a freed chunk at once (the hub keeps a few seconds).
        // MAX_COMPACT_TIME=0: no compaction at close, which is time-bounded and so made the size depend on the
        // machine's speed; the size measured is the one a running hub has on disk.
        String url = "jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0;RETENTION_TIME=0;MAX_COMPACT_TIME=0";
        SingleConnectionDataSource ds = new SingleConnectionDataSource(url, "sa", "", true);
        H2Housekeeping keeper = new H2Housekeeping(ds);
        try (Connection con = ds.getConnection()) {
            con.createStatement().execute("CREATE TABLE t (id VARCHAR(36) PRIMARY KEY, body VARCHAR(2000))");
            con.setAutoCommit(false);
            try (PreparedStatement insert = con.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, "x".repeat(1000));
                    insert.executeUpdate();
                    con.commit();
                    if (housekeeping && i % 100 == 99) {
                        keeper.run();
                    }
                }
            }
        }
        ds.destroy();
        return Files.size(dir.resolve(name + ".mv.db"));
    }
}
