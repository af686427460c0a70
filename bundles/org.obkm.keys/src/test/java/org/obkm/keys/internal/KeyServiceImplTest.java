package org.obkm.keys.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** The signing service: current key, kid, published keys, rotation here and on another node, refusals. */
class KeyServiceImplTest {

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final String OB = "http://openbanking.org.uk/";

    private final InMemoryKeyStore cluster = new InMemoryKeyStore();
    private final KeyServiceImpl keys = cluster.join(encryption());

    private static KeyEncryption encryption() {
        try {
            return new KeyEncryption("s3cret".toCharArray());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().issuer("https://as.example").subject("alice").claim("scope", "accounts").build();
    }

    /** Verifies against the published JWK Set only, as a resource server would. */
    private static void assertVerifies(KeyServiceImpl node, JWSObject jws, Set<String> deferredCrit)
            throws JOSEException {
        JWK key = node.publicJwkSet().getKeyByKeyId(jws.getHeader().getKeyID());
        assertFalse(key.isPrivate());
        assertTrue(jws.verify(verifier(key, deferredCrit)), "signature verifies with the published key");
    }

    private static void assertVerifies(KeyServiceImpl node, JWSObject jws) throws JOSEException {
        assertVerifies(node, jws, Set.of());
    }

    private static JWSVerifier verifier(JWK key, Set<String> deferredCrit) throws JOSEException {
        return key instanceof ECKey ec ? new ECDSAVerifier(ec.toECPublicKey(), deferredCrit)
                : new RSASSAVerifier(key.toRSAKey().toRSAPublicKey(), deferredCrit);
    }

    @Test
    void signsJwtsWithTheCurrentKeyOfEachAlgorithmAndNamesItInTheHeader() throws Exception {
        for (JWSAlgorithm alg : KeyServiceImpl.ALGORITHMS) {
            SignedJWT jwt = SignedJWT.parse(keys.signJwt(alg, AT_JWT, claims()));
            assertEquals(alg, jwt.getHeader().getAlgorithm());
            assertEquals(keys.signingKey(alg).kid(), jwt.getHeader().getKeyID());
            assertEquals(AT_JWT, jwt.getHeader().getType());
            assertEquals("alice", jwt.getJWTClaimsSet().getSubject());
            assertVerifies(keys, jwt);
        }
        assertEquals(Set.copyOf(KeyServiceImpl.ALGORITHMS), keys.algorithms());
    }

    @Test
    void publishesPublicKeysOnly() {
        assertEquals(2, keys.publicJwkSet().getKeys().size());
        keys.publicJwkSet().getKeys().forEach(k -> assertFalse(k.isPrivate(), k.getKeyID()));
        assertFalse(keys.publicJwkSet().toString(false).contains("\"d\""));
    }

    @Test
    void keepsOneSignerPerCurrentKeyAcrossTokensAndReloads() {
        SigningKey first = keys.signingKey(JWSAlgorithm.PS256);
        keys.signJwt(JWSAlgorithm.PS256, AT_JWT, claims());
        keys.invalidateAll(); // a reload that finds the same current key keeps its signer
        assertSame(first, keys.signingKey(JWSAlgorithm.PS256));
        assertSame(first.signer(), keys.signingKey(JWSAlgorithm.PS256).signer());
    }

    @Test
    void afterRotationTheNewKeySignsAndTheOldStillVerifies() throws Exception {
        SigningKey before = keys.signingKey(JWSAlgorithm.PS256);
        SignedJWT old = SignedJWT.parse(keys.signJwt(JWSAlgorithm.PS256, AT_JWT, claims()));

        keys.rotate();

        SigningKey after = keys.signingKey(JWSAlgorithm.PS256);
        assertNotSame(before, after);
        assertNotSame(before.signer(), after.signer());
        assertNotEquals(before.kid(), after.kid());
        SignedJWT fresh = SignedJWT.parse(keys.signJwt(JWSAlgorithm.PS256, AT_JWT, claims()));
        assertEquals(after.kid(), fresh.getHeader().getKeyID());
        assertVerifies(keys, fresh);
        assertVerifies(keys, old);
        assertTrue(keys.verificationKey(before.kid()).isPresent());
        assertEquals(4, keys.publicJwkSet().getKeys().size());
        assertEquals(1, cluster.invalidations(), "the other nodes are told");
    }

    @Test
    void aRotationOnAnotherNodeReplacesThisNodesSigner() throws Exception {
        KeyServiceImpl other = cluster.join(encryption());
        SigningKey before = keys.signingKey(JWSAlgorithm.ES256);
        assertEquals(before.kid(), other.signingKey(JWSAlgorithm.ES256).kid(), "both nodes sign with one key");

        other.rotate();

        SigningKey after = keys.signingKey(JWSAlgorithm.ES256);
        assertNotSame(before.signer(), after.signer());
        assertEquals(other.signingKey(JWSAlgorithm.ES256).kid(), after.kid());
        SignedJWT jwt = SignedJWT.parse(keys.signJwt(JWSAlgorithm.ES256, JOSEObjectType.JWT, claims()));
        assertEquals(after.kid(), jwt.getHeader().getKeyID());
        assertVerifies(other, jwt);
    }

    @Test
    void refusesAlgorithmsItHasNoKeyForClearly() {
        for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.RS256, JWSAlgorithm.HS256, JWSAlgorithm.EdDSA}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> keys.signJwt(alg, JOSEObjectType.JWT, claims()));
            assertTrue(e.getMessage().contains(alg.getName()) && e.getMessage().contains("PS256"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> keys.signJwt(null, JOSEObjectType.JWT, claims()));
        assertThrows(IllegalArgumentException.class,
                () -> keys.sign(new JWSHeader(JWSAlgorithm.RS512), new Payload("{}")));
        assertThrows(IllegalArgumentException.class, () -> keys.sign(null, new Payload("{}")));
    }

    @Test
    void signsAnyPayloadCompactKeepingTheCallersHeader() throws Exception {
        JOSEObjectType type = new JOSEObjectType("token-introspection+jwt");
        String jws = keys.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).type(type).build(),
                claims().toPayload());
        SignedJWT jwt = SignedJWT.parse(jws);
        assertEquals(type, jwt.getHeader().getType());
        assertEquals(keys.signingKey(JWSAlgorithm.PS256).kid(), jwt.getHeader().getKeyID());
        assertVerifies(keys, jwt);
    }

    @Test
    void signsAnHttpBodyDetachedAndUnencodedForOpenBanking() throws Exception {
        String body = "{\"Data\":{\"ConsentId\":\"c-1\"},\"Risk\":{}}";
        Set<String> ob = Set.of(OB + "iat", OB + "iss", OB + "tan");
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256).type(JOSEObjectType.JOSE)
                .contentType("application/json").base64URLEncodePayload(false).criticalParams(ob)
                .customParam(OB + "iat", 1_700_000_000L).customParam(OB + "iss", "0015800001041REAAY")
                .customParam(OB + "tan", "openbanking.org.uk").build();

        String detached = keys.signDetached(header, new Payload(body));

        assertTrue(detached.matches("[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+"), detached);
        JWSObject parsed = JWSObject.parse(detached, new Payload(body.getBytes(StandardCharsets.UTF_8)));
        JWSHeader h = parsed.getHeader();
        assertFalse(h.isBase64URLEncodePayload());
        assertTrue(h.getCriticalParams().containsAll(ob) && h.getCriticalParams().contains("b64"), h.toString());
        assertEquals("openbanking.org.uk", h.getCustomParam(OB + "tan"));
        assertEquals(keys.signingKey(JWSAlgorithm.PS256).kid(), h.getKeyID());
        assertVerifies(keys, parsed, ob);

        JWSObject tampered = JWSObject.parse(detached, new Payload(body.replace("c-1", "c-2")));
        assertFalse(tampered.verify(verifier(keys.publicJwkSet().getKeyByKeyId(h.getKeyID()), ob)));
    }

    @Test
    void refusesHeadersThatNameAKeyAndInlineUnencodedPayloads() throws ParseException {
        JWK pub = keys.publicJwkSet().getKeys().get(0);
        for (JWSHeader bad : new JWSHeader[] {new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("mine").build(),
                new JWSHeader.Builder(JWSAlgorithm.PS256).jwk(pub).build()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> keys.sign(bad, new Payload("{}")));
            assertTrue(e.getMessage().contains("must not carry"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> keys.signDetached(bad, new Payload("{}")));
        }
        JWSHeader unencoded = new JWSHeader.Builder(JWSAlgorithm.PS256).base64URLEncodePayload(false)
                .criticalParams(Set.of("b64")).build();
        assertThrows(IllegalArgumentException.class, () -> keys.sign(unencoded, new Payload("a.b")));
    }
}
