package org.obkm.oauth.internal.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import com.nimbusds.jose.util.Base64URL;

/** Random identifiers and secrets of 256 bits, and the hashes under which secrets are stored. */
public final class Randoms {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Randoms() {
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64URL.encode(b).toString();
    }

    /** base64url SHA-256 of the value: how codes and refresh tokens are stored and looked up. */
    public static String hash(String value) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)))
                    .toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a value looks like {@link #token()} output, before any lookup. */
    public static boolean isToken(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(c -> c >= 'A' && c <= 'Z'
                || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_');
    }
}
