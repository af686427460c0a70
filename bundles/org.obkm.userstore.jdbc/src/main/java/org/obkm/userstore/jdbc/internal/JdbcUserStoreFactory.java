package org.obkm.userstore.jdbc.internal;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.obkm.api.schema.SchemaReady;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User stores of type {@value #TYPE}: secondary domains whose users live in OBKM's shared database,
 * in the primary store's table, kept apart by its {@code domain} column, hashed, locked out and
 * managed exactly as the primary store's ({@link JdbcUserStore}). It also serves the original
 * product's JDBC user store files ({@code JDBCUserStoreManager}, {@code UniqueIDJDBCUserStoreManager}),
 * as long as they do not name a database of their own: those files usually point at an external
 * database ({@code url}, {@code driverName}, {@code dataSource}), which is not supported yet, and such
 * a file is refused rather than served, empty, from the shared database.
 *
 * <p>Properties read: {@code pbkdf2Iterations}, {@code maxFailedAttempts}, {@code lockoutSeconds},
 * {@code minPasswordLength}, with the bounds and defaults of the primary store's configuration
 * ({@link JdbcUserStoreConfig}). Others are ignored, named once in the log (their values never are).
 */
@Component(service = UserStoreFactory.class, property = {
    UserStoreFactory.TYPE_PROPERTY + "=" + JdbcUserStoreFactory.TYPE,
    UserStoreFactory.CLASS_PROPERTY + "=org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager",
    UserStoreFactory.CLASS_PROPERTY + "=org.wso2.carbon.user.core.jdbc.UniqueIDJDBCUserStoreManager"})
public final class JdbcUserStoreFactory implements UserStoreFactory {

    static final String TYPE = "jdbc";
    /** The length of the column {@code obkm_user.domain}. */
    static final int MAX_DOMAIN_LENGTH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(JdbcUserStoreFactory.class);
    /** The original product's properties that point a JDBC store at a database of its own. */
    private static final List<String> SEPARATE_DATABASE = List.of("url", "driverName", "dataSource");
    /** Read by the deployer, not by a store (in lower case). */
    private static final Set<String> DEPLOYER = Set.of("domainname", "disabled", "description", "type", "class");

    private final DataSource dataSource;
    private final Clock clock;

    @Activate
    public JdbcUserStoreFactory(@Reference(target = "(osgi.jndi.service.name=obkm)") DataSource dataSource,
            @Reference(target = UserSchema.READY) SchemaReady schema) {
        this(dataSource, Clock.systemUTC());
    }

    JdbcUserStoreFactory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public UserStore create(String domain, Map<String, String> properties) {
        String d = checkDomain(domain);
        Map<String, String> props = properties == null ? Map.of() : properties;
        for (String name : SEPARATE_DATABASE) {
            if (valueOf(props, name) != null) {
                throw new IllegalArgumentException("user store " + d + ": type jdbc keeps users in OBKM's shared"
                        + " database; a separate database (" + name + ") is not supported. Remove " + name
                        + " to keep this domain's users in the shared database");
            }
        }
        Settings settings = settings(d, props);
        JdbcUserStore.warnIfWeak(settings, "user store " + d);
        List<String> ignored = props.keySet().stream().filter(k -> !isRead(k)).sorted().toList();
        if (!ignored.isEmpty()) {
            LOG.info("User store {}: ignoring properties that type jdbc does not use: {}", d, ignored);
        }
        LOG.info("User store {} of type jdbc: users in the shared database, {} PBKDF2 iterations", d,
                settings.pbkdf2Iterations());
        return new JdbcUserStore(dataSource, d, settings, clock);
    }

    private static String checkDomain(String domain) {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("a user store of type jdbc needs a domain name");
        }
        String d = domain.strip().toUpperCase(Locale.ROOT);
        if (UserStore.PRIMARY.equals(d)) {
            throw new IllegalArgumentException("user store PRIMARY: that domain is the primary user store's"
                    + " (etc/org.obkm.userstore.jdbc.cfg); a user store file cannot claim it");
        }
        if (d.length() > MAX_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("user store " + d + ": a domain of type jdbc has at most "
                    + MAX_DOMAIN_LENGTH + " characters");
        }
        if (d.indexOf('/') >= 0 || d.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("user store " + d + ": a domain must not contain '/', whitespace or"
                    + " control characters");
        }
        return d;
    }

    private static Settings settings(String domain, Map<String, String> props) {
        Settings defaults = Settings.defaults();
        try {
            return new Settings(
                    intOf(props, "pbkdf2Iterations", defaults.pbkdf2Iterations()),
                    intOf(props, "maxFailedAttempts", defaults.maxFailedAttempts()),
                    intOf(props, "lockoutSeconds", defaults.lockoutSeconds()),
                    intOf(props, "minPasswordLength", defaults.minPasswordLength()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("user store " + domain + ": " + e.getMessage(), e);
        }
    }

    private static int intOf(Map<String, String> props, String name, int fallback) {
        String v = valueOf(props, name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }

    /** The stripped value of a property, its name compared ignoring case; null when absent or blank. */
    private static String valueOf(Map<String, String> props, String name) {
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isBlank()) {
                return e.getValue().strip();
            }
        }
        return null;
    }

    private static boolean isRead(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return DEPLOYER.contains(k) || k.startsWith("service.") || k.startsWith("felix.") || k.startsWith("component.")
                || k.equals("pbkdf2iterations") || k.equals("maxfailedattempts") || k.equals("lockoutseconds")
                || k.equals("minpasswordlength");
    }
}
