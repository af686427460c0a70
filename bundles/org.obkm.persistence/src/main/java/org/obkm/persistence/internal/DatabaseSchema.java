package org.obkm.persistence.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the shared database when the DataSource appears. Components that touch tables reference
 * this service, so none of them runs against an old schema.
 */
@Component(service = DatabaseSchema.class, immediate = true)
public final class DatabaseSchema {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSchema.class);

    private final int version;

    @Activate
    public DatabaseSchema(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource)
            throws SQLException {
        long start = System.nanoTime();
        try {
            this.version = new SchemaMigrator(dataSource).migrate();
        } catch (SQLException e) {
            LOG.error("Database schema migration failed; OBKM cannot serve until it succeeds: {}", e.getMessage());
            throw e;
        }
        LOG.info("Database schema at version {} ({} ms)", version, (System.nanoTime() - start) / 1_000_000);
    }

    public int version() {
        return version;
    }
}
