package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class InvalidationMessageTest {

    private final ClusterCrypto crypto = new ClusterCrypto(filled(1), filled(2));
    private final String nonce = InvalidationMessage.newNonce(new SecureRandom());

    private static byte[] filled(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    @Test
    void opensWhatItSealed() throws Exception {
        InvalidationMessage m = new InvalidationMessage("clients", "ü-client", 42L, nonce);
        assertEquals(m, InvalidationMessage.open(m.seal(crypto), crypto));
    }

    @Test
    void keepsAWholeRegionApartFromAnEmptyKey() throws Exception {
        assertNull(InvalidationMessage.open(new InvalidationMessage("keys", null, 1L, nonce).seal(crypto), crypto).key());
        assertEquals("", InvalidationMessage.open(new InvalidationMessage("keys", "", 1L, nonce).seal(crypto), crypto).key());
    }

    @Test
    void refusesEveryAlteredByte() {
        byte[] sealed = new InvalidationMessage("clients", "abc", 42L, nonce).seal(crypto);
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x40;
            assertThrows(InvalidationMessage.Rejected.class, () -> InvalidationMessage.open(altered, crypto), "byte " + i);
        }
    }

    @Test
    void refusesAnotherKeyTruncationAndNothing() {
        byte[] sealed = new InvalidationMessage("clients", "abc", 42L, nonce).seal(crypto);
        ClusterCrypto other = new ClusterCrypto(filled(9), filled(2));
        assertThrows(InvalidationMessage.Rejected.class, () -> InvalidationMessage.open(sealed, other));
        assertThrows(InvalidationMessage.Rejected.class,
                () -> InvalidationMessage.open(Arrays.copyOf(sealed, sealed.length - 1), crypto));
        assertThrows(InvalidationMessage.Rejected.class, () -> InvalidationMessage.open(null, crypto));
        assertThrows(InvalidationMessage.Rejected.class, () -> InvalidationMessage.open(new byte[0], crypto));
    }

    @Test
    void refusesAuthenticBytesThatDoNotParse() {
        // Only a key holder can make these; they must still not be read past their end.
        for (byte[] body : new byte[][] {{1}, {2, 0, 0, 0, 0, 0, 0, 0, 0}, new byte[26], withTrailingByte()}) {
            byte[] sealed = Arrays.copyOf(body, body.length + ClusterCrypto.TAG_LENGTH);
            System.arraycopy(crypto.mac(body, 0, body.length), 0, sealed, body.length, ClusterCrypto.TAG_LENGTH);
            InvalidationMessage.Rejected e = assertThrows(InvalidationMessage.Rejected.class,
                    () -> InvalidationMessage.open(sealed, crypto));
            assertEquals(body[0] == 1 ? "undecodable" : "unknown version", e.getMessage());
        }
    }

    private byte[] withTrailingByte() {
        byte[] sealed = new InvalidationMessage("r", null, 1L, nonce).seal(crypto);
        byte[] body = Arrays.copyOf(sealed, sealed.length - ClusterCrypto.TAG_LENGTH + 1);
        return body;
    }

    @Test
    void refusesWhatWouldNotFitTheWire() {
        String longKey = "k".repeat(InvalidationMessage.MAX_LENGTH);
        assertThrows(IllegalArgumentException.class, () -> new InvalidationMessage("r", longKey, 1L, nonce).seal(crypto));
    }
}
