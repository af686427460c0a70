package org.obkm.userstore.jdbc.internal;

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

    private static UserStoreRegistryConfig separator(String s) {
        return new UserStoreRegistryConfig() {
            @Override
            public String domainSeparator() {
                return s;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return UserStoreRegistryConfig.class;
            }
        };
    }
}
