package org.obkm.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What keeps the cluster port from being a trust boundary: HMAC-SHA256 tags on messages, AES-GCM on
 * shared values, and keyed names for map keys, all under secrets the nodes share through the database.
 */
final class ClusterCrypto {

    private final SecretKeySpec macKey;
    private final SecretKeySpec encKey;
    private final SecureRandom random = new SecureRandom();

    ClusterCrypto(byte[] macSecret, byte[] encSecret) {
        this.macKey = new SecretKeySpec(macSecret, "HmacSHA256");
        this.encKey = new SecretKeySpec(encSecret, "AES");
    }

    /** Length of a tag from {@link #mac(byte[], int, int)}. */
    static final int TAG_LENGTH = 32;

    byte[] mac(String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        return mac(b, 0, b.length);
    }

    byte[] mac(byte[] data, int offset, int length) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(macKey);
            m.update(data, offset, length);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code data} ends with a valid tag over everything before it, compared in constant time.
     * Callers check this before they parse a byte of the message.
     */
    boolean verifyTrailingTag(byte[] data) {
        if (data == null || data.length < TAG_LENGTH) {
            return false;
        }
        int body = data.length - TAG_LENGTH;
        byte[] expected = mac(data, 0, body);
        byte[] tag = new byte[TAG_LENGTH];
        System.arraycopy(data, body, tag, 0, TAG_LENGTH);
        return MessageDigest.isEqual(expected, tag);
    }

    /** A map key that reveals nothing of the real key (a code or jti) to whoever reads the map. */
    String keyedName(String map, String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(map + "\u0000" + key));
    }

    byte[] seal(byte[] plain, String context) {
        try {
            byte[] iv = new byte[12];
            random.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, iv));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = new byte[12 + ct.length];
            System.arraycopy(iv, 0, out, 0, 12);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a sealed value; a forged or moved value fails. */
    byte[] open(byte[] sealed, String context) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, sealed, 0, 12));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecurityException("shared value failed authentication: " + context);
        }
    }
}
