/**
 * Each bundle's own tables: a bundle that owns tables registers its {@link SchemaMigrations}; the
 * database bundle applies them on the shared database, each module in its own ledger, and then
 * registers a {@link SchemaReady} for the module, which the bundle's components reference.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package org.obkm.api.schema;
