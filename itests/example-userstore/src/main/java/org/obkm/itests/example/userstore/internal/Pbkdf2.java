package org.obkm.itests.example.userstore.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PBKDF2-HMAC-SHA256 password hash (RFC 8018 section 5.2, from the JDK) in the self-describing form
 * {@code pbkdf2-sha256$<iterations>$<salt, base64>$<hash, base64>}, the form the primary store uses too.
 * Only the JDK is needed, so that the example bundle imports nothing but the OBKM API, DS and SLF4J.
 *
 * @param iterations the PBKDF2 iteration count
 * @param salt       the salt
 * @param hash       the derived key, compared in constant time
 */
record Pbkdf2(int iterations, byte[] salt, byte[] hash) {

    static final String PREFIX = "pbkdf2-sha256";
    static final int MIN_ITERATIONS = 1_000;
    /** Above this a hash is taken for a mistake: verifying it would tie up a thread for minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new hash of {@code password} with a fresh random salt, in the stored form. */
    static String hash(char[] password, int iterations) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the password must not be empty");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, HASH_BITS));
    }

    /**
     * Parses the stored form.
     *
     * @param property the name of the property holding it, for the message
     * @throws IllegalArgumentException naming the property, never the value, when it is malformed
     */
    static Pbkdf2 parse(String property, String stored) {
        String[] parts = stored == null ? new String[0] : stored.trim().split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            throw malformed(property);
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length == 0) {
                throw malformed(property);
            }
            return new Pbkdf2(iterations, salt, hash);
        } catch (IllegalArgumentException e) { // also NumberFormatException and bad base64
            throw malformed(property);
        }
    }

    /** Whether {@code password} derives this hash; constant time in the comparison. */
    boolean matches(char[] password) {
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length * 8));
    }

    /** The work of one {@link #matches} with a random salt, result discarded: for unknown users. */
    static void burn(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        MessageDigest.isEqual(new byte[HASH_BITS / 8], derive(password, salt, iterations, HASH_BITS));
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be between " + MIN_ITERATIONS + " and "
                    + MAX_ITERATIONS + ", got " + iterations);
        }
    }

    private static IllegalArgumentException malformed(String property) {
        return new IllegalArgumentException(property + " is not a password hash of the form " + PREFIX
                + "$<iterations " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ">$<salt, base64>$<hash, base64>");
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2-HMAC-SHA256 is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }
}
