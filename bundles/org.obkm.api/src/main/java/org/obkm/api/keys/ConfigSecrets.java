package org.obkm.api.keys;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts secrets that operators put into configuration files (a directory's
 * {@code ConnectionPassword}), under a key every node of the cluster shares (derived from a
 * {@link SharedSecrets} secret), so that one ciphertext works on every node and the plaintext never
 * sits in a file, a configuration dump or a log.
 */
@ProviderType
public interface ConfigSecrets {

    /** Ciphertext (base64url, authenticated encryption) of this secret; the caller clears the array. */
    String encrypt(char[] plaintext);

    /**
     * The secret, from {@link #encrypt} output.
     *
     * @throws IllegalArgumentException when the text is not a ciphertext of this cluster (altered, or
     *                                  made by another cluster); the message never contains the text
     */
    char[] decrypt(String ciphertext);
}
