package org.obkm.userstore.jdbc.internal;

import java.util.List;

import org.obkm.api.schema.SchemaMigrations;
import org.obkm.api.schema.SchemaReady;
import org.osgi.service.component.annotations.Component;

/**
 * The migrations of this bundle's table {@code obkm_user}, module {@value #MODULE}, read from
 * {@code migration/} beside this class (the default {@link SchemaMigrations#load}). The database bundle applies them and then registers the
 * {@code SchemaReady} that {@link JdbcUserStore} and {@link JdbcUserStoreFactory} wait for.
 */
@Component(service = SchemaMigrations.class)
public final class UserSchema implements SchemaMigrations {

    /** The module's name in the schema ledger. */
    static final String MODULE = "users";
    /** The service filter of this module's {@code SchemaReady}. */
    static final String READY = "(" + SchemaReady.MODULE + "=" + MODULE + ")";

    /** In order; a new version is a new script appended here, never an applied one edited. */
    static final List<String> SCRIPTS = List.of("V1__users.sql", "V2__user_domains.sql");

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<String> scripts() {
        return SCRIPTS;
    }
}
