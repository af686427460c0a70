package org.obkm.itests.example.userstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.User;

class PropertiesUserStoreTest {

    private static final int ITERATIONS = 1_000;
    private static final String ALICE_HASH = Pbkdf2.hash("alice's secret".toCharArray(), ITERATIONS);

    private static Map<String, String> file() {
        Map<String, String> p = new HashMap<>();
        p.put("DomainName", "EXAMPLE.ORG");
        p.put("Disabled", "false");
        p.put("User.alice", "Alice Example");
        p.put("Password.alice", ALICE_HASH);
        p.put("User.bob", " Bob Builder ");
        p.put("Password.bob", Pbkdf2.hash("bob's secret".toCharArray(), ITERATIONS));
        p.put("User.carol", "");
        return p;
    }

    private final PropertiesUserStore store = new PropertiesUserStore("EXAMPLE.ORG", file());

    @Test
    void findsUsersByUsernameAndByStableId() {
        User alice = store.findByUsername("alice").orElseThrow();
        assertEquals("EXAMPLE.ORG", alice.domain());
        assertEquals("Alice Example", alice.displayName());
        assertFalse(alice.locked());
        String expected = UUID.nameUUIDFromBytes("EXAMPLE.ORG/alice".getBytes(StandardCharsets.UTF_8)).toString();
        assertEquals(expected, alice.id());
        assertEquals("EXAMPLE.ORG/" + expected, alice.subject());
        assertEquals(alice, store.findById(alice.id()).orElseThrow());
        assertEquals(alice.id(), new PropertiesUserStore("EXAMPLE.ORG", file()).findByUsername("alice").orElseThrow().id());
        assertFalse(alice.id().equals(new PropertiesUserStore("OTHER.ORG", file()).findByUsername("alice").orElseThrow().id()));
        assertEquals("Bob Builder", store.findByUsername("bob").orElseThrow().displayName());
        assertEquals("", store.findByUsername("carol").orElseThrow().displayName());
    }

    @Test
    void findsNobodyForUnknownNamesIdsOrCaseVariants() {
        assertTrue(store.findByUsername("Alice").isEmpty());
        assertTrue(store.findByUsername("dave").isEmpty());
        assertTrue(store.findByUsername(null).isEmpty());
        assertTrue(store.findById(UUID.randomUUID().toString()).isEmpty());
        assertTrue(store.findById(null).isEmpty());
    }

    @Test
    void signsInWithTheRightPasswordOnly() {
        var ok = store.authenticate("alice", "alice's secret".toCharArray());
        assertEquals(Outcome.OK, ok.outcome());
        assertEquals("alice", ok.user().username());
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("alice", "bob's secret".toCharArray()).outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("Alice", "alice's secret".toCharArray()).outcome());
    }

    @Test
    void answersUnknownUsersAndUsersWithoutPasswordAsAWrongPassword() {
        var wrong = store.authenticate("alice", "guess".toCharArray());
        for (var other : List.of(store.authenticate("dave", "guess".toCharArray()),
                store.authenticate("carol", "guess".toCharArray()), store.authenticate(null, "guess".toCharArray()))) {
            assertEquals(wrong, other);
        }
    }

    @Test
    void refusesAnEmptyPassword() {
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("alice", new char[0]).outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("alice", null).outcome());
    }

    @Test
    void spendsOnAnUnknownUserAtLeastAboutWhatAWrongPasswordCosts() {
        Map<String, String> p = Map.of("User.erin", "Erin",
                "Password.erin", Pbkdf2.hash("erin's secret".toCharArray(), 200_000));
        PropertiesUserStore dear = new PropertiesUserStore("EXAMPLE.ORG", p);
        dear.authenticate("nobody", "warm-up".toCharArray());
        long known = Long.MAX_VALUE;
        long unknown = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            known = Math.min(known, timed(() -> dear.authenticate("erin", "guess".toCharArray())));
            unknown = Math.min(unknown, timed(() -> dear.authenticate("nobody", "guess".toCharArray())));
        }
        assertTrue(unknown > known / 2, "unknown user " + unknown + " ns, wrong password " + known + " ns");
    }

    private static long timed(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return System.nanoTime() - start;
    }

    @Test
    void searchesUsernamesAndDisplayNamesIgnoringCaseInUsernameOrder() {
        assertEquals(List.of("alice", "bob", "carol"), names(store.search(null, 10)));
        assertEquals(List.of("alice", "bob", "carol"), names(store.search("  ", 10)));
        assertEquals(List.of("alice", "carol"), names(store.search("a", 10)));
        assertEquals(List.of("bob"), names(store.search("BUILDER", 10)));
        assertEquals(List.of("alice"), names(store.search("a", 1)));
        assertEquals(List.of(), names(store.search("zz", 10)));
    }

    @Test
    void rejectsASearchLimitBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> store.search(null, 0));
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(User::username).toList();
    }

    @Test
    void refusesAPasswordWithoutItsUserNamingTheProperty() {
        Map<String, String> p = file();
        p.put("Password.mallory", ALICE_HASH);
        var e = assertThrows(IllegalArgumentException.class, () -> new PropertiesUserStore("EXAMPLE.ORG", p));
        assertTrue(e.getMessage().contains("Password.mallory"), e.getMessage());
        assertFalse(e.getMessage().contains(ALICE_HASH), e.getMessage());
    }

    @Test
    void refusesAMalformedHashNamingThePropertyButNotTheValue() {
        for (String bad : new String[] {"", "secret-in-clear", "pbkdf2-sha256$x$c2FsdA$c2FsdA",
                "pbkdf2-sha1$1000$c2FsdA$c2FsdA", "pbkdf2-sha256$1000$$c2FsdA", "pbkdf2-sha256$1000$c2FsdA$",
                "pbkdf2-sha256$999$c2FsdA$c2FsdA", "pbkdf2-sha256$99999999$c2FsdA$c2FsdA",
                "pbkdf2-sha256$1000$!!$c2FsdA", "pbkdf2-sha256$1000$c2FsdA$c2FsdA$extra"}) {
            Map<String, String> p = file();
            p.put("Password.alice", bad);
            var e = assertThrows(IllegalArgumentException.class, () -> new PropertiesUserStore("EXAMPLE.ORG", p), bad);
            assertTrue(e.getMessage().startsWith("Password.alice "), e.getMessage());
            assertTrue(bad.isEmpty() || !e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void refusesAnEmptyOrSpacedUsername() {
        for (String property : new String[] {"User.", "User.al ice", "Password.", "User.tab\tbed"}) {
            Map<String, String> p = file();
            p.put(property, "x");
            var e = assertThrows(IllegalArgumentException.class, () -> new PropertiesUserStore("EXAMPLE.ORG", p));
            assertTrue(e.getMessage().startsWith(property + ":"), e.getMessage());
        }
    }

    @Test
    void acceptsAFileWithoutUsers() {
        PropertiesUserStore empty = new PropertiesUserStore("EMPTY.ORG", Map.of("DomainName", "EMPTY.ORG"));
        assertEquals(List.of(), empty.search(null, 10));
        assertEquals(Outcome.BAD_CREDENTIALS, empty.authenticate("alice", "x".toCharArray()).outcome());
    }

    @Test
    void logsOneLineWhenClosedAndThenAnswersUnavailable() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            store.close();
            store.close();
        } finally {
            System.setErr(err);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("INFO") && lines.get(0).contains("EXAMPLE.ORG") && lines.get(0).contains("closed"),
                lines.get(0));
        assertEquals(Outcome.UNAVAILABLE, store.authenticate("alice", "alice's secret".toCharArray()).outcome());
        assertThrows(IllegalStateException.class, () -> store.findByUsername("alice"));
        assertThrows(IllegalStateException.class, () -> store.search(null, 1));
    }
}
