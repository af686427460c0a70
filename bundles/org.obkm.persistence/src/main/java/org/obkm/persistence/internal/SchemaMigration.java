package org.obkm.persistence.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.obkm.api.schema.SchemaMigrations;
import org.obkm.api.schema.SchemaReady;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Migrates the shared database as soon as it answers, retrying with backoff while it does not (a
 * database that starts after the node, or is down for a while): first this bundle's own tables, then
 * enables {@link DatabaseSchema}, which this bundle's repositories reference; then every other
 * bundle's {@link SchemaMigrations} as they come, registering a {@link SchemaReady} for each module
 * migrated, which that bundle's components reference. So a node started before its database recovers
 * by itself, and nothing ever runs against an old schema. A module that cannot be migrated holds back
 * that module only.
 */
@Component(service = SchemaMigration.class, immediate = true)
public final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 15_000;

    private final Thread worker;
    private final Semaphore wake = new Semaphore(0);
    /** Modules waiting to be migrated, and those migrated, by service; guarded by {@code this}. */
    private final Map<SchemaMigrations, Boolean> pending = new LinkedHashMap<>();
    private final Map<SchemaMigrations, Registered> ready = new LinkedHashMap<>();
    private volatile ComponentContext context;
    private volatile int version;
    private volatile boolean stopped;

    private record Registered(ServiceRegistration<SchemaReady> registration, String module, int version) {
    }

    @Activate
    public SchemaMigration(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            ComponentContext context) {
        this.context = context;
        this.worker = new Thread(() -> run(dataSource, context), "obkm-schema-migration");
        worker.setDaemon(true);
        worker.start();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindMigrations(SchemaMigrations module) {
        pending.put(module, Boolean.TRUE);
        wake.release();
    }

    synchronized void unbindMigrations(SchemaMigrations module) {
        pending.remove(module);
        Registered r = ready.remove(module);
        if (r != null) {
            unregister(r);
        }
    }

    @Deactivate
    void deactivate(ComponentContext context) throws InterruptedException {
        stopped = true;
        worker.interrupt();
        worker.join(10_000);
        synchronized (this) {
            ready.values().forEach(SchemaMigration::unregister);
            ready.clear();
        }
        context.disableComponent(DatabaseSchema.class.getName());
    }

    /** The version of this bundle's tables. */
    int version() {
        return version;
    }

    /** Every module known, by name: its version, or -1 while it waits to be migrated. */
    synchronized Map<String, Integer> modules() {
        Map<String, Integer> out = new TreeMap<>();
        out.put(SchemaMigrator.CORE_MODULE, version);
        ready.values().forEach(r -> out.put(r.module(), r.version()));
        pending.keySet().forEach(m -> out.putIfAbsent(m.module(), -1));
        return out;
    }

    private void run(DataSource dataSource, ComponentContext context) {
        SchemaMigrator migrator = new SchemaMigrator(dataSource);
        long backoff = FIRST_BACKOFF_MS;
        boolean reported = false;
        while (!stopped) {
            long start = System.nanoTime();
            try {
                version = migrator.migrate();
                LOG.info("Database schema at version {} ({} ms)", version, (System.nanoTime() - start) / 1_000_000);
                context.enableComponent(DatabaseSchema.class.getName());
                break;
            } catch (SQLException | RuntimeException e) {
                reported = failed(SchemaMigrator.CORE_MODULE, e, reported);
            }
            if (!pause(backoff)) {
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
        migrateModules(migrator);
    }

    /** Migrates each module as it is bound; one that fails is retried with backoff, the others go on. */
    private void migrateModules(SchemaMigrator migrator) {
        Map<String, Boolean> reported = new LinkedHashMap<>();
        long backoff = FIRST_BACKOFF_MS;
        while (!stopped) {
            List<SchemaMigrations> todo;
            synchronized (this) {
                todo = new ArrayList<>(pending.keySet());
            }
            boolean anyFailed = false;
            for (SchemaMigrations module : todo) {
                String name = String.valueOf(module.module());
                try {
                    long start = System.nanoTime();
                    int v = migrator.migrate(module);
                    if (ready(module, name, v)) {
                        LOG.info("Database schema module {} at version {} ({} ms)", name, v,
                                (System.nanoTime() - start) / 1_000_000);
                    }
                    reported.remove(name);
                } catch (SQLException | RuntimeException e) {
                    anyFailed = true;
                    reported.put(name, failed(name, e, reported.getOrDefault(name, false)));
                }
            }
            if (anyFailed) {
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            } else {
                backoff = FIRST_BACKOFF_MS;
                try {
                    wake.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Registers the module's {@link SchemaReady}, unless it was unbound meanwhile or is known already. */
    private synchronized boolean ready(SchemaMigrations module, String name, int v) {
        if (pending.remove(module) == null || stopped) {
            return false;
        }
        for (Registered r : ready.values()) {
            if (r.module().equals(name)) {
                LOG.error("Two bundles register schema module {}; the second is ignored", name);
                return false;
            }
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SchemaReady.MODULE, name);
        SchemaReady service = new SchemaReady() {
            @Override
            public String module() {
                return name;
            }

            @Override
            public int version() {
                return v;
            }
        };
        ServiceRegistration<SchemaReady> reg = context.getBundleContext().registerService(SchemaReady.class, service, props);
        ready.put(module, new Registered(reg, name, v));
        return true;
    }

    private static boolean failed(String module, Exception e, boolean reported) {
        if (!reported) {
            LOG.error("Database schema migration of module {} failed; what uses its tables waits until it succeeds"
                    + " (retrying): {}", module, e.getMessage());
        } else {
            LOG.debug("Schema migration retry of module {} failed: {}", module, e.getMessage());
        }
        return true;
    }

    private boolean pause(long millis) {
        try {
            wake.tryAcquire(millis, TimeUnit.MILLISECONDS);
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void unregister(Registered r) {
        try {
            r.registration().unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
