package org.obkm.userstore.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStore;

class UserStoreRegistryImplTest {

    private final UserStore primary = () -> UserStore.PRIMARY;
    private final UserStore bank = () -> "BANK";
    private final UserStoreRegistryImpl registry = new UserStoreRegistryImpl(separator("/"));
    private long nextServiceId = 1;

    private void register(UserStore store, String domain, int ranking) {
        registry.addStore(store, Map.of(UserStore.DOMAIN_PROPERTY, domain, "service.ranking", ranking,
                "service.id", nextServiceId++));
    }

    @Test
    void resolvesAPlainNameToThePrimaryStore() {
        register(primary, UserStore.PRIMARY, 0);
        register(bank, "BANK", 0);
        ResolvedName r = registry.resolve("alice").orElseThrow();
        assertSame(primary, r.store());
        assertEquals("alice", r.username());
        assertEquals(UserStore.PRIMARY, r.domain());
    }

    @Test
    void resolvesDomainSlashUsernameToThatDomainsStore() {
        register(primary, UserStore.PRIMARY, 0);
        register(bank, "BANK", 0);
        ResolvedName r = registry.resolve("BANK/alice").orElseThrow();
        assertSame(bank, r.store());
        assertEquals("alice", r.username());
        assertSame(bank, registry.resolve("bank/alice").orElseThrow().store(), "domains ignore case");
        assertSame(primary, registry.resolve("PRIMARY/alice").orElseThrow().store());
        assertEquals("a/b", registry.resolve("BANK/a/b").orElseThrow().username(), "split at the first separator");
    }

    @Test
    void resolvesNothingForAnUnknownDomainOrAnIncompleteName() {
        register(primary, UserStore.PRIMARY, 0);
        assertEquals(Optional.empty(), registry.resolve("OTHER/alice"));
        assertEquals(Optional.empty(), registry.resolve("/alice"));
        assertEquals(Optional.empty(), registry.resolve("PRIMARY/"));
        assertEquals(Optional.empty(), registry.resolve(""));
        assertEquals(Optional.empty(), registry.resolve(null));
    }

    @Test
    void resolvesNothingWithoutAPrimaryStore() {
        register(bank, "BANK", 0);
        assertEquals(Optional.empty(), registry.resolve("alice"));
    }

    @Test
    void usesTheConfiguredSeparator() {
        register(primary, UserStore.PRIMARY, 0);
        register(bank, "BANK", 0);
        registry.modified(separator("\\"));
        assertSame(bank, registry.resolve("BANK\\alice").orElseThrow().store());
        assertSame(primary, registry.resolve("BANK/alice").orElseThrow().store());
    }

    @Test
    void resolvesDomainsWithDotsWhateverTheSeparator() {
        UserStore example = () -> "EXAMPLE.COM";
        UserStore exampleShort = () -> "EXAMPLE";
        register(primary, UserStore.PRIMARY, 0);
        register(example, "EXAMPLE.COM", 0);
        register(exampleShort, "EXAMPLE", 0);
        for (String sep : new String[] {"/", "\\", ".", "::", "@"}) {
            registry.modified(separator(sep));
            ResolvedName r = registry.resolve("example.com" + sep + "alice.archer").orElseThrow();
            assertSame(example, r.store(), sep);
            assertEquals("alice.archer", r.username(), sep);
            assertEquals(Optional.empty(), registry.resolve("EXAMPLE.COM" + sep), sep);
        }
        registry.modified(separator("."));
        assertSame(example, registry.resolve("EXAMPLE.COM.alice").orElseThrow().store(), "the longest domain wins");
        assertSame(exampleShort, registry.resolve("EXAMPLE.alice").orElseThrow().store());
    }

    @Test
    void signInToADomainWhoseStoreIsGoneIsBadCredentials() {
        Checker bankChecker = new Checker("BANK");
        register(primary, UserStore.PRIMARY, 0);
        register(bankChecker, "BANK", 0);
        assertTrue(registry.authenticate("BANK/alice", "pw".toCharArray()).isOk());
        registry.removeStore(bankChecker);
        assertEquals(Outcome.BAD_CREDENTIALS, registry.authenticate("BANK/alice", "pw".toCharArray()).outcome());
        assertEquals(Optional.empty(), registry.resolve("BANK/alice"));
    }

    @Test
    void rejectsABlankSeparator() {
        assertThrows(IllegalArgumentException.class, () -> new UserStoreRegistryImpl(separator(" ")));
        assertThrows(IllegalArgumentException.class, () -> new UserStoreRegistryImpl(separator("")));
    }

    @Test
    void higherRankingWinsADomainAndTheOtherTakesOverWhenItGoes() {
        UserStore better = () -> "BANK";
        register(bank, "BANK", 0);
        register(better, "bank", 10);
        assertSame(better, registry.store("BANK").orElseThrow());
        registry.removeStore(better);
        assertSame(bank, registry.store("BANK").orElseThrow());
        registry.removeStore(bank);
        assertEquals(Optional.empty(), registry.store("BANK"));
    }

    @Test
    void listsDomainsPrimaryFirst() {
        register(() -> "ZETA", "ZETA", 0);
        register(bank, "BANK", 0);
        register(primary, UserStore.PRIMARY, 0);
        assertEquals(List.of("PRIMARY", "BANK", "ZETA"), registry.domains());
    }

    @Test
    void ignoresAStoreWithoutADomainProperty() {
        registry.addStore(bank, Map.of("service.id", 7L));
        assertEquals(List.of(), registry.domains());
    }

    @Test
    void authenticatesWithTheResolvedStoresCredentialCheck() {
        register(primary, UserStore.PRIMARY, 0);
        register(new Checker("BANK"), "BANK", 0);
        AuthenticationResult ok = registry.authenticate("BANK/alice", "pw".toCharArray());
        assertTrue(ok.isOk());
        assertEquals("alice", ok.user().username());
        assertEquals(Outcome.BAD_CREDENTIALS, registry.authenticate("BANK/alice", "bad".toCharArray()).outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, registry.authenticate("alice", "pw".toCharArray()).outcome(),
                "the primary store here cannot check passwords");
        assertEquals(Outcome.BAD_CREDENTIALS, registry.authenticate("NOPE/alice", "pw".toCharArray()).outcome());
    }

    @Test
    void aStoreThatThrowsIsUnavailableNotBadCredentials() {
        registry.addStore((CredentialCheck) new Checker(UserStore.PRIMARY) {
            @Override
            public AuthenticationResult authenticate(String username, char[] password) {
                throw new IllegalStateException("directory down");
            }
        }, Map.of(UserStore.DOMAIN_PROPERTY, UserStore.PRIMARY));
        assertEquals(Outcome.UNAVAILABLE, registry.authenticate("alice", "pw".toCharArray()).outcome());
    }

    @Test
    void findsAPrimaryUserByItsBareIdAndOthersByDomainSlashId() {
        Lookup primaryUsers = new Lookup(UserStore.PRIMARY, "u-1");
        Lookup bankUsers = new Lookup("BANK", "u-1", "cn=alice/ou=retail");
        register(primaryUsers, UserStore.PRIMARY, 0);
        register(bankUsers, "BANK", 0);
        User p = registry.findBySubject("u-1").orElseThrow();
        assertEquals(UserStore.PRIMARY, p.domain());
        assertEquals("u-1", p.subject());
        User b = registry.findBySubject("BANK/u-1").orElseThrow();
        assertEquals("BANK", b.domain());
        assertEquals("BANK/u-1", b.subject());
        assertEquals("cn=alice/ou=retail", registry.findBySubject("BANK/cn=alice/ou=retail").orElseThrow().id(),
                "split at the first slash");
    }

    @Test
    void findsNobodyForASubjectThatNamesNoUser() {
        register(new Lookup(UserStore.PRIMARY, "u-1"), UserStore.PRIMARY, 0);
        register(new Lookup("BANK", "u-1"), "BANK", 0);
        register(bank, "PLAIN", 0);
        assertEquals(Optional.empty(), registry.findBySubject("u-2"));
        assertEquals(Optional.empty(), registry.findBySubject("PRIMARY/u-1"), "a primary subject has no domain");
        assertEquals(Optional.empty(), registry.findBySubject("primary/u-1"));
        assertEquals(Optional.empty(), registry.findBySubject("bank/u-1"), "subjects are compared exactly");
        assertEquals(Optional.empty(), registry.findBySubject("OTHER/u-1"));
        assertEquals(Optional.empty(), registry.findBySubject("PLAIN/u-1"), "a store that cannot look up");
        assertEquals(Optional.empty(), registry.findBySubject("BANK/"));
        assertEquals(Optional.empty(), registry.findBySubject("/u-1"));
        assertEquals(Optional.empty(), registry.findBySubject(""));
        assertEquals(Optional.empty(), registry.findBySubject(null));
    }

    @Test
    void findsNobodyWhenAStoreAnswersForAnotherDomainOrThrows() {
        register(new Lookup("OTHER", "u-1"), "BANK", 0);
        assertEquals(Optional.empty(), registry.findBySubject("BANK/u-1"), "its user's subject is OTHER/u-1");
        register(new Lookup(UserStore.PRIMARY) {
            @Override
            public Optional<User> findById(String id) {
                throw new IllegalStateException("database down");
            }
        }, UserStore.PRIMARY, 0);
        assertEquals(Optional.empty(), registry.findBySubject("u-1"));
    }

    /** A store that looks users up by id only. */
    private static class Lookup implements UserLookup {
        private final String domain;
        private final List<String> ids;

        Lookup(String domain, String... ids) {
            this.domain = domain;
            this.ids = List.of(ids);
        }

        @Override
        public String domain() {
            return domain;
        }

        @Override
        public Optional<User> findByUsername(String username) {
            return Optional.empty();
        }

        @Override
        public Optional<User> findById(String id) {
            return ids.contains(id) ? Optional.of(new User(id, domain, "name-" + id, "", false, Map.of()))
                    : Optional.empty();
        }
    }

    private static class Checker implements CredentialCheck {
        private final String domain;

        Checker(String domain) {
            this.domain = domain;
        }

        @Override
        public String domain() {
            return domain;
        }

        @Override
        public AuthenticationResult authenticate(String username, char[] password) {
            return "pw".equals(new String(password))
                    ? AuthenticationResult.ok(new User("id-" + username, domain, username, "", false, Map.of()))
                    : AuthenticationResult.badCredentials();
        }
    }

    static UserStoreRegistryConfig separator(String s) {
        return RegistryConfigs.separator(s);
    }
}
