package org.obkm.userstore.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;

/**
 * The lockout after failed sign-ins and the administrator's lock, counted in the database so that all
 * nodes add up; {@link JdbcUserStoreLockoutTest} runs it on H2, {@link JdbcUserStorePostgresTest} on
 * PostgreSQL.
 */
abstract class JdbcUserStoreLockoutContract extends JdbcStoreFixture {

    @Test
    void locksAfterMaxFailedAttemptsAndUnlocksWhenTheLockoutRunsOut() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
        AuthenticationResult fifth = signIn("alice", "wrong password 5");
        assertEquals(Outcome.LOCKED, fifth.outcome());
        assertEquals(clock.instant().plusSeconds(900), fifth.lockedUntil());
        assertTrue(fifth.message().contains(fifth.lockedUntil().toString()), fifth.message());

        clock.advance(Duration.ofSeconds(899));
        AuthenticationResult meanwhile = signIn("alice", PASSWORD);
        assertEquals(Outcome.LOCKED, meanwhile.outcome(), "even the right password is refused");
        assertEquals(fifth.lockedUntil(), meanwhile.lockedUntil());
        assertTrue(store.findByUsername("alice").orElseThrow().locked());

        clock.advance(Duration.ofSeconds(1));
        assertFalse(store.findByUsername("alice").orElseThrow().locked());
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void countStartsAgainWhenALockoutRunsOut() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        clock.advance(Duration.ofMinutes(15));
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
        assertEquals(Outcome.LOCKED, signIn("alice", "wrong password 5").outcome());
    }

    @Test
    void successfulSignInResetsTheFailureCount() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i < 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        assertTrue(signIn("alice", PASSWORD).isOk());
        for (int i = 1; i < 5; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome(), "attempt " + i);
        }
    }

    @Test
    void failuresOnDifferentNodesCountTogether() {
        JdbcUserStore otherNode = newStore(ITERATIONS);
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 2; i++) {
            signIn("alice", "wrong password " + i);
            otherNode.authenticate("alice", ("wrong password " + i).toCharArray());
        }
        assertEquals(Outcome.LOCKED, otherNode.authenticate("alice", "wrong password 5".toCharArray()).outcome());
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
    }

    @Test
    void concurrentFailuresAreCountedAtomically() throws Exception {
        store.add("alice", null, PASSWORD.toCharArray());
        JdbcUserStore otherNode = newStore(ITERATIONS);
        List<Callable<Outcome>> attempts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            JdbcUserStore node = i % 2 == 0 ? store : otherNode;
            attempts.add(() -> node.authenticate("alice", "wrong password".toCharArray()).outcome());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Outcome> f : pool.invokeAll(attempts)) {
                assertTrue(f.get() == Outcome.BAD_CREDENTIALS || f.get() == Outcome.LOCKED, f.get().toString());
            }
        } finally {
            pool.shutdownNow();
        }
        // Once locked, no further failure is counted: exactly maxFailedAttempts, however the attempts interleaved.
        assertEquals(5, intOf("SELECT failed_attempts FROM obkm_user"));
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
    }

    @Test
    void lockoutCanBeTurnedOff() {
        store = new JdbcUserStore(dataSource, new Settings(ITERATIONS, 0, 900, 12), clock);
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 20; i++) {
            assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", "wrong password " + i).outcome());
        }
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void administratorLockHoldsUntilUnlock() {
        store.add("alice", null, PASSWORD.toCharArray());
        store.lock("alice");
        AuthenticationResult r = signIn("alice", PASSWORD);
        assertEquals(Outcome.LOCKED, r.outcome());
        assertNull(r.lockedUntil(), "no end");
        clock.advance(Duration.ofDays(30));
        assertEquals(Outcome.LOCKED, signIn("alice", PASSWORD).outcome());
        assertEquals(Outcome.LOCKED, signIn("alice", "wrong password").outcome());
        assertTrue(store.findByUsername("alice").orElseThrow().locked());

        store.unlock("alice");
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void unlockEndsALockoutAfterFailedAttempts() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        store.unlock("alice");
        assertTrue(signIn("alice", PASSWORD).isOk());
    }

    @Test
    void passwordChangeReplacesTheOldPasswordAndEndsALockout() {
        store.add("alice", null, PASSWORD.toCharArray());
        for (int i = 1; i <= 5; i++) {
            signIn("alice", "wrong password " + i);
        }
        store.setPassword("alice", "a new long passphrase".toCharArray());
        assertEquals(Outcome.BAD_CREDENTIALS, signIn("alice", PASSWORD).outcome());
        assertTrue(signIn("alice", "a new long passphrase").isOk());
    }

    @Test
    void passwordChangeKeepsAnAdministratorLock() {
        store.add("alice", null, PASSWORD.toCharArray());
        store.lock("alice");
        store.setPassword("alice", "a new long passphrase".toCharArray());
        assertEquals(Outcome.LOCKED, signIn("alice", "a new long passphrase").outcome());
    }
}
