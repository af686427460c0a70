package org.obkm.userstore.deployer.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.obkm.api.keys.ConfigSecrets;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The named factory configurations of {@value #FACTORY_PID}, one per domain (OSGi Compendium 104,
 * Configuration Admin 1.6, {@code getFactoryConfiguration(factoryPid, name, location)}), each holding
 * one file's properties. A plaintext secret of the file is stored encrypted, so that it never sits in
 * ConfigurationAdmin's store or {@code config:list}; an unchanged file leaves its configuration
 * untouched (its earlier ciphertext is kept when it still decrypts to the file's value).
 */
final class StoreConfigurations {

    static final String FACTORY_PID = "org.obkm.userstore.secondary";
    static final String SOURCE = "obkm.userstore.source";
    static final String ENCRYPTED = "obkm.userstore.encrypted";
    /** DS reads {@code <reference name>.target} from the configuration: the store binds to its type. */
    static final String FACTORY_TARGET = "factory.target";

    private final ConfigurationAdmin cm;
    private final ConfigSecrets secrets;

    StoreConfigurations(ConfigurationAdmin cm, ConfigSecrets secrets) {
        this.cm = cm;
        this.secrets = secrets;
    }

    /** The reference target selecting the factories of a type or original class. */
    static String target(String type) {
        String x = escape(type);
        return "(|(" + UserStoreFactory.TYPE_PROPERTY + "=" + x + ")(" + UserStoreFactory.CLASS_PROPERTY + "=" + x
                + "))";
    }

    /** Escapes a value for an OSGi filter (OSGi Core 3.2.7: {@code \ * ( )} take a backslash). */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** Every store configuration. */
    List<Configuration> all() throws IOException {
        return list("(service.factoryPid=" + FACTORY_PID + ")");
    }

    /** The configurations of a domain (at most one, as the configuration is named by its domain). */
    List<Configuration> byDomain(String domain) throws IOException {
        return list("(&(service.factoryPid=" + FACTORY_PID + ")(" + UserStore.DOMAIN_PROPERTY + "=" + escape(domain)
                + "))");
    }

    /** The configurations made from a file. */
    List<Configuration> bySource(String source) throws IOException {
        return list("(&(service.factoryPid=" + FACTORY_PID + ")(" + SOURCE + "=" + escape(source) + "))");
    }

    static String source(Configuration c) {
        Dictionary<String, Object> p = c.getProperties();
        Object s = p == null ? null : p.get(SOURCE);
        return s instanceof String ? (String) s : null;
    }

    static String domain(Configuration c) {
        Dictionary<String, Object> p = c.getProperties();
        Object d = p == null ? null : p.get(UserStore.DOMAIN_PROPERTY);
        return d instanceof String ? (String) d : "";
    }

    /**
     * Creates or updates the configuration of a file's domain, and deletes configurations the same file
     * made for another domain.
     *
     * @return whether anything changed
     */
    boolean apply(String source, UserStoreFile file) throws IOException {
        for (Configuration c : bySource(source)) {
            if (!file.domain().equals(domain(c))) {
                c.delete();
            }
        }
        List<Configuration> existing = byDomain(file.domain());
        Dictionary<String, Object> old = existing.isEmpty() ? null : existing.get(0).getProperties();
        Hashtable<String, Object> desired = new Hashtable<>(file.properties());
        Set<String> encrypted = new TreeSet<>(file.encrypted());
        for (String name : file.plaintextSecrets()) {
            desired.put(name, sealed(file.properties().get(name), old, name));
            encrypted.add(name);
        }
        desired.put(UserStore.DOMAIN_PROPERTY, file.domain());
        desired.put(UserStoreFactory.TYPE_PROPERTY, file.type());
        desired.put(SOURCE, source);
        desired.put(ENCRYPTED, encrypted.toArray(new String[0]));
        desired.put(FACTORY_TARGET, target(file.type()));
        if (old != null && same(old, desired)) {
            return false;
        }
        cm.getFactoryConfiguration(FACTORY_PID, file.domain(), "?").update(desired);
        return true;
    }

    /** Deletes the configurations made from a file; returns their domains. */
    List<String> removeSource(String source) throws IOException {
        List<String> domains = new ArrayList<>();
        for (Configuration c : bySource(source)) {
            domains.add(domain(c));
            c.delete();
        }
        return domains;
    }

    /** The ciphertext of a plaintext secret: the stored one when it still decrypts to the same value. */
    private String sealed(String plain, Dictionary<String, Object> old, String name) {
        if (old != null && old.get(name) instanceof String previous && listed(old.get(ENCRYPTED), name)) {
            char[] was = null;
            char[] now = plain.toCharArray();
            try {
                was = secrets.decrypt(previous);
                if (Arrays.equals(was, now)) {
                    return previous;
                }
            } catch (IllegalArgumentException e) {
                // made under another key: encrypt anew
            } finally {
                Arrays.fill(now, '\0');
                if (was != null) {
                    Arrays.fill(was, '\0');
                }
            }
        }
        char[] chars = plain.toCharArray();
        try {
            return secrets.encrypt(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static boolean listed(Object names, String name) {
        return names instanceof String[] a && Arrays.asList(a).contains(name);
    }

    private static boolean same(Dictionary<String, Object> old, Map<String, Object> desired) {
        Map<String, Object> o = new HashMap<>();
        for (Enumeration<String> keys = old.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            if (!k.toLowerCase(Locale.ROOT).startsWith("service.")) {
                o.put(k, old.get(k));
            }
        }
        if (!o.keySet().equals(desired.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : desired.entrySet()) {
            if (!Objects.deepEquals(e.getValue(), o.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private List<Configuration> list(String filter) throws IOException {
        try {
            Configuration[] found = cm.listConfigurations(filter);
            return found == null ? Collections.emptyList() : Arrays.asList(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter " + filter, e);
        }
    }
}
