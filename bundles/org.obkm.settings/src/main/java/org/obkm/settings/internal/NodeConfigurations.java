package org.obkm.settings.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * This node's configurations of the cluster PIDs in Configuration Admin: where a cluster value is
 * written (so that the component's {@code @Modified} takes it as it takes a change of its {@code etc/}
 * file), and what is in force here. The value is also written into the node's {@code etc/} file (an
 * atomic replace, see {@link CfgFile}), so that the file shows what is in force and the next start
 * reads it; FileInstall's own write-back is off in the distribution, as it truncates the file first.
 */
final class NodeConfigurations {

    /** How a secret's ciphertext stands in a configuration, as {@code obkm:encrypt} prints it for .cfg files. */
    static String sealed(String ciphertext) {
        return "ENC(" + ciphertext + ")";
    }

    /** Where FileInstall records the etc/ file of a configuration it made, as a file: URL. */
    private static final String FILE_NAME = "felix.fileinstall.filename";

    private final ConfigurationAdmin cm;

    NodeConfigurations(ConfigurationAdmin cm) {
        this.cm = cm;
    }

    /**
     * Sets (value non-null) or removes one key; returns whether the configuration changed. The
     * location {@code ?} leaves an existing configuration's binding alone and lets any bundle have a new one.
     */
    boolean put(String pid, String key, String value) throws IOException {
        Configuration c = cm.getConfiguration(pid, "?");
        Dictionary<String, Object> props = c.getProperties();
        Dictionary<String, Object> next = new Hashtable<>();
        if (props != null) {
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                next.put(k, props.get(k));
            }
        }
        Object was = next.get(key);
        if (value == null ? was == null : Objects.equals(value, text(was))) {
            return false;
        }
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        // The file first, so that what FileInstall reads from it (now or at the next start) is the new value.
        Path file = fileOf(next.get(FILE_NAME));
        if (file != null) {
            CfgFile.put(file, key, value);
        }
        c.update(next);
        return true;
    }

    /** The keys in force here of every cluster PID that takes part in the cluster's settings, by PID. */
    Map<String, Map<String, String>> effective() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try {
            Configuration[] all = cm.listConfigurations(null);
            for (Configuration c : all == null ? new Configuration[0] : all) {
                if (c.getFactoryPid() != null || !SettingScopes.CLUSTER_PIDS.containsKey(c.getPid())) {
                    continue;
                }
                Dictionary<String, Object> props = c.getProperties();
                if (props == null) {
                    continue;
                }
                Map<String, String> values = new TreeMap<>();
                for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                    String k = keys.nextElement();
                    if (SettingScopes.clusterKey(c.getPid(), k)) {
                        values.put(k, text(props.get(k)));
                    }
                }
                out.put(c.getPid(), values);
            }
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot read this node's configurations: " + e.getMessage(), e);
        }
        return out;
    }

    private static Path fileOf(Object url) {
        if (url == null) {
            return null;
        }
        try {
            return Path.of(URI.create(url.toString()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Object[] a) {
            return String.join(",", Arrays.stream(a).map(String::valueOf).toList());
        }
        return value.toString();
    }
}
