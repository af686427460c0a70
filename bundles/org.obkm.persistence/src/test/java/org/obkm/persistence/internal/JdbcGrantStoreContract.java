package org.obkm.persistence.internal;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.token.Grant;
import org.obkm.api.token.OneTimeUse;
import org.obkm.api.token.OneTimeUse.Outcome;
import org.obkm.api.token.RefreshToken;

/**
 * The behaviour of {@link JdbcGrantStore} on a freshly migrated database; each subclass supplies one
 * kind of database (H2, PostgreSQL).
 */
abstract class JdbcGrantStoreContract {

    static final Instant T0 = Instant.parse("2026-01-05T09:00:00Z");
    static final Instant GRANT_EXPIRY = T0.plus(Duration.ofDays(90));
    static final Instant CODE_EXPIRY = T0.plusSeconds(60);
    static final Instant TOKEN_EXPIRY = T0.plus(Duration.ofDays(30));
    static final int RACERS = 8;

    protected DataSource dataSource;
    protected JdbcGrantStore store;

    /** A new, empty database (or schema) for one test. */
    abstract DataSource freshDatabase() throws SQLException;

    /** How many rounds each race runs. */
    abstract int raceRounds();

    @BeforeEach
    void migrateAndStart() throws SQLException {
        dataSource = freshDatabase();
        assertEquals(SchemaMigrator.newestCoreVersion(), new SchemaMigrator(dataSource).migrate(), "the newest version");
        store = new JdbcGrantStore(dataSource, new DatabaseSchema(null));
    }

    @AfterEach
    void stop() {
        if (store != null) {
            store.deactivate();
        }
    }

    static Grant grant(String id, String subject, Instant createdAt) {
        return new Grant(id, "client-1", subject, "openid accounts", "{\"acr\":\"urn:obkm:sca\"}", createdAt,
                GRANT_EXPIRY, null);
    }

    private Grant grant(String id) {
        Grant g = grant(id, "alice", T0);
        store.createGrant(g);
        return g;
    }

    private static RefreshToken token(String hash, String grantId) {
        return new RefreshToken(hash, grantId, T0, TOKEN_EXPIRY, null);
    }

    @Test
    void storesAndReadsAGrantWithSomeKilobytesOfDetails() {
        String details = "{\"claims\":\"" + "x".repeat(12_000) + "\"}";
        Grant g = new Grant("g1", "client-1", "BANK/0d4c-1", "openid payments", details, T0, GRANT_EXPIRY, null);
        store.createGrant(g);
        assertEquals(g, store.findGrant("g1").orElseThrow());
        assertTrue(store.findGrant("g2").isEmpty());
    }

    @Test
    void refusesADuplicateGrantAndOversizedValues() {
        grant("g1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> grant("g1"));
        assertEquals("a grant with this key is recorded already", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.createGrant(new Grant("g2", "client-1", "alice", "",
                "{\"x\":\"" + "x".repeat(16_000) + "\"}", T0, GRANT_EXPIRY, null)));
        assertThrows(IllegalArgumentException.class, () -> store.createGrant(grant("g".repeat(65), "alice", T0)));
        assertTrue(store.findGrant("g2").isEmpty());
    }

    @Test
    void listsTheGrantsOfAUserNewestFirstAtMost100() {
        for (int i = 0; i < 105; i++) {
            store.createGrant(grant(String.format("g%03d", i), "alice", T0.plusSeconds(i)));
        }
        store.createGrant(grant("other", "bob", T0.plusSeconds(500)));
        List<Grant> grants = store.grantsOf("alice");
        assertEquals(JdbcGrantStore.MAX_GRANTS_LISTED, grants.size());
        assertEquals("g104", grants.get(0).grantId());
        assertEquals("g005", grants.get(99).grantId());
        assertEquals(List.of("other"), store.grantsOf("bob").stream().map(Grant::grantId).toList());
        assertEquals(List.of(), store.grantsOf("carol"));
    }

    @Test
    void revokesAGrantOnceAndCountsAMissingGrantAsRevoked() {
        grant("g1");
        assertFalse(store.isGrantRevoked("g1"));
        assertTrue(store.revokeGrant("g1", T0.plusSeconds(10)));
        assertFalse(store.revokeGrant("g1", T0.plusSeconds(20)), "idempotent");
        assertTrue(store.isGrantRevoked("g1"));
        assertEquals(T0.plusSeconds(10), store.findGrant("g1").orElseThrow().revokedAt(), "the first revocation stays");
        assertFalse(store.revokeGrant("nope", T0));
        assertTrue(store.isGrantRevoked("nope"));
    }

    @Test
    void aCodeIsUsedOnceThenItsReuseIsAReplay() {
        grant("g1");
        store.addCode("c1", "g1", CODE_EXPIRY);
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.useCode("c1", T0.plusSeconds(1)));
        assertEquals(new OneTimeUse(Outcome.ALREADY_USED, "g1"), store.useCode("c1", T0.plusSeconds(2)));
    }

    @Test
    void aCodeReusedAfterItExpiredIsStillAReplay() {
        grant("g1");
        store.addCode("c1", "g1", CODE_EXPIRY);
        store.useCode("c1", T0.plusSeconds(1));
        assertEquals(new OneTimeUse(Outcome.ALREADY_USED, "g1"), store.useCode("c1", CODE_EXPIRY.plusSeconds(600)));
    }

    @Test
    void anExpiredCodeIsRefusedAndStaysUnused() {
        grant("g1");
        store.addCode("c1", "g1", CODE_EXPIRY);
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g1"), store.useCode("c1", CODE_EXPIRY), "valid only before");
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g1"), store.useCode("c1", CODE_EXPIRY.plusSeconds(1)));
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.useCode("c1", CODE_EXPIRY.minusMillis(1)),
                "nothing was changed by the refusals");
    }

    @Test
    void aCodeOfARevokedExpiredOrMissingGrantIsRefused() throws SQLException {
        grant("g1");
        store.addCode("c1", "g1", CODE_EXPIRY);
        store.revokeGrant("g1", T0);
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g1"), store.useCode("c1", T0.plusSeconds(1)));
        assertNull(longOf("SELECT used_at FROM obkm_auth_code WHERE code_hash = 'c1'"));

        store.createGrant(new Grant("g2", "client-1", "alice", "", null, T0, T0.plusSeconds(5), null));
        store.addCode("c2", "g2", CODE_EXPIRY);
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g2"), store.useCode("c2", T0.plusSeconds(5)));

        store.addCode("c3", "no-such-grant", CODE_EXPIRY);
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "no-such-grant"), store.useCode("c3", T0.plusSeconds(1)));
    }

    @Test
    void anUnknownCodeIsUnknown() {
        assertEquals(new OneTimeUse(Outcome.UNKNOWN, null), store.useCode("nope", T0));
    }

    @Test
    void refusesADuplicateCode() {
        grant("g1");
        store.addCode("c1", "g1", CODE_EXPIRY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.addCode("c1", "g2", CODE_EXPIRY));
        assertEquals("an authorization code with this key is recorded already", e.getMessage());
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.useCode("c1", T0));
    }

    @Test
    void rotationMarksTheOldTokenUsedAndRecordsTheNext() {
        grant("g1");
        store.addRefreshToken(token("r1", "g1"));
        Instant now = T0.plusSeconds(3600);
        RefreshToken r2 = new RefreshToken("r2", "g1", now, TOKEN_EXPIRY.plusSeconds(3600), null);
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.rotateRefreshToken("r1", r2, now));
        assertEquals(now, store.findRefreshToken("r1").orElseThrow().usedAt());
        assertEquals(r2, store.findRefreshToken("r2").orElseThrow());
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.rotateRefreshToken("r2", token("r3", "g1"), now),
                "the next one rotates on");
    }

    @Test
    void aRotatedOutTokenIsAReplayAndRecordsNothing() {
        grant("g1");
        store.addRefreshToken(token("r1", "g1"));
        store.rotateRefreshToken("r1", token("r2", "g1"), T0.plusSeconds(1));
        assertEquals(new OneTimeUse(Outcome.ALREADY_USED, "g1"),
                store.rotateRefreshToken("r1", token("r3", "g1"), T0.plusSeconds(2)));
        assertTrue(store.findRefreshToken("r3").isEmpty());
        assertEquals(new OneTimeUse(Outcome.ALREADY_USED, "g1"),
                store.rotateRefreshToken("r1", token("r4", "g1"), TOKEN_EXPIRY.plusSeconds(1)), "after expiry too");
    }

    @Test
    void anExpiredTokenIsRefusedAndRecordsNothing() {
        grant("g1");
        store.addRefreshToken(token("r1", "g1"));
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g1"),
                store.rotateRefreshToken("r1", token("r2", "g1"), TOKEN_EXPIRY));
        assertTrue(store.findRefreshToken("r2").isEmpty());
        assertNull(store.findRefreshToken("r1").orElseThrow().usedAt());
    }

    @Test
    void aTokenOfARevokedGrantIsRefusedAndRecordsNothing() {
        grant("g1");
        store.addRefreshToken(token("r1", "g1"));
        store.revokeGrant("g1", T0);
        assertEquals(new OneTimeUse(Outcome.EXPIRED, "g1"),
                store.rotateRefreshToken("r1", token("r2", "g1"), T0.plusSeconds(1)));
        assertTrue(store.findRefreshToken("r2").isEmpty());
        assertNull(store.findRefreshToken("r1").orElseThrow().usedAt());
    }

    @Test
    void anUnknownTokenIsUnknown() {
        grant("g1");
        assertEquals(new OneTimeUse(Outcome.UNKNOWN, null), store.rotateRefreshToken("nope", token("r2", "g1"), T0));
        assertTrue(store.findRefreshToken("r2").isEmpty());
    }

    @Test
    void aFailedInsertOfTheNextTokenLeavesTheOldOneUnused() {
        grant("g1");
        store.addRefreshToken(token("r1", "g1"));
        store.addRefreshToken(token("taken", "g1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.rotateRefreshToken("r1", token("taken", "g1"), T0.plusSeconds(1)));
        assertEquals("a refresh token with this key is recorded already", e.getMessage());
        assertNull(store.findRefreshToken("r1").orElseThrow().usedAt(), "rolled back");
        assertEquals(new OneTimeUse(Outcome.USED, "g1"), store.rotateRefreshToken("r1", token("r2", "g1"), T0));
    }

    @Test
    void refusesANextTokenOfAnotherGrantOrAlreadyUsed() {
        grant("g1");
        grant("g2");
        store.addRefreshToken(token("r1", "g1"));
        assertThrows(IllegalArgumentException.class, () -> store.rotateRefreshToken("r1", token("r2", "g2"), T0));
        assertThrows(IllegalArgumentException.class, () -> store.rotateRefreshToken("r1",
                new RefreshToken("r2", "g1", T0, TOKEN_EXPIRY, T0), T0));
        assertThrows(IllegalArgumentException.class, () -> store.rotateRefreshToken("r1", token("r1", "g1"), T0));
        assertNull(store.findRefreshToken("r1").orElseThrow().usedAt());
        assertTrue(store.findRefreshToken("r2").isEmpty());
    }

    @Test
    void purgesWhatExpiredAndKeepsTheRest() throws SQLException {
        store.createGrant(new Grant("old", "client-1", "alice", "", null, T0, T0.plusSeconds(100), null));
        grant("live");
        store.addCode("c-old", "live", T0.plusSeconds(10));
        store.addCode("c-live", "live", T0.plusSeconds(1000));
        store.addRefreshToken(new RefreshToken("r-old", "live", T0, T0.plusSeconds(10), null));
        store.addRefreshToken(token("r-live", "live"));
        assertEquals(0, store.purgeExpired(T0.plusSeconds(10)), "an expiry instant is still kept");
        assertEquals(3, store.purgeExpired(T0.plusSeconds(101)));
        assertTrue(store.findGrant("old").isEmpty());
        assertTrue(store.findGrant("live").isPresent());
        assertEquals(1L, longOf("SELECT COUNT(*) FROM obkm_auth_code"));
        assertTrue(store.findRefreshToken("r-old").isEmpty());
        assertTrue(store.findRefreshToken("r-live").isPresent());
        assertEquals(0, store.purgeExpired(T0.plusSeconds(101)));
    }

    @Test
    void racersUsingOneCodeGetExactlyOneUse() throws Exception {
        for (int round = 0; round < raceRounds(); round++) {
            String grantId = "g" + round;
            String code = "c" + round;
            grant(grantId);
            store.addCode(code, grantId, CODE_EXPIRY);
            List<OneTimeUse> results = race(i -> store.useCode(code, T0.plusSeconds(1)));
            assertExactlyOneUse(results, grantId, round);
        }
    }

    @Test
    void racersRotatingOneTokenGetExactlyOneRotation() throws Exception {
        for (int round = 0; round < raceRounds(); round++) {
            String grantId = "g" + round;
            String old = "r" + round;
            grant(grantId);
            store.addRefreshToken(token(old, grantId));
            List<OneTimeUse> results = race(i -> store.rotateRefreshToken(old, token(old + "-next" + i, grantId),
                    T0.plusSeconds(1)));
            assertExactlyOneUse(results, grantId, round);
            assertEquals(2L, longOf("SELECT COUNT(*) FROM obkm_refresh_token WHERE grant_id = '" + grantId + "'"),
                    "the old token and exactly one next token, round " + round);
        }
    }

    private static void assertExactlyOneUse(List<OneTimeUse> results, String grantId, int round) {
        assertEquals(1, results.stream().filter(r -> r.outcome() == Outcome.USED).count(),
                "round " + round + ": " + results);
        assertTrue(results.stream().allMatch(r -> r.grantId().equals(grantId)
                && (r.outcome() == Outcome.USED || r.outcome() == Outcome.ALREADY_USED)), results.toString());
    }

    /** Runs {@value #RACERS} attempts at once, each on its own thread (and so its own connection). */
    private static List<OneTimeUse> race(IntFunction<OneTimeUse> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CyclicBarrier start = new CyclicBarrier(RACERS);
        try {
            List<Future<OneTimeUse>> futures = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return attempt.apply(n);
                }));
            }
            List<OneTimeUse> results = new ArrayList<>();
            for (Future<OneTimeUse> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    protected Long longOf(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql);
                ResultSet rs = p.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }
    }
}
