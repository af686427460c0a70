package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.userstore.registry.internal.RegistryConfigs;
import org.obkm.userstore.registry.internal.UserStoreRegistryImpl;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.StoreDiagnostics;
import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;

/**
 * Several domains in the one shared table: the primary store and a secondary store of type jdbc keep
 * their users apart, also when the usernames are the same. {@link UserDomainsTest} runs it on H2,
 * {@link JdbcUserStorePostgresTest} on PostgreSQL.
 */
abstract class UserDomainsContract {

    static final String OTHER = "EXAMPLE.COM";
    private static final String PRIMARY_PW = "primary alice's passphrase";
    private static final String OTHER_PW = "example alice's passphrase";

    private final MutableClock clock = new MutableClock();
    private DataSource dataSource;
    private JdbcUserStore primary;
    private JdbcUserStore other;
    private UserStoreRegistryImpl registry;

    /** An empty database at the newest schema version. */
    abstract DataSource freshDatabase() throws SQLException;

    @BeforeEach
    void setUp() throws SQLException {
        dataSource = freshDatabase();
        primary = new JdbcUserStore(dataSource, new Settings(1_000, 3, 60, 12), clock);
        other = (JdbcUserStore) new JdbcUserStoreFactory(dataSource, clock).create("example.com",
                Map.of("pbkdf2Iterations", "1000", "maxFailedAttempts", "3", "lockoutSeconds", "60"));
        registry = new UserStoreRegistryImpl(RegistryConfigs.separator("/"));
        registry.addStore(primary, Map.of(UserStore.DOMAIN_PROPERTY, UserStore.PRIMARY, "service.id", 1L));
        registry.addStore(other, Map.of(UserStore.DOMAIN_PROPERTY, OTHER, "service.id", 2L));
    }

    @Test
    void theSelfTestCountsAndSamplesItsOwnDomainOnly() {
        primary.add("alice", "Alice of the bank", PRIMARY_PW.toCharArray());
        primary.add("bob", "Bob of the bank", PRIMARY_PW.toCharArray());
        other.add("carol", "Carol of example.com", OTHER_PW.toCharArray());
        List<StoreDiagnostics.Step> steps = other.test();
        assertEquals(2, steps.size(), steps.toString());
        assertTrue(steps.stream().allMatch(StoreDiagnostics.Step::ok), steps.toString());
        assertEquals("1 users in " + OTHER, steps.get(0).detail());
        assertEquals("carol", steps.get(1).detail());
        assertEquals("2 users in PRIMARY", primary.test().get(0).detail());
    }

    @Test
    void theSameUsernameInTwoDomainsIsTwoUsers() {
        User p = primary.add("alice", "Alice of the bank", PRIMARY_PW.toCharArray());
        User o = other.add("alice", "Alice of example.com", OTHER_PW.toCharArray());
        assertNotEquals(p.id(), o.id());
        assertEquals(UserStore.PRIMARY, p.domain());
        assertEquals(OTHER, o.domain());
        assertEquals(p, primary.findByUsername("alice").orElseThrow());
        assertEquals(o, other.findByUsername("alice").orElseThrow());
        assertEquals(p.id(), p.subject());
        assertEquals(OTHER + "/" + o.id(), o.subject());
    }

    @Test
    void eachSignsInWithItsOwnPasswordOnly() {
        primary.add("alice", null, PRIMARY_PW.toCharArray());
        User o = other.add("alice", null, OTHER_PW.toCharArray());
        assertTrue(registry.authenticate("alice", PRIMARY_PW.toCharArray()).isOk());
        assertEquals(Outcome.BAD_CREDENTIALS, registry.authenticate("alice", OTHER_PW.toCharArray()).outcome());
        assertEquals(o, registry.authenticate("EXAMPLE.COM/alice", OTHER_PW.toCharArray()).user());
        assertEquals(o, registry.authenticate("example.com/alice", OTHER_PW.toCharArray()).user());
        assertEquals(Outcome.BAD_CREDENTIALS,
                registry.authenticate("EXAMPLE.COM/alice", PRIMARY_PW.toCharArray()).outcome());
    }

    @Test
    void aUserOfOneDomainIsUnknownInTheOther() {
        User p = primary.add("bob", null, PRIMARY_PW.toCharArray());
        assertTrue(other.findByUsername("bob").isEmpty());
        assertTrue(other.findById(p.id()).isEmpty(), "not by id either");
        assertEquals(Outcome.BAD_CREDENTIALS, other.authenticate("bob", PRIMARY_PW.toCharArray()).outcome());
        assertTrue(registry.findBySubject(OTHER + "/" + p.id()).isEmpty());
        assertEquals(p, registry.findBySubject(p.id()).orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.lock("bob"));
        assertEquals("no user named bob in the user store EXAMPLE.COM", e.getMessage());
        assertFalse(other.delete("bob"));
        assertTrue(primary.findByUsername("bob").isPresent());
    }

    @Test
    void theRegistryFindsASecondaryUserBySubject() {
        primary.add("alice", null, PRIMARY_PW.toCharArray());
        User o = other.add("alice", null, OTHER_PW.toCharArray());
        assertEquals(o, registry.findBySubject(o.subject()).orElseThrow());
        assertTrue(registry.findBySubject(o.id()).isEmpty(), "a bare id names a primary user");
    }

    @Test
    void searchListsTheDomainsOwnUsersOnly() {
        primary.add("alice", "Alice Archer", PRIMARY_PW.toCharArray());
        primary.add("bob", "Bob Baker", PRIMARY_PW.toCharArray());
        other.add("alice", "Alice Abbott", OTHER_PW.toCharArray());
        other.add("carol", "Carol Archer", OTHER_PW.toCharArray());
        assertEquals(List.of("alice", "bob"), names(primary.search(null, 100)));
        assertEquals(List.of("alice", "carol"), names(other.search(null, 100)));
        assertEquals(List.of("alice"), names(other.search("ABBOTT", 100)));
        assertEquals(List.of("carol"), names(other.search("archer", 100)));
        assertEquals(List.of("alice"), names(primary.search("archer", 100)), "the filter keeps to the domain");
        assertTrue(other.search(null, 100).stream().allMatch(u -> OTHER.equals(u.domain())));
    }

    @Test
    void locksAndLockoutsKeepToTheirDomain() {
        primary.add("alice", null, PRIMARY_PW.toCharArray());
        other.add("alice", null, OTHER_PW.toCharArray());
        primary.lock("alice");
        assertEquals(Outcome.LOCKED, primary.authenticate("alice", PRIMARY_PW.toCharArray()).outcome());
        assertTrue(other.authenticate("alice", OTHER_PW.toCharArray()).isOk());
        assertFalse(other.findByUsername("alice").orElseThrow().locked());

        primary.unlock("alice");
        for (int i = 1; i <= 3; i++) {
            other.authenticate("alice", ("wrong password " + i).toCharArray());
        }
        assertEquals(Outcome.LOCKED, other.authenticate("alice", OTHER_PW.toCharArray()).outcome());
        assertTrue(primary.authenticate("alice", PRIMARY_PW.toCharArray()).isOk(), "failures counted per domain");
        other.unlock("alice");
        assertTrue(other.authenticate("alice", OTHER_PW.toCharArray()).isOk());
    }

    @Test
    void passwordChangesAndDeletionsKeepToTheirDomain() {
        primary.add("alice", null, PRIMARY_PW.toCharArray());
        other.add("alice", null, OTHER_PW.toCharArray());
        other.setPassword("alice", "a brand new passphrase".toCharArray());
        assertTrue(primary.authenticate("alice", PRIMARY_PW.toCharArray()).isOk());
        assertTrue(other.authenticate("alice", "a brand new passphrase".toCharArray()).isOk());

        assertTrue(primary.delete("alice"));
        assertTrue(primary.findByUsername("alice").isEmpty());
        assertTrue(other.authenticate("alice", "a brand new passphrase".toCharArray()).isOk());
        assertTrue(other.delete("alice"));
        assertFalse(other.delete("alice"));
    }

    @Test
    void aUsernameIsUniqueWithinItsDomain() {
        other.add("alice", null, OTHER_PW.toCharArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.add("alice", null, "yet another passphrase".toCharArray()));
        assertEquals("a user named alice already exists in user store EXAMPLE.COM", e.getMessage());
        primary.add("alice", null, PRIMARY_PW.toCharArray());
    }

    @Test
    void storesOfOneDomainOnTwoNodesShareItsUsers() {
        JdbcUserStore otherNode = (JdbcUserStore) new JdbcUserStoreFactory(dataSource, clock).create(OTHER,
                Map.of("pbkdf2Iterations", "1000", "maxFailedAttempts", "3"));
        User o = other.add("alice", null, OTHER_PW.toCharArray());
        assertEquals(o, otherNode.authenticate("alice", OTHER_PW.toCharArray()).user());
        otherNode.lock("alice");
        assertEquals(Outcome.LOCKED, other.authenticate("alice", OTHER_PW.toCharArray()).outcome());
    }

    @Test
    void theRegistryResolvesADomainWithDotsWhateverTheSeparator() {
        other.add("alice", null, OTHER_PW.toCharArray());
        for (String separator : new String[] {"\\", ".", "::"}) {
            registry.modified(RegistryConfigs.separator(separator));
            String name = "example.com" + separator + "alice";
            assertSame(other, registry.resolve(name).orElseThrow().store(), separator);
            assertTrue(registry.authenticate(name, OTHER_PW.toCharArray()).isOk(), separator);
        }
    }

    private static List<String> names(List<User> users) {
        return users.stream().map(User::username).toList();
    }
}
