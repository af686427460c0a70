package org.obkm.keys.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class KeyEncryptionTest {

    private static final byte[] PLAIN = "{\"kty\":\"RSA\",\"d\":\"secret\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTrips() throws Exception {
        KeyEncryption e = new KeyEncryption("s3cret".toCharArray());
        assertArrayEquals(PLAIN, e.decrypt(e.encrypt(PLAIN, "signing-key:k1"), "signing-key:k1"));
    }

    @Test
    void ciphertextNeverContainsThePlaintextAndDiffersEachTime() throws Exception {
        KeyEncryption e = new KeyEncryption("s3cret".toCharArray());
        String a = e.encrypt(PLAIN, "k");
        assertNotEquals(a, e.encrypt(PLAIN, "k"));
        assertTrue(!a.contains("secret"));
    }

    @Test
    void rejectsDecryptionUnderAnotherSecret() throws Exception {
        String c = new KeyEncryption("node-a".toCharArray()).encrypt(PLAIN, "k");
        IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> new KeyEncryption("node-b".toCharArray()).decrypt(c, "k"));
        assertTrue(ex.getMessage().contains("encryptionSecret"));
    }

    @Test
    void rejectsACiphertextMovedToAnotherRow() throws Exception {
        KeyEncryption e = new KeyEncryption("s3cret".toCharArray());
        String c = e.encrypt(PLAIN, "signing-key:k1");
        assertThrows(IllegalStateException.class, () -> e.decrypt(c, "signing-key:k2"));
    }

    @Test
    void rejectsUnknownFormat() throws Exception {
        KeyEncryption e = new KeyEncryption("s3cret".toCharArray());
        assertThrows(IllegalStateException.class, () -> e.decrypt("plain-text", "k"));
    }
}
