package org.obkm.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What client-create and client-update read from their options alike. */
final class ClientOptions {

    private ClientOptions() {
    }

    /** The JWK Set given inline ({@code --jwks}) or in a file ({@code --jwks-file}), or {@code null}. */
    static String jwks(String inline, String file) throws IOException {
        if (file == null) {
            return inline;
        }
        if (inline != null) {
            throw new IllegalArgumentException("give --jwks or --jwks-file, not both");
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--jwks-file: file not found: " + path.toAbsolutePath());
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("--jwks-file: file not readable: " + path.toAbsolutePath());
        }
        return Files.readString(path);
    }

    /** The {@code true}/{@code false} value of a policy option, or {@code null} when not given. */
    static Boolean flag(String option, String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> Boolean.TRUE;
            case "false", "no" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(option + " takes true or false, not '" + value + "'");
        };
    }
}
