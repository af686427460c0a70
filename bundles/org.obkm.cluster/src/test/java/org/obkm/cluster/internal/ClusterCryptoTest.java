package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ClusterCryptoTest {

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private final ClusterCrypto crypto = new ClusterCrypto(key(1), key(2));

    private static byte[] tagged(ClusterCrypto c, byte[] body) {
        byte[] out = Arrays.copyOf(body, body.length + ClusterCrypto.TAG_LENGTH);
        System.arraycopy(c.mac(body, 0, body.length), 0, out, body.length, ClusterCrypto.TAG_LENGTH);
        return out;
    }

    @Test
    void verifiesItsOwnTags() {
        assertTrue(crypto.verifyTrailingTag(tagged(crypto, "clients/abc".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void rejectsATagForAnotherMessage() {
        byte[] m = tagged(crypto, "clients/abc".getBytes(StandardCharsets.UTF_8));
        m[0] ^= 1;
        assertFalse(crypto.verifyTrailingTag(m));
    }

    @Test
    void rejectsATagMadeWithAnotherKeyAndShortInput() {
        assertFalse(crypto.verifyTrailingTag(tagged(new ClusterCrypto(key(9), key(2)), new byte[] {1, 2})));
        assertFalse(crypto.verifyTrailingTag(null));
        assertFalse(crypto.verifyTrailingTag(new byte[ClusterCrypto.TAG_LENGTH - 1]));
    }

    @Test
    void sealsAndOpensValues() {
        byte[] v = "code-state".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(v, crypto.open(crypto.seal(v, "codes/k"), "codes/k"));
    }

    @Test
    void rejectsAForgedOrMovedValue() {
        byte[] sealed = crypto.seal(new byte[] {1, 2, 3}, "codes/k");
        assertThrows(SecurityException.class, () -> crypto.open(sealed, "codes/other"));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SecurityException.class, () -> crypto.open(sealed, "codes/k"));
    }

    @Test
    void keyedNamesHideTheKeyAndAreStable() {
        String a = crypto.keyedName("codes", "secret-code");
        assertEquals(a, crypto.keyedName("codes", "secret-code"));
        assertFalse(a.contains("secret"));
        assertNotEquals(a, crypto.keyedName("request-uris", "secret-code"));
    }
}
