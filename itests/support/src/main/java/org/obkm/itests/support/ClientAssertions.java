package org.obkm.itests.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Builds {@code private_key_jwt} client assertions (RFC 7523 §3): valid ones, and each with one
 * thing wrong. The claims start valid; a test changes only what it means to break.
 */
public final class ClientAssertions {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private ClientAssertions() {
    }

    /** Valid claims: iss = sub = client, aud = issuer, exp in 60 s, iat now, fresh jti. */
    public static JWTClaimsSet.Builder validClaims(String clientId, String audience) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .issueTime(new Date(now)).expirationTime(new Date(now + 60_000))
                .jwtID(UUID.randomUUID().toString());
    }

    public static JWTClaimsSet claims(String clientId, String audience, Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = validClaims(clientId, audience);
        change.accept(b);
        return b.build();
    }

    public static String sign(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims, signer(() -> new RSASSASigner(key)));
    }

    public static String sign(ECKey key, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims,
                signer(() -> new ECDSASigner(key)));
    }

    public static String signHs256(byte[] secret, JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).build(), claims, signer(() -> new MACSigner(secret)));
    }

    /** An unsecured JWT (RFC 7519 §6): header {"alg":"none"}, the claims, an empty signature. */
    public static String unsigned(JWTClaimsSet claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return "eyJhbGciOiJub25lIn0." + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    /** The algorithm a test client signs with: PS256 for an RSA key, ES256 for a P-256 one. */
    public static JWSAlgorithm algorithm(JWK key) {
        return key instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.PS256;
    }

    /** Signs with an RSA or EC private key, whichever {@code key} is. */
    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        return sign(header, claims, signer(() -> key instanceof ECKey ec ? new ECDSASigner(ec)
                : new RSASSASigner(key.toRSAKey())));
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private interface SignerFactory {
        JWSSigner create() throws JOSEException;
    }

    private static JWSSigner signer(SignerFactory f) {
        try {
            return f.create();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
