package org.obkm.api.schema;

/**
 * Present while a module's tables are migrated to the newest version its {@link SchemaMigrations}
 * names, on the shared database. Registered by the database bundle with the service property
 * {@value #MODULE}; a component that touches the module's tables references it with the target
 * {@code (obkm.schema.module=<module>)}, so that it never runs against an older schema.
 */
public interface SchemaReady {

    /** The service property naming the module. */
    String MODULE = "obkm.schema.module";

    /** The module, as {@link SchemaMigrations#module()} names it. */
    String module();

    /** The version the module's tables are at. */
    int version();
}
