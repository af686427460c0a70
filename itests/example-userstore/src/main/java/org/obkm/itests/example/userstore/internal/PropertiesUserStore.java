package org.obkm.itests.example.userstore.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.User;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of the example type: a small fixed list of users written into the user store file itself,
 * read-only. It shows what a store type implements: the capability interfaces it can offer (lookup,
 * password check, search), {@link AutoCloseable} for the deployer to call when the file or the type's
 * bundle goes away, and a password check that does not tell unknown users from wrong passwords.
 *
 * <p>Properties ({@code <Property name="...">} in XML, keys in {@code .cfg}); all others, such as
 * {@code DomainName} or {@code Disabled}, are the deployer's and ignored here:
 * <ul>
 * <li>{@code User.<username>}: the user's display name (may be empty); declares the user</li>
 * <li>{@code Password.<username>}: {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}, from
 * {@link PropertiesUserStoreFactory#hash(char[], int)}; a user without one cannot sign in</li>
 * </ul>
 * Ids are name-based UUIDs of {@code DOMAIN/username}: the same on every node and after a restart,
 * as the {@code sub} of ID tokens needs (OpenID Connect Core 1.0 section 2). Usernames compare
 * exactly (case matters).
 */
final class PropertiesUserStore implements UserLookup, CredentialCheck, UserQuery, AutoCloseable {

    static final String USER_PREFIX = "User.";
    static final String PASSWORD_PREFIX = "Password.";
    /** The cost of the check for unknown users when the file has no hash to copy it from. */
    private static final int DEFAULT_ITERATIONS = 10_000;
    private static final int MAX_USERNAME_LENGTH = 255;
    private static final Logger LOG = LoggerFactory.getLogger(PropertiesUserStore.class);

    private final String domain;
    private final Map<String, User> byUsername;
    private final Map<String, User> byId;
    private final Map<String, Pbkdf2> passwords;
    private final int unknownUserIterations;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @throws IllegalArgumentException naming the property (never its value) when one is unusable
     */
    PropertiesUserStore(String domain, Map<String, String> properties) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("the domain must not be empty");
        }
        this.domain = domain;
        Map<String, User> users = new TreeMap<>();
        Map<String, Pbkdf2> hashes = new HashMap<>();
        properties.forEach((name, value) -> {
            if (name.startsWith(USER_PREFIX)) {
                String username = username(name, USER_PREFIX);
                users.put(username, new User(idOf(domain, username), domain, username,
                        value == null ? "" : value.trim(), false, Map.of()));
            } else if (name.startsWith(PASSWORD_PREFIX)) {
                hashes.put(username(name, PASSWORD_PREFIX), Pbkdf2.parse(name, value));
            }
        });
        for (String username : new TreeMap<>(hashes).keySet()) {
            if (!users.containsKey(username)) {
                throw new IllegalArgumentException(PASSWORD_PREFIX + username + " has no " + USER_PREFIX + username
                        + " declaring the user");
            }
        }
        Map<String, User> ids = new HashMap<>();
        users.values().forEach(u -> ids.put(u.id(), u));
        this.byUsername = Collections.unmodifiableMap(users);
        this.byId = Map.copyOf(ids);
        this.passwords = Map.copyOf(hashes);
        this.unknownUserIterations = hashes.values().stream().mapToInt(Pbkdf2::iterations).max().orElse(DEFAULT_ITERATIONS);
    }

    /** The stable id of a user of this type: a name-based UUID (RFC 9562 section 5.3) of {@code DOMAIN/username}. */
    static String idOf(String domain, String username) {
        return UUID.nameUUIDFromBytes((domain + "/" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String username(String property, String prefix) {
        String username = property.substring(prefix.length());
        if (username.isEmpty() || username.length() > MAX_USERNAME_LENGTH || !isPrintableWithoutSpace(username)) {
            throw new IllegalArgumentException(property + ": a username must be 1.." + MAX_USERNAME_LENGTH
                    + " printable characters without spaces");
        }
        return username;
    }

    private static boolean isPrintableWithoutSpace(String s) {
        return s.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c));
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        checkOpen();
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    @Override
    public Optional<User> findById(String id) {
        checkOpen();
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    /**
     * Unknown users, and users without a password, cost one PBKDF2 derivation as dear as the dearest
     * hash of the file, like a known user with a wrong password. An empty password is refused before any
     * work, for every username alike, so the early answer tells nothing about the user.
     */
    @Override
    public AuthenticationResult authenticate(String username, char[] password) {
        if (closed.get()) {
            return AuthenticationResult.unavailable();
        }
        if (password == null || password.length == 0) {
            return AuthenticationResult.badCredentials();
        }
        User user = username == null ? null : byUsername.get(username);
        Pbkdf2 hash = username == null ? null : passwords.get(username);
        if (user == null || hash == null) {
            Pbkdf2.burn(password, unknownUserIterations);
            return AuthenticationResult.badCredentials();
        }
        return hash.matches(password) ? AuthenticationResult.ok(user) : AuthenticationResult.badCredentials();
    }

    @Override
    public List<User> search(String filter, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        checkOpen();
        String f = filter == null ? "" : filter.trim().toLowerCase(Locale.ROOT);
        return byUsername.values().stream()
                .filter(u -> f.isEmpty() || u.username().toLowerCase(Locale.ROOT).contains(f)
                        || u.displayName().toLowerCase(Locale.ROOT).contains(f))
                .limit(limit)
                .toList();
    }

    /** Number of users, for the factory's log line. */
    int size() {
        return byUsername.size();
    }

    /**
     * Marks the store closed: later lookups throw {@link IllegalStateException} (the store cannot be
     * reached) and sign-ins answer UNAVAILABLE. Idempotent; logs once.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LOG.info("Example user store of domain {} closed ({} users)", domain, byUsername.size());
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the example user store of domain " + domain + " is closed");
        }
    }

    @Override
    public String toString() {
        return "PropertiesUserStore[" + domain + ", " + byUsername.size() + " users]";
    }
}
