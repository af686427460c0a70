package org.obkm.dcr.internal;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.SoftwareRegistration;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Validates a registration request (UK Open Banking DCR 3.3 OBClientRegistrationRequest1, RFC 7591 §3.1 with
 * a software statement) in the order of issue 13 point 3, each failure a {@link DcrException} with the RFC
 * 7591 §3.2.2 code: the request JWS (alg, exp, iat, jti, iss, aud), the SSA (trusted issuer, signature by the
 * directory key of its kid, age, org_status), the request's signature by a key of the SSA's
 * software_jwks_endpoint, software_id and iss, the transport certificate's binding to the SSA, redirect
 * URIs, scopes, the authentication method and its conditional claims, response and grant types.
 */
final class RegistrationRequestValidator {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    static final Set<String> RESPONSE_TYPES = Set.of("code", "code id_token");
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "client_credentials", "refresh_token");
    static final Set<String> APPLICATION_TYPES = Set.of("web", "native", "mobile");
    /** UUID v4 (DCR 3.3 data dictionary), either case as [SW32]/[OA34] accept. */
    private static final Pattern JTI = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$");

    /** A request that passed every rule, and what the response echoes. */
    record Validated(ClientRegistration registration, String softwareStatement, String jti, Instant jtiExpiry) {
    }

    /** Records a jti until its request expires; {@code false} for a replay. */
    interface Replays {
        boolean firstUse(String jti, Instant until);
    }

    private final DcrSettings settings;
    private final JwksFetcher keys;
    private final TransportCertificates transport;
    private final Replays replays;
    private final Clock clock;

    RegistrationRequestValidator(DcrSettings settings, JwksFetcher keys, TransportCertificates transport,
            Replays replays, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.transport = transport;
        this.replays = replays;
        this.clock = clock;
    }

    /**
     * @param body the compact JWS as sent
     * @param chain the TLS client certificate chain, leaf first, or {@code null}
     */
    Validated validate(String body, X509Certificate[] chain) {
        Instant now = clock.instant();
        if (chain == null || chain.length == 0) {
            throw DcrException.metadata("registration needs mutual TLS: present the transport certificate");
        }
        transport.check(chain, now);
        SignedJWT request = parse(body, false);
        JWTClaimsSet claims = claims(request, false);
        checkRequestJws(request.getHeader(), claims, now);
        SignedJWT ssa = parse(claim(claims, "software_statement"), true);
        JWTClaimsSet ssaClaims = claims(ssa, true);
        TrustedDirectory dir = settings.byIssuer().get(ssaClaims.getIssuer());
        if (dir != null && dir.audience() != null && !claims.getAudience().contains(dir.audience())) {
            throw DcrException.metadata("aud must be this bank's organisation id " + dir.audience());
        }
        // The JWT's jti is recorded last of the request's own checks, so that a request refused for its
        // form can be sent again corrected with the same jti.
        if (!replays.firstUse(claims.getJWTID(), claims.getExpirationTime().toInstant())) {
            throw DcrException.metadata("jti " + claims.getJWTID() + " was used before");
        }
        Instant jtiExpiry = claims.getExpirationTime().toInstant();
        if (dir == null && !settings.selfSignedSsaAllowed()) {
            throw DcrException.unapproved("the software statement's issuer '" + ssaClaims.getIssuer()
                    + "' is not a trusted directory of this bank");
        }
        String softwareId = string(ssaClaims, "software_id", true);
        URI softwareJwks = uri(string(ssaClaims, "software_jwks_endpoint", true), "software_jwks_endpoint");
        if (dir != null) {
            verify(ssa, directoryKey(dir, ssa.getHeader()), "the software statement's signature by " + dir.issuer());
            checkSsaAge(ssaClaims, dir, now);
        } else {
            // Self-signed (sandboxes only, off by default): signed by a key of its own software_jwks_endpoint.
            verify(ssa, tppKey(softwareJwks, ssa.getHeader(), true), "the self-signed software statement's signature");
            checkSsaAge(ssaClaims, new TrustedDirectory("self-signed", ssaClaims.getIssuer(), null, null, Set.of(),
                    java.time.Duration.ofMinutes(30), null, TrustedDirectory.OB_ROLE_SCOPES), now);
        }
        TrustedDirectory rules = dir != null ? dir : new TrustedDirectory("self-signed", ssaClaims.getIssuer(), null,
                null, Set.of(), java.time.Duration.ofMinutes(30), null, TrustedDirectory.OB_ROLE_SCOPES);
        String orgStatus = string(ssaClaims, "org_status", false);
        if (orgStatus == null || !"Active".equalsIgnoreCase(orgStatus)) {
            throw DcrException.statement("the organisation's status in the software statement is " + orgStatus
                    + ", not Active");
        }
        verify(request, tppKey(softwareJwks, request.getHeader(), false),
                "the request's signature by a key of the software_jwks_endpoint");
        String requestSoftwareId = string(claims, "software_id", false);
        if (requestSoftwareId != null && !requestSoftwareId.equals(softwareId)) {
            throw DcrException.metadata("software_id " + requestSoftwareId + " is not the software statement's");
        }
        if (settings.issIsSoftwareId() && dir != null && !softwareId.equals(claims.getIssuer())) {
            throw DcrException.metadata("iss must be the software statement's software_id " + softwareId);
        }
        String orgId = string(ssaClaims, "org_id", true);
        transport.checkBinding(chain[0], softwareId, orgId, ssaClaims);
        List<String> redirects = redirectUris(claims, ssaClaims);
        Set<String> roles = new LinkedHashSet<>(strings(ssaClaims, "software_roles"));
        Set<String> scopes = scopes(claims, rules.scopesFor(roles));
        TokenEndpointAuthMethod method = authMethod(claims);
        String dn = string(claims, "tls_client_auth_subject_dn", false);
        String authSigningAlg = string(claims, "token_endpoint_auth_signing_alg", false);
        checkConditionalClaims(method, dn, authSigningAlg);
        Set<String> grantTypes = grantTypes(claims);
        Set<String> responseTypes = responseTypes(claims, grantTypes);
        String appType = string(claims, "application_type", false);
        if (appType != null && !APPLICATION_TYPES.contains(appType)) {
            throw DcrException.metadata("application_type must be web or native (mobile before DCR 3.4)");
        }
        String idTokenAlg = signingAlg(claims, "id_token_signed_response_alg");
        String requestObjectAlg = signingAlg(claims, "request_object_signing_alg");
        SoftwareRegistration software = new SoftwareRegistration(softwareId, orgId, roles, ssaClaims.getIssuer(),
                string(ssaClaims, "software_environment", false), authSigningAlg, idTokenAlg, requestObjectAlg,
                responseTypes, appType == null ? "web" : "mobile".equals(appType) ? "native" : appType, null, false);
        String name = Optional.ofNullable(string(ssaClaims, "software_client_name", false)).orElse(softwareId);
        ClientRegistration registration = new ClientRegistration(name.length() > 200 ? name.substring(0, 200) : name,
                grantTypes, scopes, method, null, softwareJwks.toString(), redirects,
                method == TokenEndpointAuthMethod.TLS_CLIENT_AUTH ? dn : null, settings.profile(), null, null, null,
                software);
        return new Validated(registration, ssa.serialize(), claims.getJWTID(), jtiExpiry);
    }

    private void checkRequestJws(JWSHeader h, JWTClaimsSet c, Instant now) {
        if (!ALGORITHMS.contains(h.getAlgorithm())) {
            throw DcrException.metadata("the request must be signed with PS256 or ES256, not " + h.getAlgorithm());
        }
        if (h.getJWK() != null || h.getX509CertChain() != null || h.getX509CertURL() != null || h.getJWKURL() != null) {
            throw DcrException.metadata("the request's header must not carry its key (jwk, jku, x5c, x5u):"
                    + " it is taken from the software statement's software_jwks_endpoint");
        }
        if (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(now.minus(settings.clockSkew()))) {
            throw DcrException.metadata("the request has expired (exp)");
        }
        Date iat = c.getIssueTime();
        if (iat == null || iat.toInstant().isAfter(now.plus(settings.clockSkew()))) {
            throw DcrException.metadata("iat is required and must not be in the future");
        }
        if (c.getJWTID() == null || !JTI.matcher(c.getJWTID()).matches()) {
            throw DcrException.metadata("jti must be a UUID v4");
        }
        if (c.getIssuer() == null || !settings.issPattern().matcher(c.getIssuer()).matches()) {
            throw DcrException.metadata("iss must match " + settings.issPattern().pattern());
        }
        if (c.getAudience() == null || c.getAudience().isEmpty()) {
            throw DcrException.metadata("aud is required (this bank's organisation id)");
        }
    }

    private void checkSsaAge(JWTClaimsSet ssa, TrustedDirectory dir, Instant now) {
        if (ssa.getIssueTime() == null) {
            throw DcrException.statement("the software statement has no iat");
        }
        Instant iat = ssa.getIssueTime().toInstant();
        if (iat.isAfter(now.plus(settings.clockSkew()))) {
            throw DcrException.statement("the software statement's iat is in the future");
        }
        if (iat.plus(dir.maxSsaAge()).isBefore(now)) {
            throw DcrException.statement("the software statement is older than " + dir.maxSsaAge().toSeconds()
                    + " s: ask the directory for a fresh one");
        }
        if (ssa.getExpirationTime() != null && !ssa.getExpirationTime().toInstant().isAfter(now)) {
            throw DcrException.statement("the software statement has expired");
        }
        String env = string(ssa, "software_environment", false);
        if (!dir.environments().isEmpty() && (env == null || !dir.environments().contains(env))) {
            throw DcrException.statement("software_environment " + env + " is not accepted; accepted: "
                    + dir.environments());
        }
    }

    private JWK directoryKey(TrustedDirectory dir, JWSHeader h) {
        if (!ALGORITHMS.contains(h.getAlgorithm()) || h.getKeyID() == null) {
            throw DcrException.statement("the software statement must be signed PS256 or ES256 with a kid");
        }
        try {
            Optional<JWK> k = dir.jwksUri() != null ? keys.key(dir.jwksUri(), h.getKeyID(), true)
                    : keys.key(dir.jwksFile(), h.getKeyID());
            return k.orElseThrow(() -> DcrException.statement("the directory " + dir.issuer() + " has no key "
                    + h.getKeyID()));
        } catch (IOException e) {
            throw DcrException.statement(e.getMessage());
        }
    }

    private JWK tppKey(URI jwks, JWSHeader h, boolean ssa) {
        if (h.getKeyID() == null) {
            throw ssa ? DcrException.statement("the software statement has no kid")
                    : DcrException.metadata("the request's header needs the kid of its signing key");
        }
        try {
            return keys.key(jwks, h.getKeyID(), false).orElseThrow(() -> DcrException.statement(
                    "the software_jwks_endpoint has no key " + h.getKeyID()));
        } catch (IOException e) {
            throw DcrException.statement(e.getMessage());
        }
    }

    private static void verify(SignedJWT jwt, JWK key, String what) {
        try {
            if (!(key instanceof AsymmetricJWK pub) || key.getKeyUse() == KeyUse.ENCRYPTION
                    || key.getAlgorithm() != null && !key.getAlgorithm().equals(jwt.getHeader().getAlgorithm())) {
                throw DcrException.statement(what + ": the key " + key.getKeyID() + " is not for this algorithm");
            }
            if (!jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), pub.toPublicKey()))) {
                throw DcrException.statement(what + " does not verify");
            }
        } catch (JOSEException e) {
            throw DcrException.statement(what + " does not verify: " + e.getMessage());
        }
    }

    private static List<String> redirectUris(JWTClaimsSet claims, JWTClaimsSet ssa) {
        List<String> allowed = strings(ssa, "software_redirect_uris");
        List<String> asked = claims.getClaim("redirect_uris") == null ? allowed : strings(claims, "redirect_uris");
        for (String u : asked) {
            URI uri;
            try {
                uri = new URI(u);
            } catch (java.net.URISyntaxException e) {
                throw DcrException.redirect("not a URI: " + u);
            }
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
            if (!"https".equals(uri.getScheme()) || uri.getFragment() != null) {
                throw DcrException.redirect("redirect URIs must be https without a fragment: " + u);
            }
            if (host.isEmpty() || "localhost".equals(host) || host.endsWith(".localhost") || host.startsWith("127.")
                    || "[::1]".equals(host)) {
                throw DcrException.redirect("redirect URIs must not name localhost: " + u);
            }
            if (!allowed.contains(u)) {
                throw DcrException.redirect(u + " is not among the software statement's software_redirect_uris");
            }
        }
        return asked;
    }

    private static Set<String> scopes(JWTClaimsSet claims, Set<String> allowed) {
        String scope = string(claims, "scope", false);
        if (scope == null || scope.isBlank()) {
            throw DcrException.metadata("scope is required (space-separated, within the software's roles: "
                    + allowed + ")");
        }
        Set<String> s = new LinkedHashSet<>(List.of(scope.strip().split(" +")));
        for (String x : s) {
            if (!allowed.contains(x)) {
                throw DcrException.metadata("scope " + x + " is not granted by the software's roles; allowed: " + allowed);
            }
        }
        return s;
    }

    private TokenEndpointAuthMethod authMethod(JWTClaimsSet claims) {
        String m = string(claims, "token_endpoint_auth_method", false);
        TokenEndpointAuthMethod method = null;
        try {
            method = m == null ? null : TokenEndpointAuthMethod.parse(m);
        } catch (IllegalArgumentException e) {
            // named below
        }
        if (method == null || !settings.authMethods().contains(method)) {
            throw DcrException.metadata("token_endpoint_auth_method must be one of "
                    + settings.authMethods().stream().map(TokenEndpointAuthMethod::value).sorted().toList());
        }
        return method;
    }

    private static void checkConditionalClaims(TokenEndpointAuthMethod method, String dn, String authSigningAlg) {
        boolean tls = method == TokenEndpointAuthMethod.TLS_CLIENT_AUTH;
        if (tls != (dn != null)) {
            throw DcrException.metadata("tls_client_auth_subject_dn is required with tls_client_auth and only then");
        }
        if (tls) {
            try {
                new javax.security.auth.x500.X500Principal(dn);
            } catch (IllegalArgumentException e) {
                throw DcrException.metadata("tls_client_auth_subject_dn is not an RFC 4514 distinguished name");
            }
            if (dn.length() > 512) {
                throw DcrException.metadata("tls_client_auth_subject_dn is longer than 512 characters");
            }
        }
        boolean jwt = method == TokenEndpointAuthMethod.PRIVATE_KEY_JWT;
        if (jwt != (authSigningAlg != null)) {
            throw DcrException.metadata("token_endpoint_auth_signing_alg is required with private_key_jwt and only then");
        }
        if (jwt && !ALGORITHMS.contains(JWSAlgorithm.parse(authSigningAlg))) {
            throw DcrException.metadata("token_endpoint_auth_signing_alg must be PS256 or ES256");
        }
    }

    /**
     * response_types: {@code code} and {@code code id_token} only (DCR 3.3; FAPI allows no token in the front
     * channel), each a space-separated set whose order does not matter (OAuth 2.0 Multiple Response Types §3).
     * Omitted: {@code code id_token} for a client with the authorization_code grant, none for one without;
     * given, they need that grant (RFC 7591 §2.1).
     */
    private static Set<String> responseTypes(JWTClaimsSet claims, Set<String> grantTypes) {
        boolean code = grantTypes.contains("authorization_code");
        if (claims.getClaim("response_types") == null) {
            return code ? Set.of("code id_token") : Set.of();
        }
        Set<String> r = new LinkedHashSet<>();
        for (String t : strings(claims, "response_types")) {
            String normal = String.join(" ", new java.util.TreeSet<>(List.of(t.strip().split(" +"))));
            if (!RESPONSE_TYPES.contains(normal)) {
                throw DcrException.metadata("response_types may hold code and code id_token only, not '" + t + "'");
            }
            r.add(normal);
        }
        if (!r.isEmpty() && !code) {
            throw DcrException.metadata("response_types " + r + " need the authorization_code grant type");
        }
        return r;
    }

    private static Set<String> grantTypes(JWTClaimsSet claims) {
        Set<String> g = new LinkedHashSet<>(strings(claims, "grant_types"));
        if (g.isEmpty()) {
            throw DcrException.metadata("grant_types is required; supported: " + GRANT_TYPES);
        }
        for (String t : g) {
            if (!GRANT_TYPES.contains(t)) {
                throw DcrException.metadata("grant type " + t + " is not supported; supported: " + GRANT_TYPES);
            }
        }
        return g;
    }

    /**
     * A signing algorithm claim: PS256 or ES256 (FAPI 1 Advanced §8.6, the algorithms this bank verifies and
     * signs with); an absent one is substituted with PS256 and returned (DCR 3.3 data dictionary preamble),
     * any other value is refused, since the client would then sign or expect what FAPI forbids.
     */
    private static String signingAlg(JWTClaimsSet claims, String name) {
        String alg = string(claims, name, false);
        if (alg == null) {
            return "PS256";
        }
        if (!ALGORITHMS.contains(JWSAlgorithm.parse(alg))) {
            throw DcrException.metadata(name + " must be PS256 or ES256, not " + alg);
        }
        return alg;
    }

    private static SignedJWT parse(String jws, boolean ssa) {
        try {
            return SignedJWT.parse(jws.strip());
        } catch (ParseException | RuntimeException e) {
            throw ssa ? DcrException.statement("the software statement is not a signed JWT")
                    : DcrException.metadata("the body must be a signed JWT (application/jose)");
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt, boolean ssa) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException | NullPointerException e) {
            // Nimbus throws a NullPointerException for a payload that is the JSON null (issue 16's fuzzing)
            throw ssa ? DcrException.statement("the software statement's claims are not a JSON object")
                    : DcrException.metadata("the request's claims are not a JSON object");
        }
    }

    private static String claim(JWTClaimsSet c, String name) {
        String v = string(c, name, false);
        if (v == null) {
            throw DcrException.statement(name + " is required");
        }
        return v;
    }

    static String string(JWTClaimsSet c, String name, boolean requiredInSsa) {
        Object v = c.getClaim(name);
        if (v == null && requiredInSsa) {
            throw DcrException.statement("the software statement has no " + name);
        }
        if (v != null && !(v instanceof String)) {
            throw requiredInSsa ? DcrException.statement(name + " must be a string")
                    : DcrException.metadata(name + " must be a string");
        }
        return (String) v;
    }

    static List<String> strings(JWTClaimsSet c, String name) {
        Object v = c.getClaim(name);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String))) {
            throw DcrException.metadata(name + " must be an array of strings");
        }
        return l.stream().map(String.class::cast).toList();
    }

    private static URI uri(String value, String name) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw DcrException.statement(name + " is not a URI");
        }
    }
}
