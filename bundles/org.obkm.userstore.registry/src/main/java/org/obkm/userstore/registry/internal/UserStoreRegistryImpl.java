package org.obkm.userstore.registry.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.obkm.api.cluster.CacheStatistics;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserCacheControl;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.UserStoreRegistry;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user stores registered as services, by their {@value UserStore#DOMAIN_PROPERTY} property (upper
 * case). When two stores claim one domain, the higher {@code service.ranking} wins, then the older
 * service. It lives in the JDBC store's bundle for now and may move to a bundle of its own; its
 * configuration PID stays {@code org.obkm.userstore.registry}.
 *
 * <p>A sign-in name splits after the longest registered domain it starts with (ignoring case) followed
 * by the separator, so that a separator that also occurs in domain names still works
 * ({@code EXAMPLE.COM.alice} with separator {@code .}); a name of no registered domain splits at the
 * separator's first occurrence.
 *
 * <p>It is also the node's {@link InvalidationListener} of region {@value UserCacheControl#REGION}
 * and passes what the cluster's invalidation bus delivers to the stores that cache
 * ({@link UserCacheControl}): key {@code DOMAIN} clears that domain's cache, {@code DOMAIN/username}
 * one user's, no key every store's. Keys always use {@code /}, whatever {@code domainSeparator} says,
 * so that nodes agree whatever their sign-in names look like; a domain never contains {@code /}, a
 * username may.
 */
@Component(service = {UserStoreRegistry.class, InvalidationListener.class},
        configurationPid = UserStoreRegistryImpl.PID,
        property = InvalidationListener.REGION + "=" + UserCacheControl.REGION)
@Designate(ocd = UserStoreRegistryConfig.class)
public final class UserStoreRegistryImpl implements UserStoreRegistry, InvalidationListener, CacheStatistics {

    static final String PID = "org.obkm.userstore.registry";
    private static final Logger LOG = LoggerFactory.getLogger(UserStoreRegistryImpl.class);

    private record Entry(UserStore store, String domain, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> PRECEDENCE = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private volatile Map<String, UserStore> byDomain = Map.of();
    private volatile String separator;

    @Activate
    public UserStoreRegistryImpl(UserStoreRegistryConfig config) {
        this.separator = separator(config);
    }

    @Modified
    public void modified(UserStoreRegistryConfig config) {
        this.separator = separator(config);
    }

    private static String separator(UserStoreRegistryConfig config) {
        String s = config.domainSeparator();
        if (s == null || s.isEmpty() || !s.strip().equals(s)) {
            throw new IllegalArgumentException(PID + ": domainSeparator must be non-empty without whitespace, got '"
                    + s + "'");
        }
        return s;
    }

    @Reference(service = UserStore.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void addStore(UserStore store, Map<String, Object> properties) {
        Object domain = properties.get(UserStore.DOMAIN_PROPERTY);
        if (!(domain instanceof String d) || d.isBlank()) {
            LOG.warn("Ignoring a user store without the service property {}: {}", UserStore.DOMAIN_PROPERTY, store);
            return;
        }
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        entries.add(new Entry(store, d.strip().toUpperCase(Locale.ROOT), ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : Long.MAX_VALUE));
        rebuild();
        LOG.info("User store {} registered", d);
    }

    public void removeStore(UserStore store) {
        entries.removeIf(e -> e.store() == store);
        rebuild();
    }

    private synchronized void rebuild() {
        Map<String, UserStore> map = new HashMap<>();
        entries.stream().sorted(PRECEDENCE).forEach(e -> map.putIfAbsent(e.domain(), e.store()));
        byDomain = Map.copyOf(map);
    }

    @Override
    public Optional<UserStore> store(String domain) {
        return domain == null ? Optional.empty()
                : Optional.ofNullable(byDomain.get(domain.strip().toUpperCase(Locale.ROOT)));
    }

    @Override
    public List<String> domains() {
        return byDomain.keySet().stream()
                .sorted(Comparator.comparing((String d) -> !UserStore.PRIMARY.equals(d)).thenComparing(d -> d))
                .toList();
    }

    @Override
    public Optional<ResolvedName> resolve(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String sep = separator;
        int at = name.indexOf(sep);
        if (at < 0) {
            return store(UserStore.PRIMARY).map(s -> new ResolvedName(s, name));
        }
        Map<String, UserStore> stores = byDomain;
        String longest = null;
        for (String d : stores.keySet()) {
            if (name.regionMatches(true, 0, d, 0, d.length()) && name.startsWith(sep, d.length())
                    && (longest == null || d.length() > longest.length())) {
                longest = d;
            }
        }
        if (longest != null) {
            String username = name.substring(longest.length() + sep.length());
            return username.isEmpty() ? Optional.empty() : Optional.of(new ResolvedName(stores.get(longest), username));
        }
        String domain = name.substring(0, at);
        String username = name.substring(at + sep.length());
        if (domain.isBlank() || username.isEmpty()) {
            return Optional.empty();
        }
        return store(domain).map(s -> new ResolvedName(s, username));
    }

    @Override
    public AuthenticationResult authenticate(String name, char[] password) {
        try {
            Optional<ResolvedName> resolved = resolve(name);
            Optional<CredentialCheck> check = resolved.flatMap(r -> r.as(CredentialCheck.class));
            return check.isPresent() ? check.get().authenticate(resolved.get().username(), password)
                    : AuthenticationResult.badCredentials();
        } catch (RuntimeException e) {
            // A store must not throw here; one that does is taken for unavailable, not for a wrong password.
            LOG.warn("User store failed during a sign-in: {}", e.toString());
            return AuthenticationResult.unavailable();
        }
    }

    @Override
    public Optional<User> findBySubject(String subject) {
        if (subject == null || subject.isEmpty()) {
            return Optional.empty();
        }
        int slash = subject.indexOf('/');
        String domain = slash < 0 ? UserStore.PRIMARY : subject.substring(0, slash);
        String id = slash < 0 ? subject : subject.substring(slash + 1);
        if (slash >= 0 && UserStore.PRIMARY.equalsIgnoreCase(domain)) {
            return Optional.empty();
        }
        try {
            return store(domain).flatMap(s -> s.as(UserLookup.class)).flatMap(l -> l.findById(id))
                    .filter(u -> u.subject().equals(subject));
        } catch (RuntimeException e) {
            LOG.warn("User store failed during a lookup by subject: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Key {@code DOMAIN} or {@code DOMAIN/username}; see the class comment. Never throws. */
    @Override
    public void invalidate(String key) {
        if (key == null) {
            invalidateAll();
            return;
        }
        int slash = key.indexOf('/');
        String domain = (slash < 0 ? key : key.substring(0, slash)).strip().toUpperCase(Locale.ROOT);
        String username = slash < 0 ? "" : key.substring(slash + 1);
        // Every store of the domain, also one outranked now: it may take over later, and must not start stale.
        for (Entry e : entries) {
            if (e.domain().equals(domain)) {
                clear(e.store(), domain, username);
            }
        }
    }

    @Override
    public void invalidateAll() {
        for (Entry e : entries) {
            clear(e.store(), e.domain(), "");
        }
    }

    /** The caches of the stores that count theirs (LDAP directories), added up. */
    @Override
    public Counts counts() {
        long size = 0;
        long hits = 0;
        long misses = 0;
        for (Entry e : entries) {
            if (e.store() instanceof CacheStatistics s) {
                Counts c = s.counts();
                size += c.size();
                hits += c.hits();
                misses += c.misses();
            }
        }
        return new Counts(size, hits, misses);
    }

    /** Stores that cache nothing are skipped. */
    private static void clear(UserStore store, String domain, String username) {
        try {
            Optional<UserCacheControl> cache = store.as(UserCacheControl.class);
            if (cache.isEmpty()) {
                return;
            }
            if (username.isEmpty()) {
                cache.get().invalidateAll();
            } else {
                cache.get().invalidate(username);
            }
        } catch (RuntimeException e) {
            // One store's failure must not keep the others' caches stale.
            LOG.warn("Cache of user store {} failed to invalidate: {}", domain, e.toString());
        }
    }
}
