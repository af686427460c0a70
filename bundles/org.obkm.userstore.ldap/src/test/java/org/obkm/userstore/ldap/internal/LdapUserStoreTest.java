package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.StoreDiagnostics.Step;
import org.obkm.api.user.User;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

class LdapUserStoreTest {

    private static TestDirectory dir;
    private LdapUserStore store;

    @BeforeAll
    static void startDirectory() throws Exception {
        dir = TestDirectory.plain();
    }

    @AfterAll
    static void stopDirectory() {
        dir.close();
    }

    @BeforeEach
    void newStore() {
        store = TestDirectory.store(dir.properties());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private AuthenticationResult signIn(LdapUserStore s, String username, String password) {
        return s.authenticate(username, password.toCharArray());
    }

    @Test
    void signsInWithTheRightPassword() {
        AuthenticationResult r = signIn(store, "alice", "alice-pw-1");
        assertTrue(r.isOk(), r.message());
        assertEquals("alice", r.user().username());
        assertEquals(TestDirectory.DOMAIN, r.user().domain());
        assertEquals(r.user(), store.findByUsername("alice").orElseThrow());
    }

    @Test
    void unknownUserAndWrongPasswordLookTheSameAndBothCostABind() {
        store.findByUsername("bob"); // the service connection binds once, before counting
        int before = dir.binds.get();
        AuthenticationResult wrong = signIn(store, "alice", "not-her-password");
        int afterWrong = dir.binds.get();
        AuthenticationResult unknown = signIn(store, "nobody", "not-her-password");
        int afterUnknown = dir.binds.get();
        assertEquals(Outcome.BAD_CREDENTIALS, wrong.outcome());
        assertEquals(wrong, unknown);
        assertEquals(1, afterWrong - before, "a wrong password costs one bind");
        assertEquals(1, afterUnknown - afterWrong, "an unknown user costs one bind too");
    }

    @Test
    void refusesAnEmptyPasswordWithoutBinding() {
        int before = dir.binds.get();
        assertEquals(Outcome.BAD_CREDENTIALS, signIn(store, "alice", "").outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, store.authenticate("alice", null).outcome());
        assertEquals(before, dir.binds.get(), "an empty password must never reach the directory");
    }

    @Test
    void rejectsUsernameWithFilterCharacters() {
        assertEquals(Outcome.BAD_CREDENTIALS, signIn(store, "*)(uid=*", "alice-pw-1").outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn(store, "*", "alice-pw-1").outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn(store, "alice)(|(uid=*", "alice-pw-1").outcome());
        assertTrue(store.findByUsername("*").isEmpty());
        assertTrue(store.findByUsername("al*").isEmpty());
        assertTrue(store.findByUsername("alice\u0000").isEmpty());
        assertTrue(store.search("*", 10).isEmpty());
        assertTrue(store.searchGroups("*", 10).isEmpty());
    }

    @Test
    void reportsAnAccountTheDirectorySaysIsLocked() {
        assertEquals(Outcome.LOCKED, signIn(store, "locked", "locked-pw-4").outcome());
    }

    @Test
    void signsInThroughUserDnPatternWithoutSearch() {
        Map<String, String> p = dir.properties();
        p.put("UserDNPattern", "uid={0},ou=Nowhere,dc=example,dc=com#uid={0}," + TestDirectory.USERS);
        try (LdapUserStore s = TestDirectory.store(p)) {
            assertTrue(signIn(s, "bob", "bob-pw-2").isOk());
            assertEquals("bob@example.com", signIn(s, "bob", "bob-pw-2").user().attributes().get("email").get(0));
            assertEquals(Outcome.BAD_CREDENTIALS, signIn(s, "bob", "wrong").outcome());
            assertEquals(Outcome.BAD_CREDENTIALS, signIn(s, "nobody", "bob-pw-2").outcome());
            // RFC 4514 escaping keeps the name one RDN value
            assertEquals(Outcome.BAD_CREDENTIALS, signIn(s, "bob,ou=Users", "bob-pw-2").outcome());
            assertEquals(Outcome.BAD_CREDENTIALS, signIn(s, "x,ou=Services,dc=example,dc=com+cn=obkm",
                    TestDirectory.SERVICE_PASSWORD).outcome());
        }
    }

    @Test
    void mapsDirectoryAttributesToOpenIdClaims() {
        User alice = store.findByUsername("alice").orElseThrow();
        assertTrue(alice.id().matches("[0-9a-f-]{36}"), alice.id());
        assertEquals("Alice Archer", alice.displayName());
        assertFalse(alice.locked());
        Map<String, List<String>> a = alice.attributes();
        assertEquals(List.of("alice@example.com"), a.get("email"));
        assertEquals(List.of("Alice"), a.get("given_name"));
        assertEquals(List.of("Archer"), a.get("family_name"));
        assertEquals(List.of("+44 20 7946 0001"), a.get("phone_number"));
        assertEquals(List.of("Alice Archer"), a.get("name"));
        assertEquals(List.of("admins", "customers"), a.get("groups"));
        assertFalse(a.containsKey("userPassword"));
        assertFalse(a.containsKey("userpassword"));
        assertEquals("EXAMPLE.COM/" + alice.id(), alice.subject());
    }

    @Test
    void findsByIdAndByUsernameIgnoringCase() {
        User alice = store.findByUsername("ALICE").orElseThrow();
        assertEquals("alice", alice.username());
        store.invalidateAll();
        assertEquals(alice, store.findById(alice.id()).orElseThrow());
        assertTrue(store.findById("00000000-0000-0000-0000-000000000000").isEmpty());
        assertTrue(store.findById("*").isEmpty());
        assertTrue(store.findByUsername("nobody").isEmpty());
        assertNotEquals(alice.id(), store.findByUsername("bob").orElseThrow().id());
    }

    @Test
    void searchesUsersByUsernameOrDisplayName() {
        assertEquals(List.of("alice"), store.search("archer", 10).stream().map(User::username).toList());
        assertEquals(List.of("user00", "user01", "user02"),
                store.search("user", 3).stream().map(User::username).toList());
        assertEquals(5, store.search(null, 5).size());
        assertEquals(List.of("user10"), store.search("Number 10", 10).stream().map(User::username).toList());
        assertThrows(IllegalArgumentException.class, () -> store.search("a", 0));
    }

    @Test
    void readsGroupsOfAUserAndSearchesGroups() {
        assertEquals(List.of("admins", "customers"), store.groupsOf("alice"));
        assertEquals(List.of("customers"), store.groupsOf("bob"));
        assertEquals(List.of(), store.groupsOf("nobody"));
        assertEquals(List.of("admins", "auditors", "customers"), store.searchGroups("", 10));
        assertEquals(List.of("customers"), store.searchGroups("CUST", 10));
        assertEquals(List.of("admins"), store.searchGroups(null, 1));
    }

    @Test
    void readsGroupsFromTheUserEntryWithMemberOfAttribute() {
        Map<String, String> p = dir.properties();
        p.put("MemberOfAttribute", "seeAlso");
        try (LdapUserStore s = TestDirectory.store(p)) {
            assertEquals(List.of("auditors"), s.groupsOf("carol"));
            assertEquals(List.of(), s.groupsOf("alice"));
        }
        p.put("ReadGroups", "false");
        try (LdapUserStore s = TestDirectory.store(p)) {
            assertEquals(List.of(), s.groupsOf("carol"));
            assertFalse(s.findByUsername("carol").orElseThrow().attributes().containsKey("groups"));
        }
    }

    @Test
    void cachesLookupsForTheTimeToLiveUntilInvalidated() throws Exception {
        AtomicLong now = new AtomicLong();
        Map<String, String> p = dir.properties();
        p.put("CacheTimeToLive", "60");
        try (LdapUserStore s = new LdapUserStore(TestDirectory.DOMAIN, LdapSettings.parse(p), TestDirectory.api(), 300,
                now::get)) {
            assertEquals("Bob Baker", s.findByUsername("bob").orElseThrow().displayName());
            rename("bob", "Robert Baker");
            assertEquals("Bob Baker", s.findByUsername("bob").orElseThrow().displayName(), "cached");
            now.addAndGet(61_000_000_000L);
            assertEquals("Robert Baker", s.findByUsername("bob").orElseThrow().displayName(), "expired");
            rename("bob", "Bobby Baker");
            s.invalidate("BOB");
            assertEquals("Bobby Baker", s.findByUsername("bob").orElseThrow().displayName(), "invalidated");
            rename("bob", "Bob Baker");
            assertTrue(signIn(s, "bob", "bob-pw-2").isOk());
            assertEquals("Bob Baker", s.findByUsername("bob").orElseThrow().displayName(), "refreshed by sign-in");
            String id = s.findByUsername("bob").orElseThrow().id();
            rename("bob", "B. Baker");
            s.invalidateAll();
            assertEquals("B. Baker", s.findById(id).orElseThrow().displayName());
        } finally {
            rename("bob", "Bob Baker");
        }
    }

    @Test
    void cachesNothingWithTimeToLiveZero() throws Exception {
        Map<String, String> p = dir.properties();
        p.put("CacheTimeToLive", "0");
        try (LdapUserStore s = TestDirectory.store(p)) {
            assertEquals("Bob Baker", s.findByUsername("bob").orElseThrow().displayName());
            rename("bob", "Robert Baker");
            assertEquals("Robert Baker", s.findByUsername("bob").orElseThrow().displayName());
        } finally {
            rename("bob", "Bob Baker");
        }
    }

    @Test
    void selfTestConnectsBindsAndSearches() {
        List<Step> steps = store.test();
        assertEquals(3, steps.size(), steps.toString());
        assertTrue(steps.stream().allMatch(Step::ok), steps.toString());
        assertTrue(steps.get(0).name().startsWith("connect " + dir.url()), steps.get(0).name());
        assertEquals("bind as " + TestDirectory.SERVICE_DN, steps.get(1).name());
        assertTrue(steps.get(2).detail().startsWith("5+ users"), steps.get(2).detail());
        assertFalse(steps.toString().contains(TestDirectory.SERVICE_PASSWORD));
    }

    @Test
    void closedStoreAnswersUnavailable() {
        assertTrue(signIn(store, "alice", "alice-pw-1").isOk());
        store.close();
        assertEquals(Outcome.UNAVAILABLE, signIn(store, "alice", "alice-pw-1").outcome());
        assertThrows(IllegalStateException.class, () -> store.findByUsername("alice"));
        assertFalse(store.test().get(0).ok());
    }

    private static void rename(String uid, String cn) throws Exception {
        dir.server.modify("uid=" + uid + "," + TestDirectory.USERS,
                new Modification(ModificationType.REPLACE, "cn", cn));
    }
}
