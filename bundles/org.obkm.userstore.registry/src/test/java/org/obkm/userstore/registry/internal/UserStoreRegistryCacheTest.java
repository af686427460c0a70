package org.obkm.userstore.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.UserCacheControl;
import org.obkm.api.user.UserStore;

/** The registry as the invalidation listener of region {@value UserCacheControl#REGION}. */
class UserStoreRegistryCacheTest {

    private final UserStoreRegistryImpl registry = new UserStoreRegistryImpl(UserStoreRegistryImplTest.separator("/"));
    private final Cache example = new Cache("EXAMPLE.COM");
    private final Cache other = new Cache("OTHER");
    private long nextServiceId = 1;

    private void register(UserStore store, String domain, int ranking) {
        registry.addStore(store, Map.of(UserStore.DOMAIN_PROPERTY, domain, "service.ranking", ranking,
                "service.id", nextServiceId++));
    }

    @Test
    void aDomainKeyClearsThatDomainsWholeCache() {
        register(example, "EXAMPLE.COM", 0);
        register(other, "OTHER", 0);
        registry.invalidate("EXAMPLE.COM");
        assertEquals(List.of("*"), example.cleared);
        assertEquals(List.of(), other.cleared);
        registry.invalidate("example.com");
        assertEquals(List.of("*", "*"), example.cleared, "domains ignore case");
    }

    @Test
    void aDomainSlashUsernameKeyClearsThatUserOnly() {
        register(example, "EXAMPLE.COM", 0);
        registry.invalidate("EXAMPLE.COM/alice");
        registry.invalidate("EXAMPLE.COM/cn=bob/ou=retail");
        assertEquals(List.of("alice", "cn=bob/ou=retail"), example.cleared, "split at the first slash");
    }

    @Test
    void keysUseASlashWhateverTheSignInSeparator() {
        register(example, "EXAMPLE.COM", 0);
        registry.modified(UserStoreRegistryImplTest.separator("\\"));
        registry.invalidate("EXAMPLE.COM/alice");
        registry.invalidate("EXAMPLE.COM\\bob");
        assertEquals(List.of("alice"), example.cleared);
    }

    @Test
    void invalidateAllClearsEveryStoreThatCaches() {
        Cache outranked = new Cache("EXAMPLE.COM");
        register(example, "EXAMPLE.COM", 10);
        register(outranked, "EXAMPLE.COM", 0);
        register(other, "OTHER", 0);
        register(() -> UserStore.PRIMARY, UserStore.PRIMARY, 0);
        registry.invalidateAll();
        assertEquals(List.of("*"), example.cleared);
        assertEquals(List.of("*"), outranked.cleared, "it may take over later and must not start stale");
        assertEquals(List.of("*"), other.cleared);
        registry.invalidate(null);
        assertEquals(List.of("*", "*"), other.cleared, "no key is every key");
    }

    @Test
    void ignoresKeysOfUnknownDomainsAndStoresThatCacheNothing() {
        register(() -> "PLAIN", "PLAIN", 0);
        register(example, "EXAMPLE.COM", 0);
        registry.invalidate("PLAIN");
        registry.invalidate("PLAIN/alice");
        registry.invalidate("NOPE/alice");
        registry.invalidate("");
        assertEquals(List.of(), example.cleared);
    }

    @Test
    void aStoreThatFailsToClearDoesNotKeepTheOthersStale() {
        register(new Cache("BROKEN") {
            @Override
            public void invalidateAll() {
                throw new IllegalStateException("boom");
            }
        }, "BROKEN", 0);
        register(example, "EXAMPLE.COM", 0);
        registry.invalidateAll();
        assertEquals(List.of("*"), example.cleared);
    }

    @Test
    void registersAsTheListenerOfTheUserStoreRegion() throws IOException {
        String xml = Files.readString(Path.of("target/classes/OSGI-INF/" + UserStoreRegistryImpl.class.getName()
                + ".xml"));
        assertTrue(xml.contains("<provide interface=\"org.obkm.api.cluster.InvalidationListener\"/>"), xml);
        assertTrue(xml.contains("<provide interface=\"org.obkm.api.user.UserStoreRegistry\"/>"), xml);
        assertTrue(xml.contains("<property name=\"obkm.invalidation.region\" type=\"String\" value=\"userstore\"/>"),
                xml);
    }

    /** A store that records what it was asked to drop ({@code *} for everything). */
    private static class Cache implements UserCacheControl {
        final List<String> cleared = new ArrayList<>();
        private final String domain;

        Cache(String domain) {
            this.domain = domain;
        }

        @Override
        public String domain() {
            return domain;
        }

        @Override
        public void invalidate(String username) {
            cleared.add(username);
        }

        @Override
        public void invalidateAll() {
            cleared.add("*");
        }
    }
}
