package org.obkm.userstore.deployer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Test double of ConfigurationAdmin: configurations in a map, named factory PIDs as Felix forms them. */
final class InMemoryConfigAdmin implements ConfigurationAdmin {

    final Map<String, Config> stored = new LinkedHashMap<>();
    int updates;
    int deletes;

    Config get(String pid) {
        return stored.get(pid);
    }

    final class Config implements Configuration {
        private final String pid;
        private final String factoryPid;
        private Hashtable<String, Object> props;
        private String location;
        private long changes;

        Config(String pid, String factoryPid, String location) {
            this.pid = pid;
            this.factoryPid = factoryPid;
            this.location = location;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            if (props == null) {
                return null;
            }
            Hashtable<String, Object> copy = new Hashtable<>(props);
            copy.put("service.pid", pid);
            if (factoryPid != null) {
                copy.put("service.factoryPid", factoryPid);
            }
            return copy;
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> properties) {
            Hashtable<String, Object> copy = new Hashtable<>();
            for (Enumeration<String> k = properties.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
                copy.put(key, properties.get(key));
            }
            props = copy;
            changes++;
            updates++;
            stored.put(pid, this);
        }

        @Override
        public void delete() {
            if (stored.remove(pid) != null) {
                deletes++;
            }
            props = null;
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() {
            changes++;
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> properties) {
            update(properties);
            return true;
        }

        @Override
        public void setBundleLocation(String location) {
            this.location = location;
        }

        @Override
        public String getBundleLocation() {
            return location;
        }

        @Override
        public long getChangeCount() {
            return changes;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return EnumSet.noneOf(ConfigurationAttribute.class);
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        String pid = factoryPid + "~" + name;
        Config c = stored.get(pid);
        return c != null ? c : new Config(pid, factoryPid, location);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        return getFactoryConfiguration(factoryPid, name, null);
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        Config c = stored.get(pid);
        return c != null ? c : new Config(pid, null, location);
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return getConfiguration(pid, null);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException("the deployer uses named factory configurations");
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException("the deployer uses named factory configurations");
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        List<Configuration> out = new ArrayList<>();
        for (Config c : stored.values()) {
            if (f == null || f.match(c.getProperties())) {
                out.add(c);
            }
        }
        return out.isEmpty() ? null : out.toArray(new Configuration[0]);
    }

    List<String> pids() {
        return Collections.unmodifiableList(new ArrayList<>(stored.keySet()));
    }
}
