package org.blohub.audit;

import org.blohub.db.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTest {

    private final JdbcTemplate jdbc = new JdbcTemplate(TestDatabases.h2());

    GroupCommitTest() {
        jdbc.execute("CREATE TABLE rows_written (detail VARCHAR(20) NOT NULL)");
    }

    private final GroupCommit writer = new GroupCommit(jdbc, "INSERT INTO rows_written (detail) VALUES (?)",
            (ps, row) -> {
                if (row.detail().startsWith("bad")) {
                    throw new SQLException("refused: " + row.detail());
                }
                ps.setString(1, row.detail());
            });

    @Test
    void everyCallersRowsAreCommittedWhenItsCallReturns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                calls.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 100; i++) {
                        String mine = thread + "-" + i;
                        writer.write(List.of(row(mine + "a"), row(mine + "b")));
                        // committed: another connection sees it at once
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rows_written WHERE detail IN (?, ?)",
                                Integer.class, mine + "a", mine + "b")).isEqualTo(2);
                    }
                }, pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rows_written", Integer.class)).isEqualTo(1600);
    }

    @Test
    void aBadRowFailsOnlyItsOwnCall() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String detail = (i % 10 == 0 ? "bad-" : "good-") + i;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        writer.write(List.of(row(detail)));
                        return true;
                    } catch (RuntimeException e) {
                        return false;
                    }
                }, pool));
            }
            long failed = 0;
            for (CompletableFuture<Boolean> c : calls) {
                failed += c.get(60, TimeUnit.SECONDS) ? 0 : 1;
            }
            assertThat(failed).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rows_written", Integer.class)).isEqualTo(180);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rows_written WHERE detail LIKE 'bad%'", Integer.class))
                .isZero();
        assertThatThrownBy(() -> writer.write(List.of(row("bad-alone")))).hasMessageContaining("refused: bad-alone");
    }

    private static TraceEvent row(String detail) {
        return new TraceEvent(Instant.now(), TraceEvent.Event.RECEIVED, null, null, null, null, null, null, null,
                null, null, null, null, detail);
    }
}
