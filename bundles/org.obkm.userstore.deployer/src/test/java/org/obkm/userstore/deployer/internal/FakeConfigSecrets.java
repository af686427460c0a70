package org.obkm.userstore.deployer.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import org.obkm.api.keys.ConfigSecrets;

/** Test double of ConfigSecrets: reversible, a new ciphertext each time, refuses what it did not make. */
final class FakeConfigSecrets implements ConfigSecrets {

    private static final String PREFIX = "sealed.";
    private final AtomicInteger counter = new AtomicInteger();

    @Override
    public String encrypt(char[] plaintext) {
        return PREFIX + counter.incrementAndGet() + "." + Base64.getUrlEncoder()
                .encodeToString(new String(plaintext).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public char[] decrypt(String ciphertext) {
        if (ciphertext == null || !ciphertext.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a ciphertext of this cluster");
        }
        String b64 = ciphertext.substring(ciphertext.indexOf('.', PREFIX.length()) + 1);
        return new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8).toCharArray();
    }
}
