package org.obkm.keys.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts values at rest with AES-256-GCM under a key derived (PBKDF2-HMAC-SHA256) from the
 * operator's secret. The associated data binds each ciphertext to its row, so rows cannot be swapped.
 */
@Component(service = KeyEncryption.class, configurationPid = "org.obkm.keys")
@Designate(ocd = KeyEncryptionConfig.class)
public final class KeyEncryption {

    private static final Logger LOG = LoggerFactory.getLogger(KeyEncryption.class);
    private static final String PREFIX = "v1.";
    private static final byte[] SALT = "obkm-key-encryption-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 210_000;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();
    /** A digest of the configured secret as read at activation (never the secret), to tell a change. */
    private byte[] configured = new byte[0];

    @Activate
    public KeyEncryption(KeyEncryptionConfig config) throws IOException, GeneralSecurityException {
        this(resolveSecret(config));
        this.configured = digest(config.encryptionSecret());
    }

    /**
     * The secret in use is the one read at the start: stored keys were sealed under it, and every node
     * must use the same one. A change of the configured value takes effect at the next start.
     */
    @Modified
    void modified(KeyEncryptionConfig config) throws GeneralSecurityException {
        byte[] changed = digest(config.encryptionSecret());
        if (!MessageDigest.isEqual(configured, changed)) {
            configured = changed;
            LOG.warn("org.obkm.keys encryptionSecret changed; takes effect after a restart");
        }
    }

    private static byte[] digest(String value) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    }

    KeyEncryption(char[] secret) throws GeneralSecurityException {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] raw = f.generateSecret(new PBEKeySpec(secret, SALT, ITERATIONS, 256)).getEncoded();
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** Encrypts {@code plain}, bound to {@code context} (a key ID or secret name). */
    public String encrypt(byte[] plain, String context) {
        try {
            byte[] sealed = AesGcm.seal(key, context.getBytes(StandardCharsets.UTF_8), plain, random);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Decrypts a value made by {@link #encrypt}.
     *
     * @throws IllegalStateException when the secret differs from the one it was encrypted under
     */
    public byte[] decrypt(String value, String context) {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalStateException("unknown ciphertext format for " + context);
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
            return AesGcm.open(key, context.getBytes(StandardCharsets.UTF_8), in, 0);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot decrypt " + context + ": the key encryption secret of this node"
                    + " differs from the one it was stored with (set the same encryptionSecret in"
                    + " etc/org.obkm.keys.cfg on every node)");
        }
    }

    private static char[] resolveSecret(KeyEncryptionConfig config) throws IOException {
        if (!config.encryptionSecret().isEmpty()) {
            return config.encryptionSecret().toCharArray();
        }
        String env = System.getenv("OBKM_ENCRYPTION_SECRET");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        String file = config.secretFile().isEmpty()
                ? System.getProperty("karaf.etc", ".") + "/obkm-secret.key" : config.secretFile();
        Path path = Path.of(file);
        if (!Files.exists(path)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Files.writeString(path, Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\n");
            try {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("No POSIX permissions on {}", path);
            }
            LOG.warn("No key encryption secret configured: generated one into {}. This suits a single node only;"
                    + " in a cluster set the same encryptionSecret in etc/org.obkm.keys.cfg on every node.", path);
        }
        return Files.readString(path).strip().toCharArray();
    }
}
