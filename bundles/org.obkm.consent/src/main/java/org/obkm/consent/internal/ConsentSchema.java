package org.obkm.consent.internal;

import java.util.List;

import org.obkm.api.schema.SchemaMigrations;
import org.obkm.api.schema.SchemaReady;
import org.osgi.service.component.annotations.Component;

/**
 * The migrations of this bundle's tables {@code obkm_consent} and {@code obkm_consent_event}, module
 * {@value #MODULE}, read from {@code migration/} beside this class. The database bundle applies them and
 * then registers the {@code SchemaReady} that {@link JdbcConsentService} waits for.
 */
@Component(service = SchemaMigrations.class)
public final class ConsentSchema implements SchemaMigrations {

    /** The module's name in the schema ledger. */
    static final String MODULE = "consents";
    /** The service filter of this module's {@code SchemaReady}. */
    static final String READY = "(" + SchemaReady.MODULE + "=" + MODULE + ")";

    /** In order; a new version is a new script appended here, never an applied one edited. */
    static final List<String> SCRIPTS = List.of("V1__consents.sql");

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<String> scripts() {
        return SCRIPTS;
    }
}
