package org.obkm.oauth.internal.sender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.obkm.api.keys.SharedSecrets;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;

public class DpopProofsTest {

    private static final String TOKEN = "https://as.bank.example/oauth2/token";
    private static final String USERINFO = "https://as.bank.example/oauth2/userinfo";
    private static final String ACCESS_TOKEN = "eyJhY2Nlc3MiOiJ0b2tlbiJ9.payload.sig";
    private static ECKey ec;
    private static ECKey otherEc;
    private static RSAKey rsa;

    private final InMemorySharedState state = new InMemorySharedState();
    private final TestClock clock = new TestClock();
    private final Config config = new Config();
    private final SharedSecrets secrets = sharedSecret(7);

    @BeforeAll
    public static void keys() throws Exception {
        ec = new ECKeyGenerator(Curve.P_256).generate();
        otherEc = new ECKeyGenerator(Curve.P_256).generate();
        rsa = new RSAKeyGenerator(2048).generate();
    }

    /** A mutable clock, so nonce windows and iat limits can be crossed on purpose. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** {@link DpopConfig} with the shipped defaults, changeable per test. */
    private static final class Config implements DpopConfig {
        String[] algorithms = {"PS256,ES256"};
        boolean nonceRequired;

        @Override
        public Class<? extends Annotation> annotationType() {
            return DpopConfig.class;
        }

        @Override
        public String[] algorithms() {
            return algorithms;
        }

        @Override
        public int iatMaxAgeSeconds() {
            return 60;
        }

        @Override
        public int iatMaxFutureSkewSeconds() {
            return 10;
        }

        @Override
        public boolean nonceRequired() {
            return nonceRequired;
        }

        @Override
        public int nonceValiditySeconds() {
            return 300;
        }
    }

    /** The cluster's shared secret: the same bytes on every node built with the same seed. */
    private static SharedSecrets sharedSecret(int seed) {
        return name -> {
            byte[] secret = new byte[32];
            Arrays.fill(secret, (byte) (seed + name.length()));
            return secret;
        };
    }

    private DpopProofs verifier() {
        return new DpopProofs(state, secrets, config, clock);
    }

    private static HTTPRequest request(String url, String proof) {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(url));
        if (proof != null) {
            r.setHeader("DPoP", proof);
        }
        return r;
    }

    private String proof(JWK key, JWSAlgorithm alg, String htm, String htu, String accessToken, String nonce)
            throws Exception {
        DPoPProofFactory factory = new DefaultDPoPProofFactory(key, alg);
        return factory.createDPoPJWT(new JWTID(), htm, URI.create(htu), Date.from(clock.instant()),
                accessToken == null ? null : new DPoPAccessToken(accessToken),
                nonce == null ? null : new Nonce(nonce)).serialize();
    }

    private String es256(String htu) throws Exception {
        return proof(ec, JWSAlgorithm.ES256, "POST", htu, null, null);
    }

    /** A proof built by hand, for what {@link DPoPProofFactory} refuses to make. */
    private static String signed(JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new ECDSASigner(ec));
        return jwt.serialize();
    }

    private static JWSHeader.Builder es256Header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).type(DPoPProofFactory.TYPE).jwk(ec.toPublicJWK());
    }

    private JWTClaimsSet.Builder claims(String htu) {
        return new JWTClaimsSet.Builder().jwtID(new JWTID().getValue()).claim("htm", "POST").claim("htu", htu)
                .issueTime(Date.from(clock.instant()));
    }

    private static String thumbprint(JWK key) throws Exception {
        return JWKThumbprintConfirmation.of(key.toPublicJWK()).getValue().toString();
    }

    private static OAuthException rejected(Executable call, String code, int status) {
        OAuthException e = assertThrows(OAuthException.class, call);
        assertEquals(code, e.error().getCode(), e.getMessage());
        assertEquals(status, e.error().getHTTPStatusCode(), e.getMessage());
        return e;
    }

    private OAuthException rejectedAtToken(String proof, String messagePart) {
        DpopProofs v = verifier();
        OAuthException e = rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "invalid_dpop_proof", 400);
        assertTrue(e.error().getDescription().contains(messagePart), e.error().getDescription());
        assertTrue(e.headers().isEmpty(), e.headers().toString());
        return e;
    }

    private OAuthException rejectedAtResource(String proof, String expectedJkt, String messagePart) {
        DpopProofs v = verifier();
        OAuthException e = rejected(() -> v.verifyForResource(request(USERINFO, proof), "GET", USERINFO, ACCESS_TOKEN,
                expectedJkt), "invalid_dpop_proof", 401);
        assertTrue(e.error().getDescription().contains(messagePart), e.error().getDescription());
        String challenge = e.headers().get("WWW-Authenticate");
        assertTrue(challenge.startsWith("DPoP error=\"invalid_dpop_proof\""), challenge);
        assertTrue(challenge.contains("algs=\"PS256 ES256\""), challenge);
        return e;
    }

    // Happy paths

    @Test
    public void returnsTheThumbprintOfAnEs256ProofKey() throws Exception {
        assertEquals(Optional.of(thumbprint(ec)), verifier().verify(request(TOKEN, es256(TOKEN)), "POST", TOKEN));
    }

    @Test
    public void returnsTheThumbprintOfAPs256ProofKey() throws Exception {
        String proof = proof(rsa, JWSAlgorithm.PS256, "POST", TOKEN, null, null);
        assertEquals(Optional.of(thumbprint(rsa)), verifier().verify(request(TOKEN, proof), "POST", TOKEN));
    }

    @Test
    public void returnsEmptyWithoutDpopHeader() throws Exception {
        assertEquals(Optional.empty(), verifier().verify(request(TOKEN, null), "POST", TOKEN));
        assertTrue(state.values.isEmpty());
    }

    @Test
    public void acceptsResourceProofWithAthAndBoundKey() throws Exception {
        String proof = proof(ec, JWSAlgorithm.ES256, "GET", USERINFO, ACCESS_TOKEN, null);
        verifier().verifyForResource(request(USERINFO, proof), "GET", USERINFO, ACCESS_TOKEN, thumbprint(ec));
    }

    @Test
    public void recordsJtiPerKeyForTheWholeIatWindow() throws Exception {
        SignedJWT proof = SignedJWT.parse(es256(TOKEN));
        verifier().verify(request(TOKEN, proof.serialize()), "POST", TOKEN);
        String key = DpopProofs.REPLAY_MAP + "/" + thumbprint(ec) + ":" + proof.getJWTClaimsSet().getJWTID();
        assertTrue(state.values.containsKey(key), state.values.keySet().toString());
        assertEquals(Duration.ofSeconds(70), state.ttls.get(key));
    }

    @Test
    public void acceptsIatAtTheEdgesOfTheWindow() throws Exception {
        Instant now = clock.now;
        clock.now = now.minusSeconds(60);
        String oldest = es256(TOKEN);
        clock.now = now.plusSeconds(10);
        String newest = es256(TOKEN);
        clock.now = now;
        verifier().verify(request(TOKEN, oldest), "POST", TOKEN);
        verifier().verify(request(TOKEN, newest), "POST", TOKEN);
    }

    @Test
    public void acceptsRs256WhenConfigured() throws Exception {
        config.algorithms = new String[] {"PS256", "RS256"};
        String proof = proof(rsa, JWSAlgorithm.RS256, "POST", TOKEN, null, null);
        assertEquals(Optional.of(thumbprint(rsa)), verifier().verify(request(TOKEN, proof), "POST", TOKEN));
    }

    // Rejections

    @Test
    public void rejectsWrongTyp() throws Exception {
        String proof = signed(es256Header().type(JOSEObjectType.JWT).build(), claims(TOKEN).build());
        rejectedAtToken(proof, "typ");
    }

    @Test
    public void rejectsAlgNone() throws Exception {
        String header = JSONObjectUtils.toJSONString(
                JSONObjectUtils.parse("{\"typ\":\"dpop+jwt\",\"alg\":\"none\",\"jwk\":" + ec.toPublicJWK().toJSONString()
                        + "}"));
        String proof = Base64URL.encode(header) + "." + Base64URL.encode(claims(TOKEN).build().toString()) + ".";
        rejectedAtToken(proof, "not a signed JWT");
    }

    @Test
    public void rejectsHs256() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(DPoPProofFactory.TYPE)
                .jwk(ec.toPublicJWK()).build(), claims(TOKEN).build());
        jwt.sign(new MACSigner(new byte[32]));
        rejectedAtToken(jwt.serialize(), "HS256");
    }

    @Test
    public void rejectsRs256WhenNotAllowed() throws Exception {
        rejectedAtToken(proof(rsa, JWSAlgorithm.RS256, "POST", TOKEN, null, null), "RS256");
    }

    @Test
    public void rejectsPrivateKeyInJwkHeader() throws Exception {
        var header = es256Header().build().toJSONObject();
        header.put("jwk", ec.toJSONObject());
        Base64URL h = Base64URL.encode(JSONObjectUtils.toJSONString(header));
        Base64URL c = Base64URL.encode(claims(TOKEN).build().toString());
        Base64URL s = new ECDSASigner(ec).sign(es256Header().build(),
                (h + "." + c).getBytes(StandardCharsets.US_ASCII));
        rejectedAtToken(h + "." + c + "." + s, "Non-public key");
    }

    @Test
    public void rejectsBadSignature() throws Exception {
        SignedJWT jwt = new SignedJWT(es256Header().jwk(otherEc.toPublicJWK()).build(), claims(TOKEN).build());
        jwt.sign(new ECDSASigner(ec));
        rejectedAtToken(jwt.serialize(), "signature");
    }

    @Test
    public void rejectsJwkOfTheWrongKeyType() throws Exception {
        SignedJWT jwt = new SignedJWT(es256Header().jwk(rsa.toPublicJWK()).build(), claims(TOKEN).build());
        jwt.sign(new ECDSASigner(ec));
        rejectedAtToken(jwt.serialize(), "does not fit");
    }

    @Test
    public void rejectsHtmMismatch() throws Exception {
        rejectedAtToken(proof(ec, JWSAlgorithm.ES256, "GET", TOKEN, null, null), "htm");
    }

    @Test
    public void rejectsHtuMismatch() throws Exception {
        rejectedAtToken(es256("https://as.bank.example/oauth2/par"), "htu");
        rejectedAtToken(es256("https://other.example/oauth2/token"), "htu");
        rejectedAtToken(es256("http://as.bank.example/oauth2/token"), "htu");
    }

    @Test
    public void acceptsHtuWithQueryAndFragmentIgnored() throws Exception {
        String proof = signed(es256Header().build(), claims(TOKEN + "?x=1#frag").build());
        assertEquals(Optional.of(thumbprint(ec)), verifier().verify(request(TOKEN, proof), "POST", TOKEN));
    }

    @Test
    public void acceptsHtuEqualAfterRfc3986Normalization() throws Exception {
        String proof = signed(es256Header().build(),
                claims("HTTPS://AS.Bank.Example:443/oauth2/./%74oken").build());
        assertEquals(Optional.of(thumbprint(ec)), verifier().verify(request(TOKEN, proof), "POST", TOKEN));
    }


    @Test
    public void rejectsIatTooOld() throws Exception {
        Instant now = clock.now;
        clock.now = now.minusSeconds(61);
        String proof = es256(TOKEN);
        clock.now = now;
        rejectedAtToken(proof, "too old");
    }

    @Test
    public void rejectsIatInTheFuture() throws Exception {
        Instant now = clock.now;
        clock.now = now.plusSeconds(11);
        String proof = es256(TOKEN);
        clock.now = now;
        rejectedAtToken(proof, "future");
    }

    @Test
    public void rejectsMissingJti() throws Exception {
        String proof = signed(es256Header().build(), claims(TOKEN).jwtID(null).build());
        rejectedAtToken(proof, "jti");
    }

    @Test
    public void rejectsReplayedJti() throws Exception {
        String proof = es256(TOKEN);
        verifier().verify(request(TOKEN, proof), "POST", TOKEN);
        rejectedAtToken(proof, "already used");
    }

    @Test
    public void acceptsTheSameJtiFromTwoDifferentKeys() throws Exception {
        JWTID jti = new JWTID("same-jti");
        Date iat = Date.from(clock.instant());
        String first = new DefaultDPoPProofFactory(ec, JWSAlgorithm.ES256)
                .createDPoPJWT(jti, "POST", URI.create(TOKEN), iat, null).serialize();
        String second = new DefaultDPoPProofFactory(otherEc, JWSAlgorithm.ES256)
                .createDPoPJWT(jti, "POST", URI.create(TOKEN), iat, null).serialize();
        assertEquals(Optional.of(thumbprint(ec)), verifier().verify(request(TOKEN, first), "POST", TOKEN));
        assertEquals(Optional.of(thumbprint(otherEc)), verifier().verify(request(TOKEN, second), "POST", TOKEN));
    }

    @Test
    public void rejectsOversizedProof() throws Exception {
        String proof = signed(es256Header().build(), claims(TOKEN).claim("pad", "x".repeat(8200)).build());
        rejectedAtToken(proof, "larger than 8192");
    }

    @Test
    public void rejectsGarbageHeader() {
        rejectedAtToken("not a jwt", "not a signed JWT");
        rejectedAtToken("a.b.c", "not a signed JWT");
        rejectedAtToken("", "not a signed JWT");
    }

    @Test
    public void rejectsTwoDpopHeaders() throws Exception {
        HTTPRequest r = request(TOKEN, null);
        r.setHeader("DPoP", es256(TOKEN), es256(TOKEN));
        DpopProofs v = verifier();
        rejected(() -> v.verify(r, "POST", TOKEN), "invalid_dpop_proof", 400);
    }

    @Test
    public void failsClosedWhileTheClusterIsAway() throws Exception {
        state.down = true;
        DpopProofs v = verifier();
        String proof = es256(TOKEN);
        rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "temporarily_unavailable", 503);
    }

    @Test
    public void refusesConfiguredSymmetricOrNoneAlgorithms() {
        config.algorithms = new String[] {"ES256,HS256"};
        assertThrows(IllegalArgumentException.class, this::verifier);
        config.algorithms = new String[] {"none"};
        assertThrows(IllegalArgumentException.class, this::verifier);
    }

    // Nonces

    @Test
    public void requiredNonceMissingGivesUseDpopNonceWithAFreshNonce() throws Exception {
        config.nonceRequired = true;
        DpopProofs v = verifier();
        String proof = es256(TOKEN);
        OAuthException e = rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "use_dpop_nonce", 400);
        String nonce = e.headers().get("DPoP-Nonce");
        assertEquals(v.freshNonce(), nonce);
        assertTrue(state.values.isEmpty(), "a refused proof burns no jti");
        String retry = proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, nonce);
        assertEquals(Optional.of(thumbprint(ec)), v.verify(request(TOKEN, retry), "POST", TOKEN));
    }

    @Test
    public void acceptsNonceOfThePreviousWindow() throws Exception {
        config.nonceRequired = true;
        DpopProofs v = verifier();
        String nonce = v.freshNonce();
        clock.now = clock.now.plusSeconds(300);
        v.verify(request(TOKEN, proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, nonce)), "POST", TOKEN);
    }

    @Test
    public void rejectsStaleNonce() throws Exception {
        config.nonceRequired = true;
        DpopProofs v = verifier();
        String nonce = v.freshNonce();
        clock.now = clock.now.plusSeconds(600);
        String proof = proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, nonce);
        OAuthException e = rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "use_dpop_nonce", 400);
        assertNotEquals(nonce, e.headers().get("DPoP-Nonce"));
        assertEquals(v.freshNonce(), e.headers().get("DPoP-Nonce"));
    }

    @Test
    public void rejectsUnknownNonceEvenWhenNotRequired() throws Exception {
        DpopProofs v = verifier();
        String proof = proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, "made-up");
        rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "use_dpop_nonce", 400);
    }

    @Test
    public void acceptsNonceIssuedByAnotherNode() throws Exception {
        config.nonceRequired = true;
        DpopProofs nodeA = new DpopProofs(state, sharedSecret(7), config, clock);
        DpopProofs nodeB = new DpopProofs(new InMemorySharedState(), sharedSecret(7), config, clock);
        String nonce = nodeA.freshNonce();
        String proof = proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, nonce);
        assertEquals(Optional.of(thumbprint(ec)), nodeB.verify(request(TOKEN, proof), "POST", TOKEN));
    }

    @Test
    public void rejectsNonceMadeWithAnotherSecret() throws Exception {
        config.nonceRequired = true;
        String foreign = new DpopProofs(state, sharedSecret(99), config, clock).freshNonce();
        DpopProofs v = verifier();
        String proof = proof(ec, JWSAlgorithm.ES256, "POST", TOKEN, null, foreign);
        rejected(() -> v.verify(request(TOKEN, proof), "POST", TOKEN), "use_dpop_nonce", 400);
    }

    @Test
    public void resourceNonceMissingGives401WithChallengeAndNonce() throws Exception {
        config.nonceRequired = true;
        DpopProofs v = verifier();
        String proof = proof(ec, JWSAlgorithm.ES256, "GET", USERINFO, ACCESS_TOKEN, null);
        OAuthException e = rejected(() -> v.verifyForResource(request(USERINFO, proof), "GET", USERINFO, ACCESS_TOKEN,
                thumbprint(ec)), "use_dpop_nonce", 401);
        assertTrue(e.headers().get("WWW-Authenticate").startsWith("DPoP error=\"use_dpop_nonce\""),
                e.headers().toString());
        assertEquals(v.freshNonce(), e.headers().get("DPoP-Nonce"));
    }

    // Resources

    @Test
    public void rejectsAthMismatchAtResource() throws Exception {
        String proof = proof(ec, JWSAlgorithm.ES256, "GET", USERINFO, "another-token", null);
        rejectedAtResource(proof, thumbprint(ec), "ath");
    }

    @Test
    public void rejectsMissingAthAtResource() throws Exception {
        String proof = proof(ec, JWSAlgorithm.ES256, "GET", USERINFO, null, null);
        rejectedAtResource(proof, thumbprint(ec), "needs ath");
    }

    @Test
    public void rejectsJktMismatchAtResource() throws Exception {
        String proof = proof(ec, JWSAlgorithm.ES256, "GET", USERINFO, ACCESS_TOKEN, null);
        rejectedAtResource(proof, thumbprint(otherEc), "bound to");
    }

    @Test
    public void rejectsMissingProofAtResource() throws Exception {
        rejectedAtResource(null, thumbprint(ec), "required");
    }

    @Test
    public void rejectsBadProofAtResourceWith401Challenge() throws Exception {
        rejectedAtResource("garbage", thumbprint(ec), "not a signed JWT");
    }
}
