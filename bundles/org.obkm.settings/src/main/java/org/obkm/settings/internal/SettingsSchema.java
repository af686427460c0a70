package org.obkm.settings.internal;

import java.util.List;

import org.obkm.api.schema.SchemaMigrations;
import org.obkm.api.schema.SchemaReady;
import org.osgi.service.component.annotations.Component;

/** The migrations of the tables {@code obkm_setting} and {@code obkm_setting_version}, module {@value #MODULE}. */
@Component(service = SchemaMigrations.class)
public final class SettingsSchema implements SchemaMigrations {

    static final String MODULE = "settings";
    static final String READY = "(" + SchemaReady.MODULE + "=" + MODULE + ")";
    static final List<String> SCRIPTS = List.of("V1__settings.sql");

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<String> scripts() {
        return SCRIPTS;
    }
}
