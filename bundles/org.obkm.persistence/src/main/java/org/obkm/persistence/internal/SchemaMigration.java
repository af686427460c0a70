package org.obkm.persistence.internal;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the shared database as soon as it answers, retrying with backoff while it does not (a
 * database that starts after the node, or is down for a while), then enables {@link DatabaseSchema},
 * which every component that touches tables references. So a node started before its database
 * recovers by itself, and nothing ever runs against an old schema.
 */
@Component(service = SchemaMigration.class, immediate = true)
public final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private final Thread worker;
    private volatile int version;
    private volatile boolean stopped;

    @Activate
    public SchemaMigration(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            ComponentContext context) {
        this.worker = new Thread(() -> migrate(dataSource, context), "obkm-schema-migration");
        worker.setDaemon(true);
        worker.start();
    }

    @Deactivate
    void deactivate(ComponentContext context) throws InterruptedException {
        stopped = true;
        worker.interrupt();
        worker.join(10_000);
        context.disableComponent(DatabaseSchema.class.getName());
    }

    int version() {
        return version;
    }

    private void migrate(DataSource dataSource, ComponentContext context) {
        long backoff = 500;
        boolean reported = false;
        while (!stopped) {
            long start = System.nanoTime();
            try {
                version = new SchemaMigrator(dataSource).migrate();
                LOG.info("Database schema at version {} ({} ms)", version, (System.nanoTime() - start) / 1_000_000);
                context.enableComponent(DatabaseSchema.class.getName());
                return;
            } catch (SQLException | RuntimeException e) {
                if (!reported) {
                    LOG.error("Database schema migration failed; OBKM cannot serve until it succeeds (retrying): {}",
                            e.getMessage());
                    reported = true;
                } else {
                    LOG.debug("Schema migration retry failed: {}", e.getMessage());
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 15_000);
        }
    }
}
