package org.obkm.api.store;

import java.time.Instant;

/**
 * A signing key as stored: the public JWK in clear, the private JWK encrypted.
 *
 * @param kid key ID
 * @param algorithm JWS algorithm name
 * @param publicJwk public JWK JSON
 * @param encryptedPrivateJwk AES-GCM ciphertext of the private JWK JSON, base64url
 * @param createdAt creation time; the newest active key of an algorithm is the current one
 * @param active whether the key still signs (inactive keys only verify)
 */
public record StoredKey(String kid, String algorithm, String publicJwk, String encryptedPrivateJwk,
        Instant createdAt, boolean active) {
}
