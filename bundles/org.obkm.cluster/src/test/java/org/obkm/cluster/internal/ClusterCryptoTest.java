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

    @Test
    void verifiesItsOwnTags() {
        String m = InvalidationTask.signedText("clients", "abc", 42L, "n");
        assertTrue(crypto.verify(m, crypto.mac(m)));
    }

    @Test
    void rejectsATagForAnotherMessage() {
        byte[] tag = crypto.mac(InvalidationTask.signedText("clients", "abc", 42L, "n"));
        assertFalse(crypto.verify(InvalidationTask.signedText("clients", "abd", 42L, "n"), tag));
    }

    @Test
    void rejectsATagMadeWithAnotherKey() {
        String m = InvalidationTask.signedText("keys", null, 1L, "n");
        assertFalse(crypto.verify(m, new ClusterCrypto(key(9), key(2)).mac(m)));
        assertFalse(crypto.verify(m, null));
    }

    @Test
    void distinguishesAWholeRegionFromAKeyNamedLikeTheMarker() {
        assertNotEquals(InvalidationTask.signedText("r", null, 1L, "n"), InvalidationTask.signedText("r", "", 1L, "n"));
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
