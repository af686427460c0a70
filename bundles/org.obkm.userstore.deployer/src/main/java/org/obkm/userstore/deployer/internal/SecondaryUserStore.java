package org.obkm.userstore.deployer.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.obkm.api.keys.ConfigSecrets;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One secondary user store: a component per configuration of {@value StoreConfigurations#FACTORY_PID}
 * (one per domain). Its {@code factory} reference is targeted by the configuration at the factories of
 * the file's type or class, so it comes up when a bundle of that type is installed and goes down when
 * that bundle goes away. The store the factory makes is registered under {@link UserStore} and each
 * capability interface it implements, with {@value UserStore#DOMAIN_PROPERTY}.
 *
 * <p>A store that cannot be made leaves the component active with the domain shown as failed, so that
 * one broken file affects only its own domain.
 */
@Component(service = {}, configurationPid = StoreConfigurations.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SecondaryUserStore {

    private static final Logger LOG = LoggerFactory.getLogger(SecondaryUserStore.class);

    private final BundleContext context;
    private final UserStoreDeploymentsImpl status;
    private final String domain;
    private final String type;
    private final String source;
    private final String target;
    private final UserStore store;
    private final ServiceRegistration<?> registration;

    @Activate
    public SecondaryUserStore(BundleContext context, Map<String, Object> config,
            @Reference(name = "factory", service = UserStoreFactory.class)
            Map.Entry<Map<String, Object>, UserStoreFactory> factory,
            @Reference ConfigSecrets secrets, @Reference UserStoreDeploymentsImpl status) {
        this.context = context;
        this.status = status;
        this.domain = string(config.get(UserStore.DOMAIN_PROPERTY));
        this.type = string(config.get(UserStoreFactory.TYPE_PROPERTY));
        this.source = string(config.get(StoreConfigurations.SOURCE));
        this.target = string(config.get(StoreConfigurations.FACTORY_TARGET));
        Object factoryType = factory.getKey().get(UserStoreFactory.TYPE_PROPERTY);
        String shown = factoryType instanceof String t && !t.isEmpty() ? t : type;
        UserStore made = make(factory.getValue(), config, secrets);
        ServiceRegistration<?> reg = null;
        if (made != null) {
            try {
                reg = context.registerService(capabilities(made.getClass()), made, serviceProperties());
                status.storeActive(source, domain, type);
                LOG.info("User store {} ({}) from {} is up", domain, shown, source);
            } catch (RuntimeException e) {
                close(made);
                made = null;
                fail("its store cannot be registered: " + message(e), e);
            }
        }
        this.store = made;
        this.registration = reg;
    }

    private UserStore make(UserStoreFactory factory, Map<String, Object> config, ConfigSecrets secrets) {
        Map<String, String> props = fileProperties(config);
        Object encrypted = config.get(StoreConfigurations.ENCRYPTED);
        List<String> names = encrypted instanceof String[] a ? Arrays.asList(a)
                : encrypted instanceof String s ? List.of(s) : List.of();
        for (String name : names) {
            String ciphertext = props.get(name);
            if (ciphertext == null) {
                continue;
            }
            try {
                char[] plain = secrets.decrypt(ciphertext);
                props.put(name, new String(plain));
                Arrays.fill(plain, '\0');
            } catch (IllegalArgumentException e) {
                fail(name + " cannot be decrypted: not encrypted by obkm:encrypt on this cluster?", null);
                return null;
            }
        }
        try {
            UserStore made = factory.create(domain, props);
            if (made == null) {
                fail("the factory of type '" + type + "' made no store", null);
            } else if (!domain.equals(made.domain())) {
                close(made);
                fail("the factory of type '" + type + "' made a store of another domain", null);
                return null;
            }
            return made;
        } catch (RuntimeException | LinkageError e) {
            fail(message(e), e);
            return null;
        }
    }

    @Deactivate
    void deactivate(int reason) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        if (store != null) {
            close(store);
        }
        if (reason == ComponentConstants.DEACTIVATION_REASON_REFERENCE && !factoryStillThere()) {
            String why = "the bundle providing type '" + type + "' went away";
            status.storeWaiting(source, domain, type, why);
            LOG.warn("User store {} is down: {}", domain, why);
        } else {
            status.storeGone(source);
            LOG.info("User store {} from {} is down", domain, source);
        }
    }

    private boolean factoryStillThere() {
        try {
            return !context.getServiceReferences(UserStoreFactory.class, target).isEmpty();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * The file's own properties: everything but the deployer's and the framework's keys; plus, under
     * {@code class}, the type or original class name the file gave, so a factory can tell the original
     * product's managers apart (e.g. to say that a read-write one is served read-only).
     */
    static Map<String, String> fileProperties(Map<String, Object> config) {
        Map<String, String> props = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            if (!UserStoreFileParser.isReserved(e.getKey()) && e.getValue() instanceof String s) {
                props.put(e.getKey(), s);
            }
        }
        if (config.get(UserStoreFactory.TYPE_PROPERTY) instanceof String given) {
            props.put("class", given);
        }
        return props;
    }

    /** {@link UserStore} and every interface extending it that the store's class implements. */
    static String[] capabilities(Class<?> type) {
        Set<String> names = new LinkedHashSet<>();
        names.add(UserStore.class.getName());
        List<Class<?>> todo = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            todo.addAll(Arrays.asList(c.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.remove(0);
            if (UserStore.class.isAssignableFrom(i)) {
                names.add(i.getName());
            }
            todo.addAll(Arrays.asList(i.getInterfaces()));
        }
        return names.toArray(new String[0]);
    }

    private Hashtable<String, Object> serviceProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(UserStore.DOMAIN_PROPERTY, domain);
        p.put(UserStoreFactory.TYPE_PROPERTY, type);
        p.put(StoreConfigurations.SOURCE, source);
        return p;
    }

    private void fail(String reason, Throwable cause) {
        status.storeFailed(source, domain, type, reason);
        LOG.error("User store {} from {} failed: {}", domain, source, reason);
        if (cause != null) {
            LOG.debug("User store {} failure", domain, cause);
        }
    }

    private void close(UserStore s) {
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("User store {}: closing failed: {}", domain, message(e));
            }
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String string(Object o) {
        return o instanceof String s ? s : "";
    }
}
