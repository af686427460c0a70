package org.obkm.shell.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The scopes a client may be given: {@code scopes} of {@code etc/org.obkm.oauth.cfg}, else the open
 * banking defaults. A scope outside it is refused, so a typo never registers a client silently.
 */
final class ConfiguredScopes {

    static final String PID = "org.obkm.oauth";
    static final Set<String> DEFAULT = Set.of("openid", "profile", "email", "offline_access", "accounts",
            "payments", "fundsconfirmations");

    private ConfiguredScopes() {
    }

    static Set<String> of(ConfigurationAdmin configAdmin) throws IOException {
        if (configAdmin == null) {
            return DEFAULT;
        }
        Configuration c = configAdmin.getConfiguration(PID, "?");
        Object value = c.getProperties() == null ? null : c.getProperties().get("scopes");
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof String s) {
            out.addAll(Arrays.asList(s.split("[,\\s]+")));
        } else if (value instanceof String[] a) {
            for (String s : a) {
                out.addAll(Arrays.asList(s.split("[,\\s]+")));
            }
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> out.addAll(Arrays.asList(String.valueOf(v).split("[,\\s]+"))));
        }
        out.removeIf(String::isBlank);
        return out.isEmpty() ? DEFAULT : out;
    }

    /** Refuses any scope not configured, naming it and the configured ones. */
    static Set<String> check(ConfigurationAdmin configAdmin, Set<String> scopes) throws IOException {
        Set<String> known = of(configAdmin);
        Set<String> unknown = new TreeSet<>(scopes);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown scope" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + "; configured: " + String.join(", ", new TreeSet<>(known))
                    + " (add it to 'scopes' in etc/org.obkm.oauth.cfg)");
        }
        return scopes;
    }
}
