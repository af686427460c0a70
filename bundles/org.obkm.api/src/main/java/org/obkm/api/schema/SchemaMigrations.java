package org.obkm.api.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The schema migrations of one module (a bundle's own tables), registered as a service by the bundle
 * that owns the tables. They are applied in order, each once, and an applied script whose text
 * changed stops the module with a clear message: tables are never dropped and re-created.
 */
public interface SchemaMigrations {

    /** The module's name in the ledger: lower case letters, digits and dashes, such as {@code users}. */
    String module();

    /**
     * The module's scripts, in order, named {@code V<version>__<description>.sql}; versions grow
     * within the module and may leave gaps. A new version is a new script appended here.
     */
    List<String> scripts();

    /**
     * The text of one of {@link #scripts()}: statements ending a line with {@code ;}, {@code --}
     * comments. By default the resource {@code migration/<script>} beside the implementing class, in
     * its bundle.
     */
    default String load(String script) {
        try (InputStream in = getClass().getResourceAsStream("migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle of " + getClass().getName()
                        + ": migration/" + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + script, e);
        }
    }

    /**
     * The text of one of {@link #scripts()} for a database of {@code dialect} ({@code mysql} for MariaDB
     * and MySQL, whose row size, text types and collations differ): the resource
     * {@code migration/<dialect>/<script>} beside the implementing class when its bundle ships one, else
     * {@link #load(String)}. A database is always migrated in one dialect, so each script's checksum
     * in the ledger stays that of the text it ran.
     */
    default String load(String script, String dialect) {
        try (InputStream in = getClass().getResourceAsStream("migration/" + dialect + "/" + script)) {
            if (in == null) {
                return load(script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + dialect + "/" + script, e);
        }
    }
}
