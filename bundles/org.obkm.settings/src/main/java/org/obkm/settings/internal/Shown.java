package org.obkm.settings.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a value is shown to operators and to the other members. A secret (its key is named like one,
 * the cluster holds it as one, or its value is an {@code ENC(...)} ciphertext) is shown as
 * {@code secret:<digest>}: the first 48 bits of HMAC-SHA256 under a secret the cluster shares, so that
 * members can tell equal secrets from different ones while nobody can test guesses against it without
 * the database's shared secret.
 */
final class Shown {

    private final Supplier<byte[]> keySource;
    private volatile byte[] digestKey;

    /** The key is fetched at first use (it may come from the database), not at construction. */
    Shown(Supplier<byte[]> keySource) {
        this.keySource = keySource;
    }

    Shown(byte[] digestKey) {
        this(digestKey::clone);
    }

    private byte[] key() {
        byte[] k = digestKey;
        if (k == null) {
            k = keySource.get();
            digestKey = k;
        }
        return k;
    }

    static boolean isSecret(String key, String value, boolean heldAsSecret) {
        return heldAsSecret || SettingScopes.secretName(key) || (value != null && value.startsWith("ENC("));
    }

    String value(String key, String value, boolean heldAsSecret) {
        if (value == null || !isSecret(key, value, heldAsSecret)) {
            return value;
        }
        return secret(value);
    }

    String secret(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] d = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return "secret:" + HexFormat.of().formatHex(d, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
