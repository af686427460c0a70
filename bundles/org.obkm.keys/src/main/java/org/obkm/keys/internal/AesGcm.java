package org.obkm.keys.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM (NIST SP 800-38D) as this bundle stores values: a random 96-bit IV followed by the
 * ciphertext and its 128-bit tag; the callers add their own framing and associated data.
 */
final class AesGcm {

    static final int IV_BYTES = 12;
    static final int TAG_BITS = 128;

    private AesGcm() {
    }

    /** {@code IV ‖ ciphertext ‖ tag} of {@code plain}, authenticated together with {@code aad}. */
    static byte[] seal(SecretKey key, byte[] aad, byte[] plain, SecureRandom random) throws GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        c.updateAAD(aad);
        byte[] ct = c.doFinal(plain);
        byte[] out = new byte[IV_BYTES + ct.length];
        System.arraycopy(iv, 0, out, 0, IV_BYTES);
        System.arraycopy(ct, 0, out, IV_BYTES, ct.length);
        return out;
    }

    /**
     * The plaintext of {@code in[offset ..]} ({@code IV ‖ ciphertext ‖ tag}, as {@link #seal} made it).
     *
     * @throws GeneralSecurityException when the tag does not verify (another key, altered data or aad)
     */
    static byte[] open(SecretKey key, byte[] aad, byte[] in, int offset) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, offset, IV_BYTES));
        c.updateAAD(aad);
        return c.doFinal(in, offset + IV_BYTES, in.length - offset - IV_BYTES);
    }
}
