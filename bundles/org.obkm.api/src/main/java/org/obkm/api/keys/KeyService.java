package org.obkm.api.keys;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * The server's public signing keys (RFC 7517), shared by every node through the database. Keys rotate:
 * the current key signs (through {@link SigningService}, which keeps the private keys inside the keys
 * bundle), older ones still verify until retired.
 */
@ProviderType
public interface KeyService {

    /** A public key by key ID, among the current and retired keys. */
    Optional<JWK> verificationKey(String kid);

    /** The public JWK Set published at the jwks_uri. */
    JWKSet publicJwkSet();

    /** Creates new current keys for every algorithm; the old ones stay published for verification. */
    void rotate();
}
