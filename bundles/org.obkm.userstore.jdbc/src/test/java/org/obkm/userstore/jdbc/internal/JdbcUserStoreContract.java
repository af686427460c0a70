package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;

/**
 * What the primary store must do on every database it supports; {@link JdbcUserStoreTest} runs it on
 * H2, {@link JdbcUserStorePostgresTest} on PostgreSQL.
 */
abstract class JdbcUserStoreContract {

    static final String PASSWORD = "correct horse battery";
    static final int ITERATIONS = 1_000;

    private DataSource dataSource;
    MutableClock clock;
    private JdbcUserStore store;

    /** An empty database at the newest schema version. */
    abstract DataSource freshDatabase() throws SQLException;

    @BeforeEach
    void setUp() throws SQLException {
        dataSource = freshDatabase();
        clock = new MutableClock();
        store = newStore(ITERATIONS);
    }

    private JdbcUserStore newStore(int iterations) {
        return new JdbcUserStore(dataSource, new Settings(iterations, 5, 900, 12), clock);
    }

    private AuthenticationResult signIn(String username, String password) {
        return store.authenticate(username, password.toCharArray());
    }

    @Test
    void addsAUserWhoThenSignsInWithTheRightPassword() {
        User added = store.add("alice", "Alice Archer", PASSWORD.toCharArray());
        assertEquals(UserStore.PRIMARY, added.domain());
        assertEquals(36, added.id().length());
        AuthenticationResult r = signIn("alice", PASSWORD);
        assertTrue(r.isOk(), r.message());
        assertEquals(added, r.user());
        assertEquals(added, store.findByUsername("alice").orElseThrow());
    }

    @Test
    void refusesAWrongPassword() {
        store.add("alice", null, PASSWORD.toCharArray());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "correct horse battery!").outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "").outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("alice", null).outcome());
    }

    @Test
    void unknownUserGetsTheSameResultAsAWrongPassword() {
        store.add("alice", null, PASSWORD.toCharArray());
        AuthenticationResult wrong = signIn("alice", "wrong password 1");
        assertEquals(wrong, signIn("bob", "wrong password 1"));
        assertEquals(wrong, signIn("no/such", "wrong password 1"), "a name that cannot exist, too");
        assertEquals(wrong, signIn("", "wrong password 1"));
    }

    @Test
    void unknownUserTakesAboutAsLongAsAWrongPassword() {
        store = newStore(100_000);
        store.add("alice", null, PASSWORD.toCharArray());
        long wrong = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            signIn("alice", "wrong password " + i);
            long t1 = System.nanoTime();
            signIn("bob", "wrong password " + i);
            long t2 = System.nanoTime();
            wrong = Math.min(wrong, t1 - t0);
            unknown = Math.min(unknown, t2 - t1);
        }
        // Without the dummy hash an unknown user would answer in well under a millisecond.
        assertTrue(unknown * 2 > wrong, "unknown " + unknown / 1000 + " µs, wrong password " + wrong / 1000 + " µs");
    }

    @Test
    void locksAfterMaxFailedAttemptsAndUnlocksWhenTheLockoutRunsOut() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
        AuthenticationResult fifth = signIn("alice", "wrong password 5");
        assertEquals(Outcome.LOCKED, fifth.outcome());
        assertEquals(clock.instant().plusSeconds(900), fifth.lockedUntil());
        assertTrue(fifth.message().contains(fifth.lockedUntil().toString()), fifth.message());

        clock.advance(Duration.ofSeconds(899));
        AuthenticationResult meanwhile = signIn("alice", PASSWORD);
        assertEquals(Outcome.LOCKED, meanwhile.outcome(), "even the right password is refused");
        assertEquals(fifth.lockedUntil(), meanwhile.lockedUntil());
        assertTrue(store.findByUsername("alice").orElseThrow().locked());

        clock.advance(Duration.ofSeconds(1));
        assertFalse(store.findByUsername("alice").orElseThrow().locked());
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void countStartsAgainWhenALockoutRunsOut() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        clock.advance(Duration.ofMinutes(15));
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
        assertEquals(Outcome.LOCKED, signIn("alice", "wrong password 5").outcome());
    }

    @Test
    void successfulSignInResetsTheFailureCount() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i < 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        assertTrue(signIn("alice", PASSWORD).isOk());
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
    }

    @Test
    void failuresOnDifferentNodesCountTogether() {
        JdbcUserStore otherNode = newStore(ITERATIONS);
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 2; i++) {
            signIn("alice", "wrong password " + i);
            otherNode.authenticate("alice", ("wrong password " + i).toCharArray());
        }
        assertEquals(Outcome.LOCKED, otherNode.authenticate("alice", "wrong password 5".toCharArray()).outcome());
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
    }

    @Test
    void concurrentFailuresAreCountedAtomically() throws Exception {
        store.add("alice", null, PASSWORD.toCharArray());
        JdbcUserStore otherNode = newStore(ITERATIONS);
        List<Callable<Outcome>> attempts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            JdbcUserStore node = i % 2 == 0 ? store : otherNode;
            attempts.add(() -> node.authenticate("alice", "wrong password".toCharArray()).outcome());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Outcome> f : pool.invokeAll(attempts)) {
                assertTrue(f.get() == Outcome.BAD_CREDENTIALS || f.get() == Outcome.LOCKED, f.get().toString());
            }
        } finally {
            pool.shutdownNow();
        }
        // Once locked, no further failure is counted: exactly maxFailedAttempts, however the attempts interleaved.
        assertEquals(5, intOf("SELECT failed_attempts FROM obkm_user"));
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
    }

    @Test
    void lockoutCanBeTurnedOff() {
        store = new JdbcUserStore(dataSource, new Settings(ITERATIONS, 0, 900, 12), clock);
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 20; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome());
        }
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void administratorLockHoldsUntilUnlock() {
        store.add("alice", null, PASSWORD.toCharArray());
        store.lock("alice");
        AuthenticationResult r = signIn("alice", PASSWORD);
        assertEquals(Outcome.LOCKED, r.outcome());
        assertNull(r.lockedUntil(), "no end");
        clock.advance(Duration.ofDays(30));
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
        assertEquals(Outcome.LOCKED, signIn("alice", "wrong password").outcome());
        assertTrue(store.findByUsername("alice").orElseThrow().locked());

        store.unlock("alice");
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void unlockEndsALockoutAfterFailedAttempts() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        store.unlock("alice");
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void passwordChangeReplacesTheOldPasswordAndEndsALockout() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        store.setPassword("alice", "a new long passphrase".toCharArray());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", PASSWORD).outcome());
        assertTrue(signIn("alice", "a new long passphrase").isOk());
    }

    @Test
    void passwordChangeKeepsAnAdministratorLock() {
        store.add("alice", null, PASSWORD.toCharArray());
        store.lock("alice");
        store.setPassword("alice", "a new long passphrase".toCharArray());
        assertEquals(Outcome.LOCKED, signIn("alice", "a new long passphrase").outcome());
    }

    @Test
    void storesHashesInTheSelfDescribingFormat() throws SQLException {
        store.add("alice", null, PASSWORD.toCharArray());
        store.add("bob", null, PASSWORD.toCharArray());
        String alice = hashOf("alice");
        assertTrue(alice.matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), alice);
        assertFalse(alice.equals(hashOf("bob")), "a salt of its own");
    }

    @Test
    void raisesTheIterationCountAtTheNextSuccessfulSignIn() throws SQLException {
        store.add("alice", null, PASSWORD.toCharArray());
        store = newStore(2_000);
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password").outcome());
        assertEquals(1_000, PasswordHasher.iterations(hashOf("alice")), "not on a failure");
        assertTrue(signIn("alice", PASSWORD).isOk());
        assertEquals(2_000, PasswordHasher.iterations(hashOf("alice")));
        assertTrue(signIn("alice", PASSWORD).isOk());
        store = newStore(1_000);
        assertTrue(signIn("alice", PASSWORD).isOk());
        assertEquals(2_000, PasswordHasher.iterations(hashOf("alice")), "never lowered");
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
    void rejectsADuplicateUsername() {
        store.add("alice", null, PASSWORD.toCharArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice", "Another Alice", "another long password".toCharArray()));
        assertEquals("a user named alice already exists", e.getMessage());
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
        assertTrue(signIn("alice", PASSWORD).isOk(), "old password kept");
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

    @Test
    void rejectsChangesToAnUnknownUser() {
        String expected = "no user named bob in the primary user store";
        assertEquals(expected, assertThrows(IllegalArgumentException.class,
                () -> store.setPassword("bob", PASSWORD.toCharArray())).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.lock("bob")).getMessage());
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> store.unlock("bob")).getMessage());
        assertFalse(store.delete("bob"));
    }

    @Test
    void deletedUserCannotSignIn() {
        store.add("alice", null, PASSWORD.toCharArray());
        assertTrue(store.delete("alice"));
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", PASSWORD).outcome());
        assertTrue(store.findByUsername("alice").isEmpty());
    }

    @Test
    void searchMatchesUsernameOrDisplayNameIgnoringCaseUpToTheLimit() {
        store.add("alice", "Alice Archer", PASSWORD.toCharArray());
        store.add("bob", "Bob Baker", PASSWORD.toCharArray());
        store.add("carol", "Carol Archer", PASSWORD.toCharArray());
        store.lock("carol");
        assertEquals(List.of("alice", "bob", "carol"), names(store.search(null, 100)));
        assertEquals(List.of("alice", "carol"), names(store.search("ARCH", 100)));
        assertEquals(List.of("bob"), names(store.search("bo", 100)));
        assertEquals(List.of("alice", "bob"), names(store.search("", 2)));
        assertTrue(store.search("carol", 1).get(0).locked());
        assertThrows(IllegalArgumentException.class, () -> store.search(null, 0));
    }

    @Test
    void searchTakesWildcardsLiterally() {
        store.add("alice", null, PASSWORD.toCharArray());
        store.add("bob_100%", null, PASSWORD.toCharArray());
        assertEquals(List.of("bob_100%"), names(store.search("_100%", 10)));
        assertEquals(List.of(), names(store.search("a%", 10)));
    }

    @Test
    void readsTheAttributesColumnAsAMultiValuedMap() throws SQLException {
        store.add("alice", null, PASSWORD.toCharArray());
        exec("UPDATE obkm_user SET attributes = '{\"email\":\"alice@bank.example\",\"groups\":[\"retail\",\"vip\"]}'");
        assertEquals(Map.of("email", List.of("alice@bank.example"), "groups", List.of("retail", "vip")),
                store.findByUsername("alice").orElseThrow().attributes());
        exec("UPDATE obkm_user SET attributes = 'not json'");
        assertEquals(Map.of(), store.findByUsername("alice").orElseThrow().attributes());
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void findsAUserByIdAsByUsername() {
        User alice = store.add("alice", "Alice Archer", PASSWORD.toCharArray());
        store.add("bob", null, PASSWORD.toCharArray());
        assertEquals(alice, store.findById(alice.id()).orElseThrow());
        store.lock("alice");
        assertTrue(store.findById(alice.id()).orElseThrow().locked(), "read afresh, not cached");
    }

    @Test
    void findsNobodyForAnUnknownOrImpossibleId() {
        User alice = store.add("alice", null, PASSWORD.toCharArray());
        assertTrue(store.findById("alice").isEmpty(), "a username is no id");
        assertTrue(store.findById(alice.id().toUpperCase()).isEmpty());
        assertTrue(store.findById("").isEmpty());
        assertTrue(store.findById(null).isEmpty());
        assertTrue(store.findById("x".repeat(65)).isEmpty());
        store.delete("alice");
        assertTrue(store.findById(alice.id()).isEmpty());
    }

    @Test
    void theSubjectOfAPrimaryUserIsItsIdAndTheRegistryFindsItsUserAgain() {
        User alice = store.add("alice", null, PASSWORD.toCharArray());
        assertEquals(alice.id(), alice.subject());
        UserStoreRegistryImpl registry = new UserStoreRegistryImpl(UserStoreRegistryImplTest.separator("/"));
        registry.addStore(store, Map.of(UserStore.DOMAIN_PROPERTY, UserStore.PRIMARY));
        assertEquals(alice, registry.findBySubject(alice.subject()).orElseThrow());
        assertTrue(registry.findBySubject("PRIMARY/" + alice.id()).isEmpty());
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(User::username).toList();
    }

    private String hashOf(String username) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT password_hash FROM obkm_user WHERE username = ?")) {
            p.setString(1, username);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private int intOf(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql);
                ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.executeUpdate();
        }
    }
}
