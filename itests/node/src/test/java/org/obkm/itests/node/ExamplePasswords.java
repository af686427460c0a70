package org.obkm.itests.node;

import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password lines for files of the example store type (itests/example-userstore):
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, base64 without padding, a 256-bit PBKDF2-HMAC-SHA256.
 */
final class ExamplePasswords {

    private ExamplePasswords() {
    }

    static String hash(char[] password, int iterations) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }
}
