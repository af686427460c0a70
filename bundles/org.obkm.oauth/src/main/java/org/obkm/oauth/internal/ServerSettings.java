package org.obkm.oauth.internal;

import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The parsed {@code org.obkm.oauth} configuration shared by the endpoints. A change applies in place
 * (an immutable snapshot swapped at once), without a restart and without re-creating any endpoint.
 */
@Component(service = ServerSettings.class, configurationPid = "org.obkm.oauth")
@Designate(ocd = OAuthConfig.class)
public final class ServerSettings {

    public static final Set<JWSAlgorithm> SIGNING_ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Set<JWSAlgorithm> ASSERTION_ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256,
            JWSAlgorithm.RS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private static final Logger LOG = LoggerFactory.getLogger(ServerSettings.class);

    /** One consistent reading of the configuration, replaced as a whole on a change. */
    private record Values(URI issuer, String baseUrl, OAuthConfig config, JWSAlgorithm signingAlgorithm,
            Set<JWSAlgorithm> assertionAlgorithms, JWSAlgorithm idTokenAlgorithm, JWSAlgorithm introspectionAlgorithm) {
    }

    private volatile Values values;

    @Activate
    public ServerSettings(OAuthConfig config) {
        this.values = parse(config);
    }

    /**
     * A change applies in place: this service stays registered, so nothing that references it (every
     * endpoint and grant handler) is re-created, and a request in flight sees either the old or the new
     * settings. An invalid change keeps the previous settings in force and says so in the log.
     */
    @Modified
    void modified(OAuthConfig config) {
        try {
            values = parse(config);
            LOG.info("org.obkm.oauth changed; applied without restart");
        } catch (IllegalArgumentException e) {
            LOG.error("org.obkm.oauth: {}; the previous settings stay in force until corrected", e.getMessage());
        }
    }

    private static Values parse(OAuthConfig config) {
        URI issuer = URI.create(config.issuer());
        if (!"https".equals(issuer.getScheme()) || issuer.getQuery() != null || issuer.getFragment() != null) {
            throw new IllegalArgumentException("issuer must be an https URL without query or fragment: " + issuer);
        }
        String base = config.baseUrl().isEmpty()
                ? issuer.getScheme() + "://" + issuer.getRawAuthority() : config.baseUrl();
        String baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        JWSAlgorithm signingAlgorithm = JWSAlgorithm.parse(config.accessTokenSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(signingAlgorithm)) {
            throw new IllegalArgumentException("accessTokenSigningAlgorithm must be PS256 or ES256");
        }
        JWSAlgorithm idTokenAlgorithm = JWSAlgorithm.parse(config.idTokenSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(idTokenAlgorithm)) {
            throw new IllegalArgumentException("idTokenSigningAlgorithm must be PS256 or ES256");
        }
        JWSAlgorithm introspectionAlgorithm = JWSAlgorithm.parse(config.introspectionSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(introspectionAlgorithm)) {
            throw new IllegalArgumentException("introspectionSigningAlgorithm must be PS256 or ES256");
        }
        // A .cfg file gives "PS256,ES256" as one string; ConfigAdmin may give an array.
        Set<JWSAlgorithm> assertionAlgorithms = Stream.of(config.clientAssertionAlgorithms())
                .flatMap(v -> Stream.of(v.split("[,\\s]+"))).filter(v -> !v.isBlank()).map(JWSAlgorithm::parse)
                .collect(Collectors.toUnmodifiableSet());
        for (JWSAlgorithm a : assertionAlgorithms) {
            // Fail closed: none and HMAC (a shared secret as signing key) are never accepted.
            if (!ASSERTION_ALGORITHMS.contains(a)) {
                throw new IllegalArgumentException("clientAssertionAlgorithms may not contain " + a);
            }
        }
        return new Values(issuer, baseUrl, config, signingAlgorithm, assertionAlgorithms, idTokenAlgorithm,
                introspectionAlgorithm);
    }

    public String issuer() {
        return values.issuer().toString();
    }

    /** Absolute URL of an endpoint path such as {@code /oauth2/token}. */
    public String endpoint(String path) {
        return values.baseUrl() + path;
    }

    public int accessTokenLifetimeSeconds() {
        return values.config().accessTokenLifetimeSeconds();
    }

    public JWSAlgorithm signingAlgorithm() {
        return values.signingAlgorithm();
    }

    public String accessTokenAudience() {
        Values v = values;
        return v.config().accessTokenAudience().isEmpty() ? v.issuer().toString() : v.config().accessTokenAudience();
    }

    public Set<JWSAlgorithm> assertionAlgorithms() {
        return values.assertionAlgorithms();
    }

    public int assertionMaxLifetimeSeconds() {
        return values.config().clientAssertionMaxLifetimeSeconds();
    }

    public int clockSkewSeconds() {
        return values.config().clockSkewSeconds();
    }

    public java.time.Duration codeLifetime() {
        int seconds = values.config().authorizationCodeLifetimeSeconds();
        return java.time.Duration.ofSeconds(Math.max(1, Math.min(60, seconds)));
    }

    public java.time.Duration loginFlowLifetime() {
        return java.time.Duration.ofSeconds(Math.max(60, values.config().loginFlowLifetimeSeconds()));
    }

    public int maxSignInAttemptsPerFlow() {
        return Math.max(1, values.config().maxSignInAttemptsPerFlow());
    }

    public java.time.Duration refreshTokenLifetime() {
        return java.time.Duration.ofSeconds(Math.max(60, values.config().refreshTokenLifetimeSeconds()));
    }

    public java.time.Duration idTokenLifetime() {
        return java.time.Duration.ofSeconds(Math.max(30, values.config().idTokenLifetimeSeconds()));
    }

    public JWSAlgorithm idTokenSigningAlgorithm() {
        return values.idTokenAlgorithm();
    }

    /** The algorithm of JWT introspection responses (RFC 9701 §5). */
    public JWSAlgorithm introspectionSigningAlgorithm() {
        return values.introspectionAlgorithm();
    }

    public String acr() {
        return values.config().acr();
    }

    /** The RFC 9396 types accepted at PAR (RFC 9396 §10: {@code authorization_details_types_supported}). */
    public java.util.Set<String> authorizationDetailsTypes() {
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (String t : values.config().authorizationDetailsTypes().split(",")) {
            if (!t.isBlank()) {
                types.add(t.trim());
            }
        }
        return types;
    }

    public int maxRequestBytes() {
        return values.config().maxRequestBytes();
    }
}
