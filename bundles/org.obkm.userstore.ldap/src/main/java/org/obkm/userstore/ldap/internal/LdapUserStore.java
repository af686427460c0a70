package org.obkm.userstore.ldap.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.apache.directory.api.ldap.codec.api.LdapApiService;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.exception.LdapInvalidDnException;
import org.apache.directory.api.ldap.model.message.SearchScope;
import org.apache.directory.api.ldap.model.name.Dn;
import org.obkm.api.cluster.CacheStatistics;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.GroupLookup;
import org.obkm.api.user.StoreDiagnostics;
import org.obkm.api.user.User;
import org.obkm.api.user.UserCacheControl;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserQuery;
import org.obkm.userstore.ldap.internal.EntryMapper.Found;

/**
 * A read-only user store on an LDAP v3 directory (RFC 4510): users found with the service account,
 * authenticated by a simple bind as themselves (RFC 4513 section 5.1.3), groups read from group
 * entries or from the user's {@code memberOf}. Lookups are cached on this node for
 * {@code CacheTimeToLive} seconds; the cluster's invalidations drop them sooner. Several replicas, the
 * pools, back-off and timeouts are {@link Directory}'s business; sign-in is {@link Authenticator}'s.
 */
final class LdapUserStore implements UserLookup, CredentialCheck, UserQuery, GroupLookup, StoreDiagnostics,
        UserCacheControl, CacheStatistics, AutoCloseable {

    /** How long a replica that failed is skipped. */
    static final long BACKOFF_MILLIS = 5_000;
    /** Entries read at most for an operator's search, which is then sorted and cut to its limit. */
    private static final int SEARCH_WINDOW = 1000;

    private final String domain;
    private final LdapSettings settings;
    private final Directory directory;
    private final EntryMapper mapper;
    private final TtlCache<String, Found> byName;
    private final TtlCache<String, Found> byId;
    private final Authenticator authenticator;

    LdapUserStore(String domain, LdapSettings settings, LdapApiService api) {
        this(domain, settings, api, BACKOFF_MILLIS, System::nanoTime);
    }

    LdapUserStore(String domain, LdapSettings settings, LdapApiService api, long backoffMillis, LongSupplier clock) {
        this.domain = domain;
        this.settings = settings;
        LdapTls tls = LdapTls.of(settings.trustStore(), settings.trustStorePassword());
        this.directory = new Directory(domain, settings, api, tls, backoffMillis);
        this.mapper = new EntryMapper(domain, settings);
        this.byName = new TtlCache<>(settings.cacheTtlSeconds(), settings.cacheMaxEntries(), clock);
        this.byId = new TtlCache<>(settings.cacheTtlSeconds(), settings.cacheMaxEntries(), clock);
        this.authenticator = new Authenticator(this, directory, settings);
    }

    @Override
    public String domain() {
        return domain;
    }

    /** The replicas and their pools (for the self test, and for tests to watch the pools). */
    Directory directory() {
        return directory;
    }

    LdapSettings settings() {
        return settings;
    }

    EntryMapper mapper() {
        return mapper;
    }

    @Override
    public AuthenticationResult authenticate(String username, char[] password) {
        return authenticator.authenticate(username, password);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        ensureOpen();
        if (!LdapText.isPlausibleUsername(username)) {
            return Optional.empty();
        }
        Found cached = byName.get(key(username));
        if (cached != null) {
            return Optional.of(cached.user());
        }
        return Optional.ofNullable(findEntry(username)).map(f -> remember(complete(f)).user());
    }

    @Override
    public Optional<User> findById(String id) {
        ensureOpen();
        if (!LdapText.isPlausibleUsername(id)) {
            return Optional.empty();
        }
        Found cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached.user());
        }
        String value = LdapText.filterValue(id);
        if (settings.userIdAttribute().equalsIgnoreCase("objectGUID")) {
            try {
                value = LdapText.filterBytes(LdapText.guidBytes(UUID.fromString(id)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        String filter = "(&" + settings.userNameListFilter() + "(" + settings.userIdAttribute() + "=" + value + "))";
        return Optional.ofNullable(one(settings.userSearchBase(), filter, null)).map(f -> remember(complete(f)).user());
    }

    /** The user entry of this username, fresh from the directory (without groups), or null. */
    Found findEntry(String username) {
        return one(settings.userSearchBase(), LdapText.fill(settings.userNameSearchFilter(), username), username);
    }

    /** The entry at this DN when it is a user entry (UserDNPattern sign-ins), or null. */
    Found entryAt(String dn) {
        return one(dn, settings.userNameListFilter(), null, SearchScope.OBJECT);
    }

    private Found one(String base, String filter, String wanted) {
        return one(base, filter, wanted, SearchScope.SUBTREE);
    }

    private Found one(String base, String filter, String wanted, SearchScope scope) {
        List<Entry> entries = directory.search(c -> LdapSearch.run(c, base, scope, filter, 2,
                settings.readTimeoutMillis(), mapper.attributes())).entries();
        if (entries.size() > 1) {
            throw new Directory.Refused("directory of " + domain + ": more than one entry matches " + filter + " under " + base);
        }
        return entries.isEmpty() ? null : mapper.map(entries.get(0), wanted);
    }

    /** The entry with its groups (when ReadGroups). */
    Found complete(Found f) {
        return settings.readGroups() ? mapper.withGroups(f, groupsOf(f)) : f;
    }

    /** Caches a fresh entry under its username and id, replacing what was there. */
    Found remember(Found f) {
        Found old = byName.remove(key(f.user().username()));
        if (old != null) {
            byId.remove(old.user().id());
        }
        byName.put(key(f.user().username()), f);
        byId.put(f.user().id(), f);
        return f;
    }

    private List<String> groupsOf(Found f) {
        if (settings.groupsFromUserEntry()) {
            return f.memberOf().stream().map(LdapUserStore::groupName).distinct()
                    .sorted(String.CASE_INSENSITIVE_ORDER).toList();
        }
        String member = settings.membershipAttribute().equalsIgnoreCase("memberUid") ? f.user().username() : f.dn();
        String filter = "(&" + settings.groupNameListFilter() + "(" + settings.membershipAttribute() + "="
                + LdapText.filterValue(member) + "))";
        return groupNames(filter, SEARCH_WINDOW);
    }

    private List<String> groupNames(String filter, int limit) {
        if (settings.groupSearchBase().isEmpty()) {
            return List.of();
        }
        List<Entry> entries = directory.search(c -> LdapSearch.run(c, settings.groupSearchBase(), SearchScope.SUBTREE,
                filter, SEARCH_WINDOW, settings.readTimeoutMillis(), List.of(settings.groupNameAttribute()))).entries();
        return entries.stream().flatMap(e -> EntryMapper.values(e, settings.groupNameAttribute()).stream().limit(1))
                .distinct().sorted(String.CASE_INSENSITIVE_ORDER).limit(limit).toList();
    }

    private static String groupName(String dn) {
        try {
            return new Dn(dn).getRdn().getValue();
        } catch (LdapInvalidDnException e) {
            return dn;
        }
    }

    @Override
    public List<String> groupsOf(String username) {
        ensureOpen();
        if (!settings.readGroups()) {
            return List.of();
        }
        return findByUsername(username).map(u -> u.attributes().getOrDefault("groups", List.of())).orElse(List.of());
    }

    @Override
    public List<String> searchGroups(String filter, int limit) {
        checkLimit(limit);
        ensureOpen();
        if (!settings.readGroups()) {
            return List.of();
        }
        String f = filter == null || filter.isBlank() ? settings.groupNameListFilter()
                : "(&" + settings.groupNameListFilter() + "(" + settings.groupNameAttribute() + "=*"
                        + LdapText.filterValue(filter.trim()) + "*))";
        return groupNames(f, limit);
    }

    @Override
    public List<User> search(String filter, int limit) {
        checkLimit(limit);
        ensureOpen();
        String needle = filter == null ? "" : filter.trim();
        String f = needle.isEmpty() ? settings.userNameListFilter()
                : "(&" + settings.userNameListFilter() + "(|(" + settings.userNameAttribute() + "=*"
                        + LdapText.filterValue(needle) + "*)(" + settings.displayNameAttribute() + "=*"
                        + LdapText.filterValue(needle) + "*)))";
        List<Entry> entries = directory.search(c -> LdapSearch.run(c, settings.userSearchBase(), SearchScope.SUBTREE,
                f, Math.max(limit, SEARCH_WINDOW), settings.readTimeoutMillis(), mapper.attributes())).entries();
        String lower = needle.toLowerCase(Locale.ROOT);
        List<User> users = new ArrayList<>();
        for (Entry e : entries) {
            try {
                Found found = mapper.map(e, null);
                if (settings.readGroups() && settings.groupsFromUserEntry()) {
                    found = mapper.withGroups(found, groupsOf(found));
                }
                User u = found.user();
                if (u.username().toLowerCase(Locale.ROOT).contains(lower)
                        || u.displayName().toLowerCase(Locale.ROOT).contains(lower)) {
                    users.add(u);
                }
            } catch (Directory.Refused skipped) {
                // an entry without id or username is no user of this store
            }
        }
        return users.stream().sorted(Comparator.comparing(User::username, String.CASE_INSENSITIVE_ORDER))
                .limit(limit).toList();
    }

    private static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
    }

    @Override
    public List<Step> test() {
        return new DirectoryChecks(domain, settings, directory).run();
    }

    @Override
    public void invalidate(String username) {
        if (username == null) {
            return;
        }
        Found old = byName.remove(key(username));
        if (old != null) {
            byId.remove(old.user().id());
        }
    }

    @Override
    public void invalidateAll() {
        byName.clear();
        byId.clear();
    }

    /** Both lookup caches (by user name and by id) together. */
    @Override
    public Counts counts() {
        return new Counts(byName.size() + byId.size(), byName.hits() + byId.hits(), byName.misses() + byId.misses());
    }

    private void ensureOpen() {
        if (directory.isClosed()) {
            throw new IllegalStateException("the user store of " + domain + " is closed");
        }
    }

    boolean isClosed() {
        return directory.isClosed();
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        directory.close();
        invalidateAll();
    }

    @Override
    public String toString() {
        return "LdapUserStore[" + domain + " " + settings.replicas() + "]";
    }
}
