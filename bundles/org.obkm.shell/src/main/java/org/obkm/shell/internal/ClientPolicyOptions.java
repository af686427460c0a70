package org.obkm.shell.internal;

import java.util.Locale;

/** The {@code true}/{@code false} values of the client policy options, or {@code null} when not given. */
final class ClientPolicyOptions {

    private ClientPolicyOptions() {
    }

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
