package org.obkm.consent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.NewConsent;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The consent cache of two nodes on one database: a change on one node is seen by the other's next
 * lookup because the change invalidates the consent on every member before it returns.
 */
class CoherentConsentServiceTest {

    /** The cluster bus, synchronous: every member's listener runs before invalidate returns. */
    private final List<InvalidationListener> members = new ArrayList<>();
    private final InvalidationBus bus = (region, key) -> {
        assertEquals(CoherentConsentService.REGION, region);
        members.forEach(m -> m.invalidate(key));
        return true;
    };
    private JdbcConsentService store;
    private CoherentConsentService node1;
    private CoherentConsentService node2;

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:coherent" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate(new ConsentSchema());
        store = new JdbcConsentService(ds, Clock.systemUTC());
        node1 = new CoherentConsentService(store, bus);
        node2 = new CoherentConsentService(new JdbcConsentService(ds, Clock.systemUTC()), bus);
        members.add(node1);
        members.add(node2);
    }

    private Consent authorised() throws Exception {
        Consent c = node1.create(new NewConsent(ConsentType.ACCOUNT_ACCESS, "tpp",
                "{\"Permissions\":[\"ReadAccountsBasic\"]}", "{}", null, null, null)).consent();
        return node1.authorise(c.id(), "psu-1", List.of("acc-1"), "psu:psu-1");
    }

    @Test
    void lookupsAreCachedUntilAChange() throws Exception {
        Consent c = authorised();
        assertEquals(ConsentStatus.AUTHORISED, node2.find(c.id()).orElseThrow().status());
        // a write that bypasses the service (and so the bus) is not seen: the lookup is the cache's
        store.transition(c.id(), ConsentStatus.AUTHORISED, ConsentStatus.REVOKED, "test", "behind the cache");
        assertEquals(ConsentStatus.AUTHORISED, node2.find(c.id()).orElseThrow().status());
        assertEquals(1, node2.cached());
    }

    @Test
    void deleteOnOneNodeEndsTheCachedConsentOnEveryNode() throws Exception {
        Consent c = authorised();
        assertTrue(node2.find(c.id()).orElseThrow().isActive(java.time.Instant.now()));
        node1.delete(c.id(), "client:tpp");
        Consent seen = node2.find(c.id()).orElseThrow();
        assertEquals(ConsentStatus.REVOKED, seen.status());
        assertTrue(seen.isDeleted());
    }

    @Test
    void revocationOnOneNodeIsSeenOnTheOtherBeforeItReturns() throws Exception {
        Consent c = authorised();
        node2.find(c.id());
        node1.transition(c.id(), ConsentStatus.AUTHORISED, ConsentStatus.REVOKED, "operator:karaf", "revoked");
        assertEquals(ConsentStatus.REVOKED, node2.find(c.id()).orElseThrow().status());
    }

    @Test
    void memberChangeClearsTheWholeCache() throws Exception {
        Consent c = authorised();
        node2.find(c.id());
        node2.find("unknown");
        assertEquals(2, node2.cached(), "absence is cached too");
        node2.invalidateAll();
        assertEquals(0, node2.cached());
        assertEquals(c.id(), node2.find(c.id()).orElseThrow().id());
    }
}
