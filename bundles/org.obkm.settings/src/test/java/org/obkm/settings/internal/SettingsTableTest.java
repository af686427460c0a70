package org.obkm.settings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.persistence.internal.SchemaMigrator;

class SettingsTableTest {

    private SettingsTable table;

    @BeforeEach
    void freshDatabase() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:settings-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate(new SettingsSchema());
        table = new SettingsTable(ds);
    }

    @Test
    void eachChangeGetsTheNextVersionAndUnsetKeepsATombstone() {
        assertEquals(0, table.version());
        assertEquals(1, table.write("org.obkm.oauth", "accessTokenLifetimeSeconds", "600", false, "karaf"));
        assertEquals(2, table.write("org.obkm.oauth", "accessTokenLifetimeSeconds", "300", false, "karaf"));
        assertEquals(3, table.write("org.obkm.oauth", "accessTokenLifetimeSeconds", null, false, "karaf"));
        List<SettingsTable.Row> rows = table.since(0);
        assertEquals(1, rows.size());
        assertNull(rows.get(0).value());
        assertEquals(3, rows.get(0).version());
        assertTrue(table.since(3).isEmpty());
        assertEquals(3, table.version());
    }

    @Test
    void concurrentChangesGetDistinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> f = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                f.add(pool.submit(() -> table.write("org.obkm.oauth", "k" + (n % 5), Integer.toString(n), false, "t")));
            }
            var seen = ConcurrentHashMap.<Long>newKeySet();
            for (Future<Long> x : f) {
                assertTrue(seen.add(x.get()));
            }
            assertEquals(40, seen.size());
            assertEquals(40, table.version());
        } finally {
            pool.shutdownNow();
        }
    }
}
