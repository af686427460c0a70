package org.obkm.api.keys;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The server's signing keys (RFC 7517), shared by every node through the database. Keys rotate:
 * the current key signs, older ones still verify until retired.
 */
@ProviderType
public interface KeyService {

    /**
     * The current private signing key for an algorithm (PS256 with RSA-2048, ES256 with P-256).
     *
     * @throws IllegalStateException when no key is loaded yet
     * @throws IllegalArgumentException when the algorithm is not supported
     */
    JWK signingKey(JWSAlgorithm algorithm);

    /** A public key by key ID, among the current and retired keys. */
    Optional<JWK> verificationKey(String kid);

    /** The public JWK Set published at the jwks_uri. */
    JWKSet publicJwkSet();

    /** Creates new current keys for every algorithm; the old ones stay published for verification. */
    void rotate();
}
