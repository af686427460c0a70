package org.obkm.userstore.ldap.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.apache.directory.api.ldap.model.filter.FilterParser;
import org.apache.directory.api.ldap.model.name.Dn;

/**
 * The settings of one LDAP user store, read from the properties of a user store file under the names
 * the original product's LDAP user store managers use ({@code ConnectionURL}, {@code UserSearchBase},
 * ...), so that an operator's existing file works unchanged. Every problem is reported as an
 * {@link IllegalArgumentException} naming the property; a password's value is never part of a message
 * nor of {@link #toString()}.
 */
record LdapSettings(List<Replica> replicas, String bindDn, String bindPassword, String userSearchBase,
        String userObjectClass, String userNameAttribute, String userNameSearchFilter, String userNameListFilter,
        List<String> userDnPatterns, String userIdAttribute, String displayNameAttribute, boolean readGroups,
        String groupSearchBase, String groupObjectClass, String groupNameAttribute, String groupNameSearchFilter,
        String groupNameListFilter, String membershipAttribute, String memberOfAttribute, boolean startTls,
        long connectTimeoutMillis, long readTimeoutMillis, int poolSize, long poolWaitMillis, String trustStore,
        String trustStorePassword, long cacheTtlSeconds, int cacheMaxEntries, Set<String> ignored) {

    /** One directory server of {@code ConnectionURL}; replicas are tried in the order given. */
    record Replica(String url, String host, int port, boolean ldaps) {
        @Override
        public String toString() {
            return url;
        }
    }

    /** Property names this store reads; everything else in a file is ignored (and listed once). */
    static final Set<String> KNOWN = Set.of("ConnectionURL", "ConnectionName", "ConnectionPassword",
            "UserSearchBase", "UserEntryObjectClass", "UserNameAttribute", "UserNameSearchFilter",
            "UserNameListFilter", "UserDNPattern", "UserIDAttribute", "DisplayNameAttribute", "ReadGroups",
            "GroupSearchBase", "GroupEntryObjectClass", "GroupNameAttribute", "GroupNameSearchFilter",
            "GroupNameListFilter", "MembershipAttribute", "MemberOfAttribute", "DomainName", "Disabled",
            "StartTLSEnabled", "LDAPConnectionTimeout", "ReadTimeout", "ConnectionPoolSize",
            "ConnectionPoolWaitTimeout", "TrustStore", "TrustStorePassword", "CacheTimeToLive", "CacheMaxEntries");

    LdapSettings {
        replicas = List.copyOf(replicas);
        userDnPatterns = List.copyOf(userDnPatterns);
        ignored = Set.copyOf(ignored);
    }

    /** Whether the service connections bind as {@link #bindDn()} (else they stay anonymous). */
    boolean serviceBind() {
        return !bindDn.isEmpty();
    }

    /** Whether group names are read from an attribute of the user's entry rather than by a group search. */
    boolean groupsFromUserEntry() {
        return !memberOfAttribute.isEmpty();
    }

    /** The longest a request may spend getting a connection and an answer from one replica. */
    long attemptBudgetMillis() {
        return connectTimeoutMillis + readTimeoutMillis + poolWaitMillis;
    }

    @Override
    public String toString() {
        return "LdapSettings[replicas=" + replicas + ", bindDn=" + bindDn + ", userSearchBase=" + userSearchBase
                + ", startTls=" + startTls + ", poolSize=" + poolSize + "]";
    }

    /** Reads and checks the properties of a user store file. */
    static LdapSettings parse(Map<String, String> properties) {
        Reader p = new Reader(Objects.requireNonNull(properties, "properties"));
        List<Replica> replicas = replicas(p.required("ConnectionURL"));
        String bindDn = p.dn("ConnectionName", "");
        String bindPassword = properties.getOrDefault("ConnectionPassword", "");
        if (!bindDn.isEmpty() && (bindPassword == null || bindPassword.isEmpty())) {
            // An empty password turns a simple bind into an unauthenticated one (RFC 4513 section 5.1.2).
            throw new IllegalArgumentException("ConnectionPassword is empty but ConnectionName is set: "
                    + "give the service account's password, or leave ConnectionName empty for anonymous searches");
        }
        String userBase = p.dn("UserSearchBase", null);
        String userClass = p.text("UserEntryObjectClass", "inetOrgPerson");
        String userName = p.attribute("UserNameAttribute", "uid");
        String userFilter = p.filter("UserNameSearchFilter",
                "(&(objectClass=" + userClass + ")(" + userName + "=?))", true);
        String userList = p.filter("UserNameListFilter", "(objectClass=" + userClass + ")", false);
        List<String> patterns = patterns(p.text("UserDNPattern", ""));
        String idAttribute = p.attribute("UserIDAttribute", "entryUUID");
        String displayName = p.attribute("DisplayNameAttribute", "cn");
        boolean readGroups = p.bool("ReadGroups", true);
        String memberOf = p.text("MemberOfAttribute", "");
        String groupBase = p.text("GroupSearchBase", "").isEmpty() ? "" : p.dn("GroupSearchBase", null);
        if (readGroups && memberOf.isEmpty() && groupBase.isEmpty()) {
            throw new IllegalArgumentException(
                    "GroupSearchBase is missing: it is required when ReadGroups is true and MemberOfAttribute is not set");
        }
        String groupClass = p.text("GroupEntryObjectClass", "groupOfNames");
        String groupName = p.attribute("GroupNameAttribute", "cn");
        String groupFilter = p.filter("GroupNameSearchFilter",
                "(&(objectClass=" + groupClass + ")(" + groupName + "=?))", true);
        String groupList = p.filter("GroupNameListFilter", "(objectClass=" + groupClass + ")", false);
        String membership = p.attribute("MembershipAttribute", "member");
        p.bool("Disabled", false);
        boolean startTls = p.bool("StartTLSEnabled", false);
        long connect = p.number("LDAPConnectionTimeout", 5000, 1, 600_000);
        long read = p.number("ReadTimeout", 5000, 1, 600_000);
        int pool = (int) p.number("ConnectionPoolSize", 8, 1, 1000);
        long poolWait = p.number("ConnectionPoolWaitTimeout", connect, 0, 600_000);
        String trustStore = p.text("TrustStore", "");
        String trustStorePassword = properties.getOrDefault("TrustStorePassword", "");
        long ttl = p.number("CacheTimeToLive", 60, 0, 86_400);
        int maxEntries = (int) p.number("CacheMaxEntries", 10_000, 1, 10_000_000);
        return new LdapSettings(replicas, bindDn, bindPassword, userBase, userClass, userName, userFilter, userList,
                patterns, idAttribute, displayName, readGroups, groupBase, groupClass, groupName, groupFilter,
                groupList, membership, memberOf, startTls, connect, read, pool, poolWait, trustStore,
                trustStorePassword == null ? "" : trustStorePassword, ttl, maxEntries, p.ignored());
    }

    private static List<Replica> replicas(String value) {
        List<Replica> out = new ArrayList<>();
        for (String url : value.trim().split("\\s+")) {
            out.add(replica(url));
        }
        return out;
    }

    private static Replica replica(String url) {
        String problem = "ConnectionURL: '" + url + "' is not an ldap://host:port or ldaps://host:port URL";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new IllegalArgumentException(problem + ": the scheme must be ldap or ldaps");
        }
        String path = uri.getRawPath();
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || (path != null && !path.isEmpty() && !path.equals("/"))) {
            throw new IllegalArgumentException(problem);
        }
        boolean ldaps = scheme.equals("ldaps");
        int port = uri.getPort() == -1 ? (ldaps ? 636 : 389) : uri.getPort();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new Replica(scheme + "://" + uri.getHost() + ":" + port, host, port, ldaps);
    }

    private static List<String> patterns(String value) {
        List<String> out = new ArrayList<>();
        if (value.isEmpty()) {
            return out;
        }
        for (String pattern : value.split("#")) {
            String p = pattern.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (!p.contains("{0}") || !Dn.isValid(p.replace("{0}", "x"))) {
                throw new IllegalArgumentException("UserDNPattern: '" + p
                        + "' is not a DN with {0} in place of the username, such as uid={0},ou=Users,dc=example,dc=com");
            }
            out.add(p);
        }
        return out;
    }

    /** Reads typed values and remembers which properties were not understood. */
    private static final class Reader {
        private final Map<String, String> properties;

        Reader(Map<String, String> properties) {
            this.properties = properties;
        }

        String text(String name, String fallback) {
            String v = properties.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        String required(String name) {
            String v = text(name, null);
            if (v == null) {
                throw new IllegalArgumentException(name + " is missing: it is required for an LDAP user store");
            }
            return v;
        }

        String dn(String name, String fallback) {
            String v = fallback == null ? required(name) : text(name, fallback);
            if (!v.isEmpty() && !Dn.isValid(v)) {
                throw new IllegalArgumentException(name + ": '" + v + "' is not a distinguished name (RFC 4514)");
            }
            return v;
        }

        String attribute(String name, String fallback) {
            String v = text(name, fallback);
            if (!v.matches("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+")) {
                throw new IllegalArgumentException(name + ": '" + v + "' is not an attribute name");
            }
            return v;
        }

        String filter(String name, String fallback, boolean withPlaceholder) {
            String v = text(name, fallback);
            if (withPlaceholder && !v.contains("?")) {
                throw new IllegalArgumentException(name + ": '" + v + "' has no ? where the name goes");
            }
            try {
                FilterParser.parse(v.replace("?", "x"));
            } catch (ParseException | RuntimeException e) {
                throw new IllegalArgumentException(name + ": '" + v + "' is not an LDAP search filter (RFC 4515)");
            }
            return v;
        }

        boolean bool(String name, boolean fallback) {
            String v = text(name, null);
            if (v == null) {
                return fallback;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(name + ": '" + v + "' is neither true nor false");
        }

        long number(String name, long fallback, long min, long max) {
            String v = text(name, null);
            if (v == null) {
                return fallback;
            }
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number from " + min + " to " + max);
        }

        Set<String> ignored() {
            Set<String> out = new TreeSet<>();
            for (String key : properties.keySet()) {
                if (!KNOWN.contains(key) && !isFramework(key)) {
                    out.add(key);
                }
            }
            return out;
        }

        private static boolean isFramework(String key) {
            return key.equals("type") || key.equals("class") || key.startsWith("service.")
                    || key.startsWith("felix.") || key.startsWith("component.") || key.startsWith("obkm.");
        }
    }
}
