package org.obkm.userstore.jdbc.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.obkm.api.schema.SchemaReady;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.StoreDiagnostics;
import org.obkm.api.user.User;
import org.obkm.api.user.UserAdmin;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserQuery;
import org.obkm.api.user.UserStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user store in the shared database: users of one domain, passwords as PBKDF2-HMAC-SHA256 hashes,
 * and a lockout after repeated failed sign-ins (the brute-force protection OWASP ASVS 4.0 section
 * 2.2.1 asks for), counted in the database so that every node of a cluster counts together. Nothing
 * is cached: a lock or a password change holds on every node the moment it commits.
 *
 * <p>As a DS component (PID {@value #PID}) it is the {@value UserStore#PRIMARY} store;
 * {@link JdbcUserStoreFactory} makes further ones, for secondary domains of type {@code jdbc}, whose
 * users live in the same table, kept apart by its {@code domain} column.
 *
 * <p>The table is this bundle's own ({@link UserSchema}, module {@value UserSchema#MODULE}): the component
 * starts once the database bundle has migrated it and registered its {@link SchemaReady}.
 */
@Component(service = {UserStore.class, UserLookup.class, CredentialCheck.class, UserQuery.class, UserAdmin.class,
    StoreDiagnostics.class},
        configurationPid = JdbcUserStore.PID, property = UserStore.DOMAIN_PROPERTY + "=" + UserStore.PRIMARY)
@Designate(ocd = JdbcUserStoreConfig.class)
public final class JdbcUserStore implements UserLookup, CredentialCheck, UserQuery, UserAdmin, StoreDiagnostics {

    static final String PID = "org.obkm.userstore.jdbc";
    static final int RECOMMENDED_ITERATIONS = 600_000;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcUserStore.class);

    private final String domain;
    private final UserTable table;
    private final PasswordHasher hasher = new PasswordHasher();
    private final Clock clock;
    private volatile Settings settings;

    @Activate
    public JdbcUserStore(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference(target = UserSchema.READY) SchemaReady schema, JdbcUserStoreConfig config) {
        this(dataSource, PRIMARY, configured(config), Clock.systemUTC());
    }

    JdbcUserStore(DataSource dataSource, Settings settings, Clock clock) {
        this(dataSource, PRIMARY, settings, clock);
    }

    /** The store of {@code domain} (upper case, as the registry and the factory give it). */
    JdbcUserStore(DataSource dataSource, String domain, Settings settings, Clock clock) {
        this.domain = domain;
        this.table = new UserTable(dataSource, domain);
        this.settings = settings;
        this.clock = clock;
    }

    /** A new configuration replaces the old one as a whole, or not at all. */
    @Modified
    void modified(JdbcUserStoreConfig config) {
        settings = configured(config);
    }

    private static Settings configured(JdbcUserStoreConfig config) {
        Settings s;
        try {
            s = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Configuration {} refused: {}", PID, e.getMessage());
            throw e;
        }
        warnIfWeak(s, PID);
        return s;
    }

    /** Says in the log when settings that {@code source} (a PID or a user store file) gave are weak. */
    static void warnIfWeak(Settings s, String source) {
        if (s.pbkdf2Iterations() < RECOMMENDED_ITERATIONS) {
            LOG.warn("{}: pbkdf2Iterations = {} is below the recommended {}", source, s.pbkdf2Iterations(),
                    RECOMMENDED_ITERATIONS);
        }
        if (!s.lockoutEnabled()) {
            LOG.warn("{}: maxFailedAttempts = 0: no lockout after failed sign-ins", source);
        }
    }

    @Override
    public String domain() {
        return domain;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public Optional<User> findById(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        long now = clock.millis();
        return table.findById(id).map(r -> toUser(r, now));
    }

    @Override
    public Optional<User> findByUsername(String username) {
        if (!UserPolicy.isValidUsername(username)) {
            return Optional.empty();
        }
        long now = clock.millis();
        return table.find(username).map(r -> toUser(r, now));
    }

    @Override
    public AuthenticationResult authenticate(String username, char[] password) {
        char[] pw = password == null ? new char[0] : password;
        Settings s = settings;
        try {
            Optional<UserTable.Row> found = UserPolicy.isValidUsername(username) ? table.find(username) : Optional.empty();
            if (found.isEmpty()) {
                hasher.burn(pw, s.pbkdf2Iterations());
                return AuthenticationResult.badCredentials();
            }
            UserTable.Row row = found.get();
            long now = clock.millis();
            if (row.lockedByAdmin()) {
                return AuthenticationResult.lockedByAdministrator();
            }
            if (row.lockedUntil() != null && row.lockedUntil() > now) {
                return AuthenticationResult.lockedUntil(Instant.ofEpochMilli(row.lockedUntil()));
            }
            if (!hasher.verify(pw, row.passwordHash(), s.pbkdf2Iterations())) {
                return failed(row, s);
            }
            // Also the check that no other node locked the user while the hash was computed.
            if (!table.recordSuccess(row.id(), clock.millis())) {
                LOG.info("Sign-in of user {} refused: locked or deleted while the password was checked", row.id());
                return refusedAfterCheck(username);
            }
            upgradeHash(row, pw, s);
            return AuthenticationResult.ok(toUser(row, now));
        } catch (RuntimeException e) {
            LOG.warn("The {} is unavailable for a sign-in: {}", name(), e.getMessage());
            return AuthenticationResult.unavailable();
        }
    }

    private AuthenticationResult refusedAfterCheck(String username) {
        long now = clock.millis();
        return table.find(username).map(r -> r.lockedByAdmin() ? AuthenticationResult.lockedByAdministrator()
                : r.lockedAt(now) ? AuthenticationResult.lockedUntil(Instant.ofEpochMilli(r.lockedUntil()))
                : AuthenticationResult.badCredentials()).orElseGet(AuthenticationResult::badCredentials);
    }

    private AuthenticationResult failed(UserTable.Row row, Settings s) {
        long now = clock.millis();
        long until = now + s.lockoutSeconds() * 1000L;
        UserTable.LockState state = table.recordFailure(row.id(), now,
                s.lockoutEnabled() ? s.maxFailedAttempts() : Integer.MAX_VALUE, until);
        if (state.byAdmin()) {
            return AuthenticationResult.lockedByAdministrator();
        }
        if (state.until() != null && state.until() > now) {
            LOG.info("User {} locked until {} after {} failed sign-ins", row.id(), Instant.ofEpochMilli(state.until()),
                    s.maxFailedAttempts());
            return AuthenticationResult.lockedUntil(Instant.ofEpochMilli(state.until()));
        }
        return AuthenticationResult.badCredentials();
    }

    /** Re-hashes with the configured cost when the stored hash is cheaper; the sign-in succeeds regardless. */
    private void upgradeHash(UserTable.Row row, char[] password, Settings s) {
        int stored = PasswordHasher.iterations(row.passwordHash());
        if (stored >= s.pbkdf2Iterations()) {
            return;
        }
        try {
            if (table.replaceHash(row.id(), row.passwordHash(), hasher.hash(password, s.pbkdf2Iterations()))) {
                LOG.info("Password hash of user {} raised from {} to {} iterations", row.id(), stored, s.pbkdf2Iterations());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not raise the password hash cost of user {}: {}", row.id(), e.getMessage());
        }
    }

    @Override
    public List<User> search(String filter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        long now = clock.millis();
        return table.search(filter, limit).stream().map(r -> toUser(r, now)).toList();
    }

    /** {@code obkm:userstore-test}: the shared database answers, how many users the domain has, a sample. */
    @Override
    public List<Step> test() {
        long t0 = System.nanoTime();
        long users;
        try {
            users = table.count();
        } catch (RuntimeException e) {
            return List.of(new Step("shared database", false, Duration.ofNanos(System.nanoTime() - t0), e.getMessage()));
        }
        Step count = new Step("shared database", true, Duration.ofNanos(System.nanoTime() - t0),
                users + " users in " + domain);
        long t1 = System.nanoTime();
        try {
            List<String> names = search(null, 5).stream().map(User::username).toList();
            return List.of(count, new Step("sample search", true, Duration.ofNanos(System.nanoTime() - t1),
                    names.isEmpty() ? "no users" : String.join(", ", names)));
        } catch (RuntimeException e) {
            return List.of(count, new Step("sample search", false, Duration.ofNanos(System.nanoTime() - t1),
                    e.getMessage()));
        }
    }

    @Override
    public User add(String username, String displayName, char[] password) {
        Settings s = settings;
        UserPolicy.checkUsername(username);
        String display = UserPolicy.checkDisplayName(displayName);
        UserPolicy.checkPassword(password, username, s);
        long now = clock.millis();
        UserTable.Row row = new UserTable.Row(UUID.randomUUID().toString(), username, display,
                hasher.hash(password, s.pbkdf2Iterations()), 0, null, false, now, now, null);
        table.insert(row);
        LOG.info("User {} added to the {} with id {}", username, name(), row.id());
        return toUser(row, now);
    }

    @Override
    public void setPassword(String username, char[] password) {
        Settings s = settings;
        UserPolicy.checkUsername(username);
        UserPolicy.checkPassword(password, username, s);
        if (!table.setPassword(username, hasher.hash(password, s.pbkdf2Iterations()), clock.millis())) {
            throw unknown(username);
        }
        LOG.info("Password of user {} of the {} changed", username, name());
    }

    @Override
    public void lock(String username) {
        if (!UserPolicy.isValidUsername(username) || !table.lock(username, clock.millis())) {
            throw unknown(username);
        }
        LOG.info("User {} of the {} locked by an administrator", username, name());
    }

    @Override
    public void unlock(String username) {
        if (!UserPolicy.isValidUsername(username) || !table.unlock(username, clock.millis())) {
            throw unknown(username);
        }
        LOG.info("User {} of the {} unlocked", username, name());
    }

    @Override
    public boolean delete(String username) {
        boolean existed = UserPolicy.isValidUsername(username) && table.delete(username);
        if (existed) {
            LOG.info("User {} deleted from the {}", username, name());
        }
        return existed;
    }

    private IllegalArgumentException unknown(String username) {
        return new IllegalArgumentException("no user named " + username + " in the " + name());
    }

    /** For messages: "primary user store", or "user store EXAMPLE.COM". */
    private String name() {
        return PRIMARY.equals(domain) ? "primary user store" : "user store " + domain;
    }

    private User toUser(UserTable.Row r, long now) {
        return new User(r.id(), domain, r.username(), r.displayName(), r.lockedAt(now),
                Attributes.parse(r.attributes()));
    }
}
