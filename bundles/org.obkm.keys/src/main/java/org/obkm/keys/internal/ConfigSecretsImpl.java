package org.obkm.keys.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.obkm.api.keys.ConfigSecrets;
import org.obkm.api.keys.SharedSecrets;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Secrets in operators' files ({@code ConnectionPassword} of a user store file), encrypted with
 * AES-256-GCM (NIST SP 800-38D) under a key every node derives alike: HMAC-SHA256 (RFC 2104) of a
 * fixed label, keyed with the cluster's shared secret {@value #SECRET_NAME}. So one ciphertext made
 * by {@code obkm:encrypt} on any node works on every node of that cluster and on no other.
 *
 * <p>Format: base64url without padding of {@code version (1 byte) ‖ IV (12 random bytes) ‖
 * ciphertext ‖ tag (16 bytes)}; the version byte is also the associated data, so it cannot be
 * changed without the tag failing.
 */
@Component(service = ConfigSecrets.class)
public final class ConfigSecretsImpl implements ConfigSecrets {

    static final String SECRET_NAME = "config-secrets";
    private static final byte VERSION = 1;
    private static final byte[] LABEL = "obkm config-secrets v1 AES-256-GCM".getBytes(StandardCharsets.US_ASCII);
    private static final String REFUSED = "not a ciphertext of this cluster (altered, truncated, or made by"
            + " obkm:encrypt of another cluster)";

    private final SharedSecrets sharedSecrets;
    private final SecureRandom random = new SecureRandom();
    // Derived on first use, so that activation never waits for the database.
    private volatile SecretKey key;

    @Activate
    public ConfigSecretsImpl(@Reference SharedSecrets sharedSecrets) {
        this.sharedSecrets = sharedSecrets;
    }

    @Override
    public String encrypt(char[] plaintext) {
        if (plaintext == null) {
            throw new IllegalArgumentException("nothing to encrypt");
        }
        byte[] plain = utf8(plaintext);
        try {
            byte[] sealed = AesGcm.seal(key(), new byte[] {VERSION}, plain, random);
            byte[] out = new byte[1 + sealed.length];
            out[0] = VERSION;
            System.arraycopy(sealed, 0, out, 1, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    @Override
    public char[] decrypt(String ciphertext) {
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(ciphertext == null ? "" : ciphertext.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(REFUSED);
        }
        if (in.length < 1 + AesGcm.IV_BYTES + AesGcm.TAG_BITS / 8 || in[0] != VERSION) {
            throw new IllegalArgumentException(REFUSED);
        }
        byte[] plain = null;
        try {
            plain = AesGcm.open(key(), new byte[] {in[0]}, in, 1);
            return chars(plain);
        } catch (GeneralSecurityException | CharacterCodingException e) {
            throw new IllegalArgumentException(REFUSED);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private SecretKey key() throws GeneralSecurityException {
        SecretKey k = key;
        if (k == null) {
            byte[] secret = sharedSecrets.secret(SECRET_NAME);
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                byte[] raw = mac.doFinal(LABEL);
                k = new SecretKeySpec(raw, "AES");
                Arrays.fill(raw, (byte) 0);
                key = k;
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        return k;
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }

    private static char[] chars(byte[] bytes) throws CharacterCodingException {
        CharBuffer c = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        char[] out = new char[c.remaining()];
        c.get(out);
        Arrays.fill(c.array(), '\0');
        return out;
    }
}
