package org.obkm.itests.cluster;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A confidential client of the default {@code fapi2} profile, as a TPP's server would be: it
 * authenticates with {@code private_key_jwt}, pushes its authorization request as a signed request
 * object (FAPI 2.0 Message Signing §5.3), and binds its tokens to a DPoP key (RFC 9449), sending a
 * proof with the PAR, each token request and each resource call. All keys are P-256 (ES256): cheap to
 * generate and to sign with, so the test measures the server. Every DPoP {@code htu} and every
 * assertion {@code aud} names the public URL (the issuer's host), whichever node the request reaches,
 * as behind a load balancer.
 */
final class Fapi2Client {

    static final String SCOPE = "openid accounts";
    static final String REDIRECT_URI = "https://tpp.example.test/cb";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One authorization request: what the client keeps to check the response and redeem the code. */
    record Pushed(String requestUri, String state, String nonce, String verifier) { }

    final String id;
    private final String issuer;
    private final String publicBase;
    private final ECKey signingKey;
    private final ECKey dpopKey;
    private final Https https;

    private Fapi2Client(String id, String issuer, ECKey signingKey, Https https) throws JOSEException {
        this.id = id;
        this.issuer = issuer;
        URI u = URI.create(issuer);
        this.publicBase = u.getScheme() + "://" + u.getRawAuthority();
        this.signingKey = signingKey;
        this.dpopKey = new ECKeyGenerator(Curve.P_256).keyID("dpop-" + UUID.randomUUID()).generate();
        this.https = https;
    }

    /**
     * Registers a client through {@code obkm:client-create} on {@code node}: private_key_jwt with its public
     * key, the authorization_code and refresh_token grants, scope {@value #SCOPE}, redirect URI
     * {@value #REDIRECT_URI}; no profile line, so it has the default profile (fapi2). {@code before} (a
     * command, or empty) runs in the same shell session: each obkm-shell call starts a JVM, seconds on a busy host.
     */
    static Fapi2Client register(KarafNode node, String name, String issuer, Https https, String before)
            throws JOSEException {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("it-" + UUID.randomUUID()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256).generate();
        String cmd = "obkm:client-create --name " + name + " --auth-method private_key_jwt"
                + " --grant-types authorization_code,refresh_token --scopes openid,accounts"
                + " --redirect-uri " + REDIRECT_URI + " --json --jwks '" + new JWKSet(key.toPublicJWK()) + "'";
        String out = node.shell(before.isEmpty() ? cmd : before + "\n" + cmd);
        String json = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON from " + cmd + ":\n" + out));
        try {
            Object clientId = JSONObjectUtils.parse(json).get("client_id");
            if (clientId == null) {
                throw new AssertionError("no client_id from " + cmd + ":\n" + out);
            }
            return new Fapi2Client(clientId.toString(), issuer, key, https);
        } catch (java.text.ParseException e) {
            throw new AssertionError("bad JSON from " + cmd + ":\n" + out, e);
        }
    }

    /** A fresh state, nonce and PKCE verifier, pushed to {@code baseUrl}'s PAR endpoint; fails unless 201. */
    Pushed par(String baseUrl) throws Exception {
        String state = random(16);
        String nonce = random(16);
        String verifier = random(32);
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(id).audience(issuer).claim("client_id", id)
                .claim("response_type", "code").claim("redirect_uri", REDIRECT_URI).claim("scope", SCOPE)
                .claim("state", state).claim("nonce", nonce)
                .claim("code_challenge", s256(verifier)).claim("code_challenge_method", "S256")
                .jwtID(UUID.randomUUID().toString()).issueTime(now).notBeforeTime(now)
                .expirationTime(new Date(now.getTime() + 300_000))
                .build();
        String request = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims, signingKey);
        Https.Response r = post(baseUrl, "/oauth2/par", null, Https.form("request", request));
        if (r.status() != 201 || r.string("request_uri") == null) {
            throw new AssertionError("PAR on " + baseUrl + ": " + r);
        }
        return new Pushed(r.string("request_uri"), state, nonce, verifier);
    }

    /** The token request for a code (RFC 6749 §4.1.3) with PKCE and a DPoP proof. */
    Https.Response redeem(String baseUrl, Pushed pushed, String code) throws Exception {
        return post(baseUrl, "/oauth2/token", null, Https.form("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT_URI, "code_verifier", pushed.verifier()));
    }

    /** A refresh token request (RFC 6749 §6) with a DPoP proof. */
    Https.Response refresh(String baseUrl, String refreshToken) throws Exception {
        return post(baseUrl, "/oauth2/token", null, Https.form("grant_type", "refresh_token",
                "refresh_token", refreshToken));
    }

    /** GET /oauth2/userinfo with the DPoP-bound access token and a proof carrying its hash. */
    Https.Response userinfo(String baseUrl, String accessToken) throws Exception {
        HttpResponse<String> r = https.exchange(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/userinfo"))
                .header("Authorization", "DPoP " + accessToken)
                .header("DPoP", dpopProof("GET", "/oauth2/userinfo", accessToken))
                .GET());
        return new Https.Response(r.statusCode(), r.body());
    }

    private Https.Response post(String baseUrl, String path, String accessToken, Map<String, String> form)
            throws Exception {
        form.put("client_id", id);
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", clientAssertion());
        HttpResponse<String> r = https.exchange(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", dpopProof("POST", path, accessToken))
                .POST(HttpRequest.BodyPublishers.ofString(Https.form(form))));
        return new Https.Response(r.statusCode(), r.body());
    }

    /** RFC 7523 §3 with the issuer as the audience (FAPI 2.0 Security Profile §5.3.2.1). */
    private String clientAssertion() throws JOSEException {
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(id).subject(id).audience(issuer)
                .jwtID(UUID.randomUUID().toString()).issueTime(now)
                .expirationTime(new Date(now.getTime() + 60_000)).build();
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims, signingKey);
    }

    /** RFC 9449 §4.2; {@code ath} when the request carries an access token (§7.1). */
    private String dpopProof(String method, String path, String accessToken) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", publicBase + path).issueTime(new Date());
        if (accessToken != null) {
            claims.claim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(dpopKey.toPublicJWK()).build(), claims.build(), dpopKey);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, ECKey key) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static String s256(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The thumbprint the tokens must be bound to ({@code cnf.jkt}). */
    String dpopThumbprint() throws JOSEException {
        return dpopKey.computeThumbprint().toString();
    }
}
