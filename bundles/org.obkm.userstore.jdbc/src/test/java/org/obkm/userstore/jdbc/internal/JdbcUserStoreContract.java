package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;


import org.junit.jupiter.api.Test;
import org.obkm.userstore.registry.internal.RegistryConfigs;
import org.obkm.userstore.registry.internal.UserStoreRegistryImpl;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;

/**
 * What the primary store must do on every database it supports; {@link JdbcUserStoreTest} runs it on
 * H2, {@link JdbcUserStorePostgresTest} on PostgreSQL.
 */
abstract class JdbcUserStoreContract extends JdbcStoreFixture {

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
    void rejectsADuplicateUsername() {
        store.add("alice", null, PASSWORD.toCharArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.add("alice", "Another Alice", "another long password".toCharArray()));
        assertEquals("a user named alice already exists", e.getMessage());
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
        UserStoreRegistryImpl registry = new UserStoreRegistryImpl(RegistryConfigs.separator("/"));
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

    private void exec(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.executeUpdate();
        }
    }
}
