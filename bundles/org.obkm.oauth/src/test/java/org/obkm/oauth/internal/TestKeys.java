package org.obkm.oauth.internal;

import java.util.Optional;
import java.util.Set;

import org.obkm.api.keys.KeyService;
import org.obkm.api.keys.SigningService;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The server's keys for unit tests: one PS256 key that signs ({@link #signing}) and verifies
 * ({@link #keys}), as the keys bundle's services do, without the database behind them.
 */
public final class TestKeys {

    public static final RSAKey KEY = generate();

    private TestKeys() {
    }

    public static SigningService signing() {
        return new SigningService() {
            @Override
            public String signJwt(JWSAlgorithm algorithm, JOSEObjectType type, com.nimbusds.jwt.JWTClaimsSet claims) {
                return sign(new JWSHeader.Builder(algorithm).type(type).build(), claims.toPayload());
            }

            @Override
            public String sign(JWSHeader header, Payload payload) {
                if (!JWSAlgorithm.PS256.equals(header.getAlgorithm())) {
                    throw new IllegalArgumentException("no current key for " + header.getAlgorithm());
                }
                JWSObject jws = new JWSObject(new JWSHeader.Builder(header).keyID(KEY.getKeyID()).build(), payload);
                try {
                    jws.sign(new RSASSASigner(KEY));
                } catch (JOSEException e) {
                    throw new IllegalStateException(e);
                }
                return jws.serialize();
            }

            @Override
            public String signDetached(JWSHeader header, Payload payload) {
                throw new UnsupportedOperationException("not used by these tests");
            }

            @Override
            public Set<JWSAlgorithm> algorithms() {
                return Set.of(JWSAlgorithm.PS256);
            }
        };
    }

    public static KeyService keys() {
        return new KeyService() {
            @Override
            public Optional<JWK> verificationKey(String kid) {
                return KEY.getKeyID().equals(kid) ? Optional.of(KEY.toPublicJWK()) : Optional.empty();
            }

            @Override
            public JWKSet publicJwkSet() {
                return new JWKSet(KEY.toPublicJWK());
            }

            @Override
            public void rotate() {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-ps256").algorithm(JWSAlgorithm.PS256).keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
