package org.obkm.itests.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;

/**
 * A FAPI 2.0 client over real HTTPS, as a TPP's server is: pushed authorization requests with a
 * signed request object (RFC 9126, RFC 9101, FAPI 2.0 Message Signing §5.3), {@code private_key_jwt}
 * client authentication with the issuer as audience (RFC 7523 §3, FAPI 2.0 Security Profile
 * §5.3.2.1), PKCE S256 (RFC 7636) and DPoP-bound tokens (RFC 9449: a proof with the PAR, each token
 * request and each resource call). Its key is RSA (PS256) or P-256 (ES256). Each DPoP {@code htu}
 * names the client's public base URL, whichever node {@link #on} sends the request to, as behind a
 * load balancer. {@link #browser()} gives the browsers of its users.
 */
public final class FlowClient {

    public static final String JWT_BEARER = ClientAssertions.JWT_BEARER;
    public static final String PAR = "/oauth2/par";
    public static final String AUTHORIZE = "/oauth2/authorize";
    public static final String TOKEN = "/oauth2/token";
    public static final String USERINFO = "/oauth2/userinfo";
    public static final String INTROSPECT = "/oauth2/introspect";
    public static final String LOGIN = "/authn/login";
    public static final String CONSENT = "/authn/consent";

    /**
     * One authorization request's secrets, kept by the client between PAR and the token request.
     *
     * @param scope the requested scope
     * @param state the state the redirect must carry back
     * @param nonce the nonce the ID token must carry
     * @param verifier the PKCE code verifier; its S256 challenge goes into the request object
     * @param redirectUri where the code is sent
     */
    public record Authorization(String scope, String state, String nonce, CodeVerifier verifier, String redirectUri) {

        public String challenge() {
            return CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
        }
    }

    private final Https https;
    private final String base;
    private final String publicBase;
    private final String issuer;
    private final String clientId;
    private final JWK clientKey;
    private final String redirectUri;
    private final ECKey dpopKey;
    private final DefaultDPoPProofFactory dpop;
    /** The last DPoP nonce a server gave (RFC 9449 §8), shared by the views {@link #on} makes. */
    private final AtomicReference<String> dpopNonce;

    /**
     * @param baseUrl     the node, such as {@code https://localhost:9446}
     * @param issuer      the configured issuer: audience of client assertions and request objects
     * @param tls         trusts the node's certificate ({@link Tls#trusting})
     * @param clientId    the registered client
     * @param clientKey   its private key; the public half is registered ({@link #publicJwks})
     * @param redirectUri the registered redirect URI used by default
     */
    public FlowClient(String baseUrl, String issuer, SSLContext tls, String clientId, JWK clientKey,
            String redirectUri) {
        this(Https.using(tls), baseUrl, issuer, clientId, clientKey, redirectUri);
    }

    /** As above, over {@code https}; {@code publicBaseUrl} is the URL the clients know (the issuer's host). */
    public FlowClient(Https https, String publicBaseUrl, String issuer, String clientId, JWK clientKey,
            String redirectUri) {
        this(https, publicBaseUrl, publicBaseUrl, issuer, clientId, clientKey, redirectUri, newDpopKey(),
                new AtomicReference<>());
    }

    private FlowClient(Https https, String base, String publicBase, String issuer, String clientId, JWK clientKey,
            String redirectUri, ECKey dpopKey, AtomicReference<String> dpopNonce) {
        this.https = https;
        this.base = base;
        this.publicBase = publicBase;
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientKey = clientKey;
        this.redirectUri = redirectUri;
        this.dpopKey = dpopKey;
        this.dpopNonce = dpopNonce;
        try {
            this.dpop = new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same client (keys, DPoP key, nonce) sending its requests to the node at {@code nodeBaseUrl}. */
    public FlowClient on(String nodeBaseUrl) {
        return new FlowClient(https, nodeBaseUrl, publicBase, issuer, clientId, clientKey, redirectUri, dpopKey,
                dpopNonce);
    }

    // --- keys -----------------------------------------------------------------------------------

    /** A fresh RSA key pair for {@code private_key_jwt} and request objects (PS256). */
    public static RSAKey newClientKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("client-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh P-256 key pair for {@code private_key_jwt} and request objects (ES256): cheap to make and use. */
    public static ECKey newEcClientKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("it-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newDpopKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("dpop-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK Set to register for the client: the public half of its key. */
    public static String publicJwks(JWK key) {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public String clientId() {
        return clientId;
    }

    /** The node this client's requests go to. */
    public String base() {
        return base;
    }

    public ECKey dpopKey() {
        return dpopKey;
    }

    /** The RFC 7638 thumbprint of the DPoP key: the {@code cnf.jkt} of tokens bound to it. */
    public String dpopThumbprint() {
        try {
            return dpopKey.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new browser with an empty cookie jar, over this client's HTTPS. */
    public Browser browser() {
        return new Browser(https);
    }

    // --- PAR and the authorization endpoint -----------------------------------------------------

    /** New state, nonce and PKCE verifier for a request to the default redirect URI. */
    public Authorization newAuthorization(String scope) {
        return new Authorization(scope, "st-" + UUID.randomUUID(), "n-" + UUID.randomUUID(), new CodeVerifier(),
                redirectUri);
    }

    /** The request object's claims (FAPI 2.0 Message Signing §5.3.1): valid for 5 minutes from now. */
    public JWTClaimsSet.Builder requestObjectClaims(Authorization a) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(clientId).audience(issuer)
                .notBeforeTime(new Date(now - 1000)).expirationTime(new Date(now + 300_000))
                .issueTime(new Date(now)).jwtID(UUID.randomUUID().toString())
                .claim("client_id", clientId).claim("response_type", "code")
                .claim("redirect_uri", a.redirectUri()).claim("scope", a.scope())
                .claim("state", a.state()).claim("nonce", a.nonce())
                .claim("code_challenge", a.challenge()).claim("code_challenge_method", "S256");
    }

    /** POST /oauth2/par with a signed request object and a DPoP proof (the code is then bound to the key). */
    public Https.Response par(Authorization a) {
        return par(a, b -> { }, true);
    }

    /**
     * POST /oauth2/par.
     *
     * @param change alters the request object's claims before signing
     * @param withDpop whether a DPoP proof goes along (binding the code to the DPoP key, RFC 9449 §10)
     */
    public Https.Response par(Authorization a, Consumer<JWTClaimsSet.Builder> change, boolean withDpop) {
        return withNonceRetry(() -> {
            JWTClaimsSet.Builder claims = requestObjectClaims(a);
            change.accept(claims);
            String request = sign(new JWSHeader.Builder(ClientAssertions.algorithm(clientKey))
                    .keyID(clientKey.getKeyID()).type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims.build());
            String form = Https.form("client_id", clientId, "client_assertion_type", JWT_BEARER,
                    "client_assertion", clientAssertion(), "request", request);
            return withDpop ? post(PAR, form, "DPoP", dpopProof("POST", publicBase + PAR)) : post(PAR, form);
        });
    }

    /** Pushes the request and returns its request_uri; fails unless the answer is 201 with one. */
    public String push(Authorization a) {
        Https.Response r = par(a);
        if (r.status() != 201 || r.string("request_uri") == null) {
            throw new AssertionError("PAR refused on " + base + ": " + r);
        }
        return r.string("request_uri");
    }

    /** The URL the client sends the browser to (RFC 9126 §4). */
    public URI authorizeUri(String requestUri) {
        return URI.create(base + AUTHORIZE + "?" + Https.form("client_id", clientId, "request_uri", requestUri));
    }

    // --- token endpoint, userinfo, introspection ------------------------------------------------

    /** A {@code private_key_jwt} assertion (RFC 7523 §3): aud the issuer, 60 s, fresh jti. */
    public String clientAssertion() {
        return sign(new JWSHeader.Builder(ClientAssertions.algorithm(clientKey)).keyID(clientKey.getKeyID()).build(),
                ClientAssertions.validClaims(clientId, issuer).build());
    }

    /** The authorization code grant with PKCE and a DPoP proof for the token endpoint. */
    public Https.Response redeem(String code, Authorization a) {
        return token(true, "grant_type", "authorization_code", "code", code, "redirect_uri", a.redirectUri(),
                "code_verifier", a.verifier().getValue());
    }

    /** The refresh token grant with a DPoP proof. */
    public Https.Response refresh(String refreshToken) {
        return token(true, "grant_type", "refresh_token", "refresh_token", refreshToken);
    }

    /** A token request of this client: the form (name, value pairs), the client assertion, a DPoP proof or not. */
    public Https.Response token(boolean withDpop, String... form) {
        return withNonceRetry(() -> tokenWithProof(withDpop ? dpopProof("POST", publicBase + TOKEN) : null, form));
    }

    /** A token request with exactly this DPoP header value (null: none), for proofs made wrong on purpose. */
    public Https.Response tokenWithProof(String proof, String... form) {
        String body = Https.form(form) + "&"
                + Https.form("client_assertion_type", JWT_BEARER, "client_assertion", clientAssertion());
        return proof == null ? post(TOKEN, body) : post(TOKEN, body, "DPoP", proof);
    }

    /**
     * GET /oauth2/userinfo with a DPoP-bound token: {@code Authorization: DPoP} and a proof with ath; extra
     * headers as name, value pairs.
     */
    public Https.Response userinfo(String accessToken, String... headers) {
        return withNonceRetry(() -> {
            List<String> all = new ArrayList<>(List.of("Authorization", "DPoP " + accessToken,
                    "DPoP", dpopProof("GET", publicBase + USERINFO, accessToken)));
            all.addAll(List.of(headers));
            return get(USERINFO, all.toArray(String[]::new));
        });
    }

    /** RFC 7662 introspection, authenticated as this client; the response JSON. */
    public Map<String, Object> introspect(String token) {
        Https.Response r = post(INTROSPECT, Https.form("token", token, "client_assertion_type", JWT_BEARER,
                "client_assertion", clientAssertion()));
        if (r.status() != 200) {
            throw new AssertionError("introspection failed: " + r);
        }
        return r.json();
    }

    /** A DPoP proof for a request to the authorization server (no ath), with the last server nonce seen. */
    public String dpopProof(String htm, String htu) {
        return dpopProof(htm, htu, null);
    }

    /** A DPoP proof; with an access token, its ath (for resources, RFC 9449 §7). */
    public String dpopProof(String htm, String htu, String accessToken) {
        try {
            String nonce = dpopNonce.get();
            return dpop.createDPoPJWT(htm, URI.create(htu), accessToken == null ? null : new DPoPAccessToken(accessToken),
                    nonce == null ? null : new Nonce(nonce)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 9449 §8: a server that asks for a nonce answers use_dpop_nonce once; retry with its nonce. */
    private Https.Response withNonceRetry(Supplier<Https.Response> send) {
        Https.Response r = send.get();
        String nonce = r.header("DPoP-Nonce");
        if (nonce != null) {
            dpopNonce.set(nonce);
            String challenge = String.valueOf(r.header("WWW-Authenticate"));
            if (r.body().contains("\"use_dpop_nonce\"") || challenge.contains("use_dpop_nonce")) {
                return send.get();
            }
        }
        return r;
    }

    /** POSTs a form to a path of the node, without cookies; headers as name, value pairs. */
    public Https.Response post(String path, String form, String... headers) {
        return https.postForm(base + path, form, headers);
    }

    /** GETs a path of the node, without cookies; headers as name, value pairs. */
    public Https.Response get(String path, String... headers) {
        return https.get(base + path, headers);
    }

    private String sign(JWSHeader header, JWTClaimsSet claims) {
        return ClientAssertions.sign(header, claims, clientKey);
    }
}
