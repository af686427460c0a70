package org.obkm.oauth.internal;

import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import com.nimbusds.jose.JWSAlgorithm;

/**
 * The parsed {@code org.obkm.oauth} configuration shared by the endpoints. A change re-activates this
 * component and with it every endpoint, without a restart.
 */
@Component(service = ServerSettings.class, configurationPid = "org.obkm.oauth")
@Designate(ocd = OAuthConfig.class)
public final class ServerSettings {

    public static final Set<JWSAlgorithm> SIGNING_ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Set<JWSAlgorithm> ASSERTION_ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256,
            JWSAlgorithm.RS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final URI issuer;
    private final String baseUrl;
    private final OAuthConfig config;
    private final JWSAlgorithm signingAlgorithm;
    private final Set<JWSAlgorithm> assertionAlgorithms;
    private final JWSAlgorithm idTokenAlgorithm;
    private final JWSAlgorithm introspectionAlgorithm;

    @Activate
    public ServerSettings(OAuthConfig config) {
        this.config = config;
        this.issuer = URI.create(config.issuer());
        if (!"https".equals(issuer.getScheme()) || issuer.getQuery() != null || issuer.getFragment() != null) {
            throw new IllegalArgumentException("issuer must be an https URL without query or fragment: " + issuer);
        }
        String base = config.baseUrl().isEmpty()
                ? issuer.getScheme() + "://" + issuer.getRawAuthority() : config.baseUrl();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.signingAlgorithm = JWSAlgorithm.parse(config.accessTokenSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(signingAlgorithm)) {
            throw new IllegalArgumentException("accessTokenSigningAlgorithm must be PS256 or ES256");
        }
        this.idTokenAlgorithm = JWSAlgorithm.parse(config.idTokenSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(idTokenAlgorithm)) {
            throw new IllegalArgumentException("idTokenSigningAlgorithm must be PS256 or ES256");
        }
        this.introspectionAlgorithm = JWSAlgorithm.parse(config.introspectionSigningAlgorithm());
        if (!SIGNING_ALGORITHMS.contains(introspectionAlgorithm)) {
            throw new IllegalArgumentException("introspectionSigningAlgorithm must be PS256 or ES256");
        }
        // A .cfg file gives "PS256,ES256" as one string; ConfigAdmin may give an array.
        this.assertionAlgorithms = Stream.of(config.clientAssertionAlgorithms())
                .flatMap(v -> Stream.of(v.split("[,\\s]+"))).filter(v -> !v.isBlank()).map(JWSAlgorithm::parse)
                .collect(Collectors.toUnmodifiableSet());
        for (JWSAlgorithm a : assertionAlgorithms) {
            // Fail closed: none and HMAC (a shared secret as signing key) are never accepted.
            if (!ASSERTION_ALGORITHMS.contains(a)) {
                throw new IllegalArgumentException("clientAssertionAlgorithms may not contain " + a);
            }
        }
    }

    public String issuer() {
        return issuer.toString();
    }

    /** Absolute URL of an endpoint path such as {@code /oauth2/token}. */
    public String endpoint(String path) {
        return baseUrl + path;
    }

    public int accessTokenLifetimeSeconds() {
        return config.accessTokenLifetimeSeconds();
    }

    public JWSAlgorithm signingAlgorithm() {
        return signingAlgorithm;
    }

    public String accessTokenAudience() {
        return config.accessTokenAudience().isEmpty() ? issuer() : config.accessTokenAudience();
    }

    public Set<JWSAlgorithm> assertionAlgorithms() {
        return assertionAlgorithms;
    }

    public int assertionMaxLifetimeSeconds() {
        return config.clientAssertionMaxLifetimeSeconds();
    }

    public int clockSkewSeconds() {
        return config.clockSkewSeconds();
    }

    public java.time.Duration codeLifetime() {
        return java.time.Duration.ofSeconds(Math.max(1, Math.min(60, config.authorizationCodeLifetimeSeconds())));
    }

    public java.time.Duration loginFlowLifetime() {
        return java.time.Duration.ofSeconds(Math.max(60, config.loginFlowLifetimeSeconds()));
    }

    public int maxSignInAttemptsPerFlow() {
        return Math.max(1, config.maxSignInAttemptsPerFlow());
    }

    public java.time.Duration refreshTokenLifetime() {
        return java.time.Duration.ofSeconds(Math.max(60, config.refreshTokenLifetimeSeconds()));
    }

    public java.time.Duration idTokenLifetime() {
        return java.time.Duration.ofSeconds(Math.max(30, config.idTokenLifetimeSeconds()));
    }

    public JWSAlgorithm idTokenSigningAlgorithm() {
        return idTokenAlgorithm;
    }

    /** The algorithm of JWT introspection responses (RFC 9701 §5). */
    public JWSAlgorithm introspectionSigningAlgorithm() {
        return introspectionAlgorithm;
    }

    public String acr() {
        return config.acr();
    }

    public int maxRequestBytes() {
        return config.maxRequestBytes();
    }
}
