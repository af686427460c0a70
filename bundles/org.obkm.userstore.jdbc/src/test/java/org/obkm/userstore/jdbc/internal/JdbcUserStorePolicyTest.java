package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The store's input rules (usernames, password strength) and configuration bounds. They are checked
 * before any SQL runs, so one database (H2) is enough; {@link JdbcUserStoreContract} holds what must
 * hold on every database.
 */
class JdbcUserStorePolicyTest {

    private static final String PASSWORD = JdbcUserStoreContract.PASSWORD;
    private static final int ITERATIONS = JdbcUserStoreContract.ITERATIONS;

    private JdbcUserStore store;

    @BeforeEach
    void setUp() throws SQLException {
        var ds = JdbcUserStoreTest.h2("policy");
        new SchemaMigrator(ds).migrate(new UserSchema());
        store = new JdbcUserStore(ds, new Settings(ITERATIONS, 5, 900, 12), new MutableClock());
    }

    private boolean signsIn(String username, String password) {
        return store.authenticate(username, password.toCharArray()).isOk();
    }

    @Test
    void defaultIterationCountIsAtLeast600000() throws NoSuchMethodException {
        int def = (Integer) JdbcUserStoreConfig.class.getMethod("pbkdf2Iterations").getDefaultValue();
        assertTrue(def >= 600_000, "default " + def);
        assertEquals(5, JdbcUserStoreConfig.class.getMethod("maxFailedAttempts").getDefaultValue());
        assertEquals(900, JdbcUserStoreConfig.class.getMethod("lockoutSeconds").getDefaultValue());
        assertEquals(12, JdbcUserStoreConfig.class.getMethod("minPasswordLength").getDefaultValue());
    }

    @Test
    void rejectsAConfigurationWithTooFewIterations() {
        assertThrows(IllegalArgumentException.class, () -> new Settings(999, 5, 900, 12));
    }

    @Test
    void rejectsAConfigurationWithAMinimumPasswordLengthBelow8() {
        assertThrows(IllegalArgumentException.class, () -> new Settings(ITERATIONS, 5, 900, 7));
    }

    @Test
    void rejectsAPasswordShorterThanTheMinimum() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice", null, "short pass1".toCharArray()));
        assertEquals("the password is too weak: it must have at least 12 characters, it has 11", e.getMessage());
        assertTrue(store.findByUsername("alice").isEmpty());
    }

    @Test
    void rejectsThePasswordEqualToTheUsername() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice.archer", null, "Alice.Archer".toCharArray()));
        assertTrue(e.getMessage().contains("must not be the username"), e.getMessage());
    }

    @Test
    void rejectsAPasswordOfOneRepeatedCharacter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice", null, "xxxxxxxxxxxxxxxx".toCharArray()));
        assertTrue(e.getMessage().contains("repeats one character"), e.getMessage());
    }

    @Test
    void rejectsAWeakPasswordOnChange() {
        store.add("alice", null, PASSWORD.toCharArray());
        assertThrows(IllegalArgumentException.class, () -> store.setPassword("alice", "too short".toCharArray()));
        assertTrue(signsIn("alice", PASSWORD), "old password kept");
    }

    @Test
    void rejectsAMissingPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.add("alice", null, null));
        assertEquals("a password is required", e.getMessage());
    }

    @Test
    void rejectsAUsernameWithASlash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("BANK/alice", null, PASSWORD.toCharArray()));
        assertTrue(e.getMessage().contains("must not contain '/'"), e.getMessage());
    }

    @Test
    void rejectsAUsernameWithWhitespaceAtItsEnds() {
        assertThrows(IllegalArgumentException.class, () -> store.add(" alice", null, PASSWORD.toCharArray()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice\t", null, PASSWORD.toCharArray()));
        assertEquals("the username must not begin or end with whitespace", e.getMessage());
        store.add("alice archer", null, PASSWORD.toCharArray());
    }

    @Test
    void rejectsAnEmptyUsername() {
        assertThrows(IllegalArgumentException.class, () -> store.add("", null, PASSWORD.toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> store.add(null, null, PASSWORD.toCharArray()));
    }

    @Test
    void rejectsAUsernameLongerThan200Characters() {
        store.add("a".repeat(200), null, PASSWORD.toCharArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("a".repeat(201), null, PASSWORD.toCharArray()));
        assertEquals("the username is longer than 200 characters", e.getMessage());
    }

    @Test
    void rejectsAUsernameWithControlCharacters() {
        assertThrows(IllegalArgumentException.class, () -> store.add("al\u0000ice", null, PASSWORD.toCharArray()));
    }
}
