package org.obkm.settings.internal;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which settings the cluster holds and which stay each node's own. Per node: whatever names this host,
 * its ports or its resources (the cluster member's address and members, the node's bootstrap key
 * secret, its TLS key store, the database connection, the HTTP server, the CPU gate's permits sized to
 * this host's cores, the path of the mounted user store folder). Every other key of a PID listed in
 * {@link #CLUSTER_PIDS} is per cluster. Each {@code etc/} file says the same in its {@code # Scope:}
 * line (checked by a unit test).
 */
final class SettingScopes {

    /** The PIDs whose keys the cluster holds, with the keys of each that stay per node. */
    static final Map<String, Set<String>> CLUSTER_PIDS = Map.ofEntries(
            Map.entry("org.obkm.oauth", Set.of()),
            Map.entry("org.obkm.dcr", Set.of()),
            Map.entry("org.obkm.dpop", Set.of()),
            Map.entry("org.obkm.mtls", Set.of()),
            Map.entry("org.obkm.consent", Set.of()),
            Map.entry("org.obkm.shutdown", Set.of()),
            Map.entry("org.obkm.http.cpugate", Set.of("permits", "admissionPermits")),
            Map.entry("org.obkm.userstore.jdbc", Set.of()),
            Map.entry("org.obkm.userstore.registry", Set.of()),
            Map.entry("org.obkm.userstore.deployer", Set.of("directory")),
            Map.entry("org.obkm.consent.demobank", Set.of()),
            Map.entry("org.obkm.metrics", Set.of()));

    /** OBKM PIDs that are per node as a whole, with the reason. */
    static final Map<String, String> NODE_PIDS = Map.of(
            "org.obkm.cluster", "the node's cluster member (bind address, port, members)",
            "org.obkm.keys", "the node's bootstrap encryption secret, which opens the database's keys",
            "org.obkm.settings", "how this node follows the cluster's settings",
            "org.obkm.tls", "the node's own TLS key store");

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,199}");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|credential|privatekey).*");
    /** Configuration Admin's and FileInstall's own keys, which differ per node and are no setting. */
    private static final Set<String> NOT_SETTINGS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", "component.name", "component.id");

    private SettingScopes() {
    }

    /** Why this key is not a cluster setting (per node, unknown, malformed); null when it is one. */
    static String refusal(String pid, String key) {
        if (pid == null || pid.isBlank()) {
            return "give a PID, such as org.obkm.oauth";
        }
        String nodeReason = NODE_PIDS.get(pid);
        if (nodeReason != null) {
            return pid + " is per node (" + nodeReason + "): edit etc/" + pid + ".cfg on each node";
        }
        Set<String> nodeKeys = CLUSTER_PIDS.get(pid);
        if (nodeKeys == null) {
            return pid.startsWith("org.obkm.") ? "unknown PID " + pid + "; cluster PIDs: " + String.join(", ",
                    new java.util.TreeSet<>(CLUSTER_PIDS.keySet()))
                    : pid + " is per node (Karaf, the HTTP server, the database connection, logging): edit etc/"
                    + pid + ".cfg on each node";
        }
        if (key == null || !KEY.matcher(key).matches() || NOT_SETTINGS.contains(key)) {
            return "not a setting key: " + (key == null ? "(none)" : key);
        }
        if (nodeKeys.contains(key)) {
            return pid + " " + key + " is per node (sized to or naming this host): edit etc/" + pid
                    + ".cfg on each node";
        }
        return null;
    }

    /** Whether the node's configuration key takes part in the cluster's settings (for drift). */
    static boolean clusterKey(String pid, String key) {
        Set<String> nodeKeys = CLUSTER_PIDS.get(pid);
        return nodeKeys != null && !nodeKeys.contains(key) && !NOT_SETTINGS.contains(key) && !key.startsWith(".")
                && KEY.matcher(key).matches();
    }

    /** Keys named like a secret are always stored encrypted and shown masked. */
    static boolean secretName(String key) {
        return SECRET_NAME.matcher(key).matches();
    }
}
