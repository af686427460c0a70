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
}
