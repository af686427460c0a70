package org.obkm.dcr.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.obkm.api.client.TokenEndpointAuthMethod;

/**
 * The registration settings of {@code etc/org.obkm.dcr.cfg}, read as a whole at each change: the trusted
 * directories ({@code directory.<name>.<key>}, one block per directory) and the rules for every
 * registration. Directory keys are dynamic, so the raw properties are read rather than an
 * {@code @ObjectClassDefinition} of fixed names. A bad value fails the whole configuration with one line
 * naming the key; the previous settings stay in force.
 */
record DcrSettings(Map<String, TrustedDirectory> byIssuer, Set<String> allowedJwksHosts, Path jwksTrustedCaFile,
        Duration connectTimeout, Duration readTimeout, int maxJwksBytes, Duration jwksRefreshMin,
        Duration jwksCacheTtl, boolean selfSignedSsaAllowed, Pattern issPattern, boolean issIsSoftwareId,
        Set<TokenEndpointAuthMethod> authMethods, String profile, String registrationBaseUrl,
        Path transportCaFile, Duration clockSkew) {

    static final String PREFIX = "directory.";

    static DcrSettings parse(Map<String, ?> p) {
        Map<String, Map<String, String>> blocks = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : p.entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                String rest = e.getKey().substring(PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0) {
                    throw new IllegalArgumentException(e.getKey() + ": use directory.<name>.<key>");
                }
                blocks.computeIfAbsent(rest.substring(0, dot), k -> new HashMap<>())
                        .put(rest.substring(dot + 1), String.valueOf(e.getValue()).strip());
            }
        }
        Map<String, TrustedDirectory> byIssuer = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> b : blocks.entrySet()) {
            TrustedDirectory d = directory(b.getKey(), b.getValue());
            if (byIssuer.put(d.issuer(), d) != null) {
                throw new IllegalArgumentException(PREFIX + b.getKey() + ".issuer: another directory has issuer '"
                        + d.issuer() + "'");
            }
        }
        Set<TokenEndpointAuthMethod> methods = list(p, "tokenEndpointAuthMethods", "private_key_jwt, tls_client_auth")
                .stream().map(TokenEndpointAuthMethod::parse).collect(Collectors.toSet());
        if (methods.stream().anyMatch(TokenEndpointAuthMethod::usesSecret)) {
            throw new IllegalArgumentException("tokenEndpointAuthMethods: FAPI allows no client secrets; use"
                    + " private_key_jwt, tls_client_auth, self_signed_tls_client_auth");
        }
        String ca = string(p, "jwksTrustedCaFile", "");
        String transport = string(p, "trustedCaFile", "");
        return new DcrSettings(byIssuer,
                list(p, "allowedJwksHosts", "").stream().map(String::toLowerCase).collect(Collectors.toSet()),
                ca.isEmpty() ? null : Path.of(ca), Duration.ofMillis(number(p, "connectTimeoutMillis", 2000)),
                Duration.ofMillis(number(p, "readTimeoutMillis", 3000)), (int) number(p, "maxJwksBytes", 65536),
                Duration.ofSeconds(number(p, "jwksRefreshMinSeconds", 30)),
                Duration.ofSeconds(number(p, "jwksCacheSeconds", 3600)),
                Boolean.parseBoolean(string(p, "selfSignedSsaAllowed", "false")),
                Pattern.compile(string(p, "issPattern", "^[0-9a-zA-Z]{1,22}$")),
                Boolean.parseBoolean(string(p, "issIsSoftwareId", "true")), methods, blankToNull(string(p, "profile", "")),
                blankToNull(string(p, "registrationBaseUrl", "")), transport.isEmpty() ? null : Path.of(transport),
                Duration.ofSeconds(number(p, "clockSkewSeconds", 30)));
    }

    private static TrustedDirectory directory(String name, Map<String, String> k) {
        String key = PREFIX + name + ".";
        String issuer = k.get("issuer");
        if (issuer == null || issuer.isEmpty()) {
            throw new IllegalArgumentException(key + "issuer is required (the SSA iss this directory signs with)");
        }
        String uri = k.getOrDefault("jwksUri", "");
        String file = k.getOrDefault("jwksFile", "");
        if (uri.isEmpty() == file.isEmpty()) {
            throw new IllegalArgumentException(key + "jwksUri or " + key + "jwksFile: give exactly one");
        }
        URI jwksUri = uri.isEmpty() ? null : URI.create(uri);
        if (jwksUri != null && !"https".equals(jwksUri.getScheme())) {
            throw new IllegalArgumentException(key + "jwksUri must be an https URL");
        }
        Map<String, Set<String>> roles = TrustedDirectory.OB_ROLE_SCOPES;
        String mapping = k.getOrDefault("roleScopes", "");
        if (!mapping.isEmpty()) {
            roles = new HashMap<>();
            for (String pair : split(mapping)) {
                String[] rs = pair.split(":", 2);
                if (rs.length != 2 || rs[0].isBlank() || rs[1].isBlank()) {
                    throw new IllegalArgumentException(key + "roleScopes: use ROLE:scope pairs, e.g. AISP:accounts");
                }
                roles.computeIfAbsent(rs[0].strip(), r -> new TreeSet<>()).add(rs[1].strip());
            }
        }
        long age = Long.parseLong(k.getOrDefault("maxSsaAgeSeconds", "1800"));
        return new TrustedDirectory(name, issuer, jwksUri, file.isEmpty() ? null : Path.of(file),
                Set.copyOf(split(k.getOrDefault("environments", ""))), Duration.ofSeconds(age),
                blankToNull(k.getOrDefault("audience", "")), roles);
    }

    private static String string(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        return v == null ? dflt : String.valueOf(v).strip();
    }

    private static long number(Map<String, ?> p, String key, long dflt) {
        String v = string(p, key, "");
        try {
            long n = v.isEmpty() ? dflt : Long.parseLong(v);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": a positive whole number, not '" + v + "'");
        }
    }

    /** FileInstall hands {@code a, b} as one string: split it here. */
    private static List<String> list(Map<String, ?> p, String key, String dflt) {
        Object v = p.get(key);
        if (v instanceof String[] arr) {
            return Arrays.stream(arr).flatMap(s -> split(s).stream()).toList();
        }
        return split(v == null ? dflt : String.valueOf(v));
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Whether keys may be fetched from this host: named exactly, or below a {@code *.suffix} entry. */
    boolean jwksHostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase();
        return allowedJwksHosts.contains(h)
                || allowedJwksHosts.stream().anyMatch(a -> a.startsWith("*.") && h.endsWith(a.substring(1)));
    }
}
