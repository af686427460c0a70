package org.obkm.userstore.jdbc.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) password hashes from the JDK, in the self-describing form
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}, so that the cost can rise later
 * and old hashes still verify. 600,000 iterations is the OWASP Password Storage Cheat Sheet figure
 * for PBKDF2-HMAC-SHA256 (2023); salts are 16 random bytes, hashes 256 bits.
 */
final class PasswordHasher {

    static final String PREFIX = "pbkdf2-sha256";
    static final int MIN_ITERATIONS = 1_000;
    /** Above this a stored hash is taken for tampering: verifying it would tie up a thread for minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";

    private final SecureRandom random = new SecureRandom();

    /** A new hash of {@code password} with a fresh salt. */
    String hash(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be between " + MIN_ITERATIONS + " and "
                    + MAX_ITERATIONS + ", got " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, HASH_BITS));
    }

    /**
     * Whether {@code password} matches {@code stored}, compared in constant time. A missing or
     * malformed stored hash never matches, after the same work as a real check.
     */
    boolean verify(char[] password, String stored, int fallbackIterations) {
        Parsed p = parse(stored);
        if (p == null) {
            burn(password, fallbackIterations);
            return false;
        }
        return MessageDigest.isEqual(p.hash(), derive(password, p.salt(), p.iterations(), p.hash().length * 8));
    }

    /**
     * The work of one verification, with the result thrown away: for unknown users, so that the time
     * taken does not tell them from known ones.
     */
    void burn(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        derive(password, salt, Math.max(MIN_ITERATIONS, Math.min(iterations, MAX_ITERATIONS)), HASH_BITS);
    }

    /** The iteration count of a stored hash, or 0 when it is not one of ours. */
    static int iterations(String stored) {
        Parsed p = parse(stored);
        return p == null ? 0 : p.iterations();
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length == 0) {
                return null;
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2-HMAC-SHA256 is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
