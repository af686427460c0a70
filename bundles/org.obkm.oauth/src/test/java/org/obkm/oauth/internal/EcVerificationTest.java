package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Date;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** ECDSA checks of the gate's verifiers run on Bouncy Castle and agree with the JDK's signatures. */
class EcVerificationTest {

    private static SignedJWT signed(JWSAlgorithm alg, com.nimbusds.jose.JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg),
                new JWTClaimsSet.Builder().subject("s6BhdRkqt3").issueTime(new Date()).build());
        jwt.sign(signer);
        return jwt;
    }

    private static JWSVerifier gateVerifier(SignedJWT jwt, java.security.Key key) throws JOSEException {
        return CpuGate.ungated().verifiers().createJWSVerifier(jwt.getHeader(), key);
    }

    @Test
    void es256SignatureOfTheJdkVerifiesOnBouncyCastle() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = signed(JWSAlgorithm.ES256, new ECDSASigner(key));
        JWSVerifier verifier = gateVerifier(jwt, key.toECPublicKey());
        if (EcVerification.ON_BOUNCY_CASTLE) {
            assertEquals("BC", verifier.getJCAContext().getProvider().getName());
        } else {
            assertNull(verifier.getJCAContext().getProvider());
        }
        assertTrue(jwt.verify(verifier));
    }

    @Test
    void bouncyCastleBeforeJava25AndTheJdkFromThenOnUnlessOverridden() {
        assertTrue(EcVerification.onBouncyCastle("", 17));
        assertFalse(EcVerification.onBouncyCastle("", 25));
        assertTrue(EcVerification.onBouncyCastle("bc", 25));
        assertFalse(EcVerification.onBouncyCastle("jdk", 17));
    }

    @Test
    void es384AndEs512VerifyToo() throws Exception {
        for (Object[] c : new Object[][] {{JWSAlgorithm.ES384, Curve.P_384}, {JWSAlgorithm.ES512, Curve.P_521}}) {
            ECKey key = new ECKeyGenerator((Curve) c[1]).generate();
            SignedJWT jwt = signed((JWSAlgorithm) c[0], new ECDSASigner(key));
            assertTrue(jwt.verify(gateVerifier(jwt, key.toECPublicKey())), c[0].toString());
        }
    }

    @Test
    void alteredSignatureOrClaimsOrAnotherKeyFail() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = signed(JWSAlgorithm.ES256, new ECDSASigner(key));
        String[] parts = jwt.serialize().split("\\.");
        byte[] sig = Base64URL.from(parts[2]).decode();
        sig[5] ^= 1;
        SignedJWT badSig = new SignedJWT(Base64URL.from(parts[0]), Base64URL.from(parts[1]), Base64URL.encode(sig));
        assertFalse(badSig.verify(gateVerifier(badSig, key.toECPublicKey())));
        SignedJWT otherClaims = new SignedJWT(Base64URL.from(parts[0]),
                Base64URL.encode("{\"sub\":\"mallory\"}"), Base64URL.from(parts[2]));
        assertFalse(otherClaims.verify(gateVerifier(otherClaims, key.toECPublicKey())));
        assertFalse(jwt.verify(gateVerifier(jwt, other.toECPublicKey())));
    }

    @Test
    void allZeroSignatureFails() throws Exception {
        // CVE-2022-21449 (r = s = 0) must fail whatever the provider
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT jwt = signed(JWSAlgorithm.ES256, new ECDSASigner(key));
        String[] parts = jwt.serialize().split("\\.");
        SignedJWT zero = new SignedJWT(Base64URL.from(parts[0]), Base64URL.from(parts[1]), Base64URL.encode(new byte[64]));
        assertFalse(zero.verify(gateVerifier(zero, key.toECPublicKey())));
    }

    @Test
    void rsaVerifiersKeepTheJdkProvider() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        SignedJWT jwt = signed(JWSAlgorithm.PS256, new RSASSASigner(key));
        JWSVerifier verifier = gateVerifier(jwt, key.toRSAPublicKey());
        assertNull(verifier.getJCAContext().getProvider());
        assertTrue(jwt.verify(verifier));
    }
}
