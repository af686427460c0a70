package org.obkm.persistence.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Present while the shared database is migrated to this bundle's own tables (schema module core): enabled by
 * {@link SchemaMigration} once the migrations succeeded. Components that touch tables reference it.
 */
@Component(service = DatabaseSchema.class, enabled = false)
public final class DatabaseSchema {

    private final SchemaMigration migration;

    @Activate
    public DatabaseSchema(@Reference SchemaMigration migration) {
        this.migration = migration;
    }

    public int version() {
        return migration.version();
    }

    /** Every schema module known, by name: its version, or -1 while it waits to be migrated. */
    public Map<String, Integer> modules() {
        return migration.modules();
    }
}
