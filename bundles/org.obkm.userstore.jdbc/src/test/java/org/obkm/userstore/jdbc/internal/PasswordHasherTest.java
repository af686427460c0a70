package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void verifiesItsOwnHashAndNothingElse() {
        String h = hasher.hash("päßwörd 🔑 long".toCharArray(), 1_000);
        assertTrue(hasher.verify("päßwörd 🔑 long".toCharArray(), h, 1_000));
        assertFalse(hasher.verify("päßwörd 🔑 lonG".toCharArray(), h, 1_000));
        assertFalse(hasher.verify(new char[0], h, 1_000));
        assertEquals(1_000, PasswordHasher.iterations(h));
    }

    @Test
    void matchesThePublishedTestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "Password", S = "NaCl", c = 80000, dkLen = 64.
        String stored = "pbkdf2-sha256$80000$TmFDbA$TdzY9guYviGDDO5e8icB+WQaRBjQTAQUrv8Ih2s0q1ah1CWhIlgzVJrbhBtRybMXaicr3ruh0HhHj2Kzl/M8jQ";
        assertTrue(hasher.verify("Password".toCharArray(), stored, 1_000));
        assertFalse(hasher.verify("password".toCharArray(), stored, 1_000));
    }

    @Test
    void neverMatchesAMissingOrMalformedHash() {
        char[] pw = "some password".toCharArray();
        for (String bad : new String[] {null, "", "plain", "pbkdf2-sha256$x$c2FsdA$c2FsdA",
                "pbkdf2-sha1$1000$c2FsdA$c2FsdA", "pbkdf2-sha256$1000$$c2FsdA", "pbkdf2-sha256$1000$c2FsdA$",
                "pbkdf2-sha256$99999999$c2FsdA$c2FsdA", "pbkdf2-sha256$1000$!!$c2FsdA"}) {
            assertFalse(hasher.verify(pw, bad, 1_000), String.valueOf(bad));
            assertEquals(0, PasswordHasher.iterations(bad), String.valueOf(bad));
        }
    }

    @Test
    void rejectsAnIterationCountOutOfBounds() {
        assertThrows(IllegalArgumentException.class, () -> hasher.hash("x".toCharArray(), 999));
        assertThrows(IllegalArgumentException.class, () -> hasher.hash("x".toCharArray(), 10_000_001));
    }
}
