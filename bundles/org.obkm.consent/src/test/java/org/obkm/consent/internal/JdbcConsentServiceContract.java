package org.obkm.consent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.IdempotencyConflictException;
import org.obkm.api.consent.NewConsent;
import org.obkm.persistence.internal.SchemaMigrator;

/**
 * The consent store at the newest version of module consents, on a fresh database from the subclass
 * (H2 or PostgreSQL); two instances on it stand for two nodes.
 */
abstract class JdbcConsentServiceContract {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-06-01T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    DataSource ds;
    MovingClock clock;
    JdbcConsentService node1;
    JdbcConsentService node2;

    /** An empty database of its own. */
    abstract DataSource emptyDatabase() throws SQLException;

    @BeforeEach
    void setUp() throws SQLException {
        ds = emptyDatabase();
        new SchemaMigrator(ds).migrate(new ConsentSchema());
        clock = new MovingClock();
        node1 = new JdbcConsentService(ds, clock);
        node2 = new JdbcConsentService(ds, clock);
    }

    Consent account(String client) throws IdempotencyConflictException {
        return node1.create(new NewConsent(ConsentType.ACCOUNT_ACCESS, client,
                "{\"Permissions\":[\"ReadAccountsBasic\"]}", "{}", null, null, null)).consent();
    }

    NewConsent payment(String key, String hash) {
        return new NewConsent(ConsentType.DOMESTIC_PAYMENT, "tpp", "{\"Initiation\":{}}", "{}", null, key, hash);
    }

    @Test
    void newConsentAwaitsAuthorisationWithItsCreationInTheHistory() throws Exception {
        Consent c = account("tpp");
        assertEquals(ConsentStatus.AWAITING_AUTHORISATION, c.status());
        assertEquals(clock.now, c.createdAt());
        assertEquals(c, node2.find(c.id()).orElseThrow());
        List<ConsentEvent> h = node1.history(c.id());
        assertEquals(1, h.size());
        assertNull(h.get(0).from());
        assertEquals("client:tpp", h.get(0).actor());
    }

    @Test
    void authoriseRecordsSubjectAccountsAndTheEvent() throws Exception {
        Consent c = account("tpp");
        clock.now = clock.now.plusSeconds(5);
        Consent a = node1.authorise(c.id(), "psu-1", List.of("acc-1", "acc-2"), "psu:psu-1");
        assertEquals(ConsentStatus.AUTHORISED, a.status());
        assertEquals("psu-1", a.subject());
        assertEquals(List.of("acc-1", "acc-2"), a.accounts());
        assertEquals(clock.now, a.statusUpdatedAt());
        ConsentEvent last = node1.history(c.id()).get(1);
        assertEquals(ConsentStatus.AWAITING_AUTHORISATION, last.from());
        assertEquals(ConsentStatus.AUTHORISED, last.to());
        assertEquals("psu:psu-1", last.actor());
    }

    @Test
    void reauthenticationOfAnAuthorisedAccountConsentKeepsItsStatusAndReplacesAccounts() throws Exception {
        Consent c = account("tpp");
        node1.authorise(c.id(), "psu-1", List.of("acc-1"), "psu:psu-1");
        Consent again = node1.authorise(c.id(), "psu-1", List.of("acc-2"), "psu:psu-1");
        assertEquals(ConsentStatus.AUTHORISED, again.status());
        assertEquals(List.of("acc-2"), again.accounts());
        assertEquals(3, node1.history(c.id()).size());
    }

    @Test
    void paymentConsentCannotBeAuthorisedTwice() throws Exception {
        Consent p = node1.create(payment("k1", "h1")).consent();
        node1.authorise(p.id(), "psu-1", List.of("acc-1"), "psu:psu-1");
        assertThrows(ConsentStateException.class, () -> node1.authorise(p.id(), "psu-1", List.of(), "psu:psu-1"));
    }

    @Test
    void expiredConsentCannotBeAuthorised() throws Exception {
        Consent c = node1.create(new NewConsent(ConsentType.ACCOUNT_ACCESS, "tpp", "{}", "{}",
                clock.now.plusSeconds(60), null, null)).consent();
        clock.now = clock.now.plusSeconds(61);
        ConsentStateException e = assertThrows(ConsentStateException.class,
                () -> node1.authorise(c.id(), "psu-1", List.of(), "psu:psu-1"));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertEquals(ConsentStatus.AWAITING_AUTHORISATION, node1.find(c.id()).orElseThrow().status());
    }

    @Test
    void aStaleExpectedStatusChangesNothing() throws Exception {
        Consent c = account("tpp");
        node1.transition(c.id(), ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.REJECTED, "psu:x", "denied");
        ConsentStateException e = assertThrows(ConsentStateException.class, () -> node2.transition(c.id(),
                ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.AUTHORISED, "psu:x", "approved"));
        assertEquals(ConsentStatus.REJECTED, e.consent().status());
        assertEquals(2, node1.history(c.id()).size());
    }

    @Test
    void terminalConsentNeverMovesAgain() throws Exception {
        Consent c = account("tpp");
        node1.authorise(c.id(), "psu-1", List.of(), "psu:psu-1");
        node1.transition(c.id(), ConsentStatus.AUTHORISED, ConsentStatus.REVOKED, "operator:karaf", "fraud");
        for (ConsentStatus to : ConsentStatus.values()) {
            assertThrows(ConsentStateException.class,
                    () -> node1.transition(c.id(), ConsentStatus.REVOKED, to, "operator:karaf", "again"));
        }
    }

    @Test
    void authorisedPaymentIsConsumed() throws Exception {
        Consent p = node1.create(payment("k1", "h1")).consent();
        node1.authorise(p.id(), "psu-1", List.of("acc-1"), "psu:psu-1");
        Consent consumed = node1.transition(p.id(), ConsentStatus.AUTHORISED, ConsentStatus.CONSUMED, "system",
                "payment order made");
        assertEquals(ConsentStatus.CONSUMED, consumed.status());
    }

    @Test
    void twoNodesRacingOneTransitionMoveItOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            Consent c = account("tpp");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<Boolean> a = () -> moved(node1, c.id(), ConsentStatus.AUTHORISED);
                Callable<Boolean> b = () -> moved(node2, c.id(), ConsentStatus.REJECTED);
                List<Future<Boolean>> results = pool.invokeAll(List.of(a, b));
                int wins = 0;
                for (Future<Boolean> f : results) {
                    wins += f.get() ? 1 : 0;
                }
                assertEquals(1, wins);
                assertEquals(2, node1.history(c.id()).size());
            } finally {
                pool.shutdown();
            }
        }
    }

    private static boolean moved(JdbcConsentService node, String id, ConsentStatus to) {
        try {
            node.transition(id, ConsentStatus.AWAITING_AUTHORISATION, to, "psu:x", "race");
            return true;
        } catch (ConsentStateException e) {
            return false;
        }
    }

    @Test
    void deleteOfAnAuthorisedConsentRevokesItAndHidesIt() throws Exception {
        Consent c = account("tpp");
        node1.authorise(c.id(), "psu-1", List.of(), "psu:psu-1");
        Consent d = node2.delete(c.id(), "client:tpp");
        assertTrue(d.isDeleted());
        assertEquals(ConsentStatus.REVOKED, d.status());
        assertFalse(d.isActive(clock.now));
        assertEquals("deleted by the TPP", node1.history(c.id()).get(2).reason());
        assertEquals(d, node1.delete(c.id(), "client:tpp"), "a second delete changes nothing");
        assertEquals(3, node1.history(c.id()).size());
    }

    @Test
    void deleteBeforeAuthorisationRejectsIt() throws Exception {
        Consent c = account("tpp");
        Consent d = node1.delete(c.id(), "client:tpp");
        assertEquals(ConsentStatus.REJECTED, d.status());
        assertThrows(ConsentStateException.class, () -> node1.authorise(c.id(), "psu-1", List.of(), "psu:psu-1"));
    }

    @Test
    void unknownConsentIsAbsentAndCannotMove() {
        assertTrue(node1.find("no-such").isEmpty());
        assertTrue(node1.find("x".repeat(200)).isEmpty());
        assertThrows(NoSuchElementException.class, () -> node1.delete("no-such", "client:tpp"));
        assertThrows(NoSuchElementException.class, () -> node1.transition("no-such",
                ConsentStatus.AWAITING_AUTHORISATION, ConsentStatus.REJECTED, "x", "y"));
    }

    @Test
    void sameKeyAndBodyWithin24HoursReplaysTheSameConsent() throws Exception {
        Created first = node1.create(payment("key-1", "hash-a"));
        clock.now = clock.now.plus(Duration.ofHours(23));
        Created again = node2.create(payment("key-1", "hash-a"));
        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.consent().id(), again.consent().id());
    }

    @Test
    void sameKeyWithAnotherBodyWithin24HoursIsRefused() throws Exception {
        node1.create(payment("key-1", "hash-a"));
        assertThrows(IdempotencyConflictException.class, () -> node1.create(payment("key-1", "hash-b")));
    }

    @Test
    void sameKeyAfter24HoursCreatesANewConsent() throws Exception {
        Created first = node1.create(payment("key-1", "hash-a"));
        clock.now = clock.now.plus(Duration.ofHours(24));
        Created later = node1.create(payment("key-1", "hash-b"));
        assertFalse(later.replayed());
        assertNotEquals(first.consent().id(), later.consent().id());
    }

    @Test
    void anotherClientsSameKeyIsItsOwn() throws Exception {
        Created mine = node1.create(payment("key-1", "hash-a"));
        Created theirs = node1.create(new NewConsent(ConsentType.DOMESTIC_PAYMENT, "other", "{}", "{}", null, "key-1",
                "hash-b"));
        assertNotEquals(mine.consent().id(), theirs.consent().id());
    }

    @Test
    void listFiltersByClientAndStatusNewestFirst() throws Exception {
        Consent a = account("tpp");
        clock.now = clock.now.plusSeconds(1);
        Consent b = account("tpp");
        account("other");
        node1.authorise(a.id(), "psu-1", List.of(), "psu:psu-1");
        assertEquals(List.of(b.id(), a.id()), node1.list(new ConsentQuery("tpp", null, 10)).stream()
                .map(Consent::id).toList());
        assertEquals(List.of(a.id()), node1.list(new ConsentQuery(null, ConsentStatus.AUTHORISED, 10)).stream()
                .map(Consent::id).toList());
        assertEquals(1, node1.list(new ConsentQuery(null, null, 1)).size());
    }

    @Test
    void saysClearlyWhenTheTablesAreMissing() throws SQLException {
        DataSource empty = emptyDatabase();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JdbcConsentService(empty, clock).find("abc"));
        assertTrue(e.getMessage().contains("schema module consents"), e.getMessage());
    }
}
