package org.obkm.keys.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.obkm.api.keys.SharedSecrets;

class ConfigSecretsImplTest {

    private static final char[] PASSWORD = "dir-ServiceAccount-pw".toCharArray();

    private static SharedSecrets cluster(int seed) {
        return name -> {
            assertEquals(ConfigSecretsImpl.SECRET_NAME, name);
            byte[] b = new byte[32];
            Arrays.fill(b, (byte) seed);
            return b;
        };
    }

    @Test
    void roundTripsOnEveryNodeOfTheCluster() {
        String c = new ConfigSecretsImpl(cluster(7)).encrypt(PASSWORD.clone());
        assertArrayEquals(PASSWORD, new ConfigSecretsImpl(cluster(7)).decrypt(c));
    }

    @Test
    void roundTripsNonAsciiAndEmptySecrets() {
        ConfigSecretsImpl s = new ConfigSecretsImpl(cluster(1));
        char[] accents = "pässwörd-€-日本".toCharArray();
        assertArrayEquals(accents, s.decrypt(s.encrypt(accents.clone())));
        assertArrayEquals(new char[0], s.decrypt(s.encrypt(new char[0])));
    }

    @Test
    void ciphertextIsBase64UrlDiffersEachTimeAndHidesThePlaintext() {
        ConfigSecretsImpl s = new ConfigSecretsImpl(cluster(1));
        String a = s.encrypt(PASSWORD.clone());
        String b = s.encrypt(PASSWORD.clone());
        assertNotEquals(a, b);
        assertTrue(a.matches("[A-Za-z0-9_-]+"), a);
        assertFalse(a.contains("ServiceAccount"));
        assertEquals(1, Base64.getUrlDecoder().decode(a)[0], "version byte");
    }

    @Test
    void rejectsEveryAlteredByte() {
        ConfigSecretsImpl s = new ConfigSecretsImpl(cluster(1));
        byte[] raw = Base64.getUrlDecoder().decode(s.encrypt(PASSWORD.clone()));
        for (int i = 0; i < raw.length; i++) {
            byte[] bad = raw.clone();
            bad[i] ^= 0x01;
            String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.decrypt(altered));
            assertFalse(e.getMessage().contains(altered));
        }
    }

    @Test
    void rejectsTruncatedCiphertext() {
        ConfigSecretsImpl s = new ConfigSecretsImpl(cluster(1));
        String c = s.encrypt(PASSWORD.clone());
        assertThrows(IllegalArgumentException.class, () -> s.decrypt(c.substring(0, c.length() - 4)));
        assertThrows(IllegalArgumentException.class, () -> s.decrypt(c.substring(0, 10)));
    }

    @Test
    void rejectsCiphertextOfAnotherCluster() {
        String c = new ConfigSecretsImpl(cluster(1)).encrypt(PASSWORD.clone());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConfigSecretsImpl(cluster(2)).decrypt(c));
        assertTrue(e.getMessage().contains("another cluster"), e.getMessage());
        assertFalse(e.getMessage().contains(c));
    }

    @Test
    void rejectsGarbageWithoutEchoingIt() {
        ConfigSecretsImpl s = new ConfigSecretsImpl(cluster(1));
        for (String garbage : new String[] {"", "   ", "plain-password", "not base64 !!", "{cipher}abc==", "AAAA"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.decrypt(garbage));
            assertTrue(garbage.isBlank() || !e.getMessage().contains(garbage), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> s.decrypt(null));
    }

    @Test
    void derivesTheKeyOnceAndOnlyWhenFirstUsed() {
        AtomicInteger calls = new AtomicInteger();
        SharedSecrets counting = name -> {
            calls.incrementAndGet();
            return new byte[32];
        };
        ConfigSecretsImpl s = new ConfigSecretsImpl(counting);
        assertEquals(0, calls.get());
        s.decrypt(s.encrypt(PASSWORD.clone()));
        s.encrypt(PASSWORD.clone());
        assertEquals(1, calls.get());
    }
}
