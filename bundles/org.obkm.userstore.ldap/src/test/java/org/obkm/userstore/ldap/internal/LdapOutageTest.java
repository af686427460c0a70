package org.obkm.userstore.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.StoreDiagnostics.Step;

/** Replicas down, a directory that accepts and never answers, a restart, a wrong service password. */
class LdapOutageTest {

    private static AuthenticationResult signIn(LdapUserStore s, String username, String password) {
        return s.authenticate(username, password.toCharArray());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void signInsGoToTheSecondReplicaWhenTheFirstIsDownAndQuickly() throws Exception {
        try (TestDirectory first = TestDirectory.plain(); TestDirectory second = TestDirectory.plain();
                LdapUserStore s = TestDirectory.store(TestDirectory.properties(first.url() + "  " + second.url()))) {
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
            first.stop();
            long t0 = System.nanoTime();
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk(), "the second replica answers");
            for (int i = 0; i < 50; i++) {
                assertTrue(signIn(s, "bob", "bob-pw-2").isOk());
            }
            long took = millisSince(t0);
            assertTrue(took < 3000, "51 sign-ins took " + took + " ms: the dead replica must be skipped");
            assertEquals(Outcome.BAD_CREDENTIALS, signIn(s, "bob", "wrong").outcome());
            List<Step> steps = s.test();
            assertFalse(steps.get(0).ok(), steps.toString());
            assertTrue(steps.stream().filter(Step::ok).count() >= 3, steps.toString());
        }
    }

    @Test
    void allReplicasDownFailsFastWithUnavailable() throws Exception {
        try (TestDirectory first = TestDirectory.plain(); TestDirectory second = TestDirectory.plain();
                LdapUserStore s = TestDirectory.store(TestDirectory.properties(first.url() + " " + second.url()))) {
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
            first.stop();
            second.stop();
            long t0 = System.nanoTime();
            assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
            assertTrue(millisSince(t0) < 3000, "took " + millisSince(t0) + " ms");
            long t1 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
            }
            assertTrue(millisSince(t1) < 500, "in back-off a sign-in fails at once; 20 took " + millisSince(t1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.findByUsername("carol"));
            assertTrue(e.getMessage().startsWith("directory of EXAMPLE.COM not reachable: " + first.url()),
                    e.getMessage());
        }
    }

    @Test
    void aDirectoryThatNeverAnswersFailsWithinTheTimeouts() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(blackHole.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> p = TestDirectory.properties("ldap://localhost:" + blackHole.getLocalPort());
            p.put("LDAPConnectionTimeout", "800");
            p.put("ReadTimeout", "800");
            try (LdapUserStore s = TestDirectory.store(p)) {
                long t0 = System.nanoTime();
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
                long took = millisSince(t0);
                // budget: connect 800 + read 800 + pool wait 800, plus margin for a loaded machine
                assertTrue(took < 2400 + 1500, "took " + took + " ms");
                assertTrue(took >= 700, "it did wait for the bind's answer: " + took + " ms");
                ReplicaPools replica = s.directory().replicas().get(0);
                // back-off over: the next one waits on the black hole again, bounded
                Await.until("the back-off of the black hole", Duration.ofSeconds(5), () -> !replica.isDown());
                long t1 = System.nanoTime();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.findByUsername("alice"));
                assertTrue(millisSince(t1) < 2400 + 1500, "took " + millisSince(t1) + " ms");
                assertTrue(e.getMessage().contains("ldap://localhost:" + blackHole.getLocalPort()), e.getMessage());
                List<Step> steps = s.test();
                assertTrue(steps.stream().anyMatch(step -> !step.ok()), steps.toString());
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void signInWorksAgainWhenTheDirectoryComesBack() throws Exception {
        try (TestDirectory dir = TestDirectory.plain(); LdapUserStore s = TestDirectory.store(dir.properties())) {
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
            assertTrue(s.findByUsername("bob").isPresent());
            dir.stop();
            assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
            dir.restart();
            long t0 = System.nanoTime();
            Await.until("the pools recover by themselves", Duration.ofSeconds(3),
                    () -> signIn(s, "alice", "alice-pw-1").isOk());
            assertTrue(millisSince(t0) < 1500, "recovered after " + millisSince(t0) + " ms (back-off 300 ms)");
            s.invalidateAll();
            assertTrue(s.findByUsername("bob").isPresent());
        }
    }

    @Test
    void aRestartBetweenRequestsIsNotNoticedBySignIns() throws Exception {
        try (TestDirectory dir = TestDirectory.plain(); LdapUserStore s = TestDirectory.store(dir.properties())) {
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
            dir.stop();
            dir.restart();
            // pooled connections are dead; they are discarded and the operation retried on fresh ones
            assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
        }
    }

    @Test
    void aWrongServicePasswordIsUnavailableNotBadCredentials() throws Exception {
        try (TestDirectory dir = TestDirectory.plain()) {
            Map<String, String> p = dir.properties();
            p.put("ConnectionPassword", "not-the-service-password");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.findByUsername("alice"));
                assertTrue(e.getMessage().contains("service account"), e.getMessage());
                assertFalse(e.getMessage().contains("not-the-service-password"));
                List<Step> steps = s.test();
                assertTrue(steps.get(0).ok());
                assertFalse(steps.get(1).ok());
                assertTrue(steps.get(1).detail().contains("invalidCredentials"), steps.get(1).detail());
            }
        }
    }

    @Test
    void anExhaustedPoolAndASlowBindAnswerUnavailableWithinBoundedTime() throws Exception {
        try (TestDirectory dir = TestDirectory.plain()) {
            Map<String, String> p = dir.properties();
            p.put("ConnectionPoolSize", "1");
            p.put("ConnectionPoolWaitTimeout", "200");
            p.put("ReadTimeout", "3000");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
                Thread slow = new Thread(() -> signIn(s, "slow", "slow-pw-5"));
                slow.start();
                Await.until("the slow sign-in holds the only authentication connection", Duration.ofSeconds(5),
                        () -> s.directory().replicas().get(0).pool(true).getNumActive() == 1);
                long t0 = System.nanoTime();
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
                assertTrue(millisSince(t0) < 1000, "pool wait 200 ms, took " + millisSince(t0));
                slow.join();
                assertTrue(signIn(s, "alice", "alice-pw-1").isOk(), "an exhausted pool is no outage");
            }
            p.put("ConnectionPoolSize", "2");
            p.put("ReadTimeout", "400");
            try (LdapUserStore s = TestDirectory.store(p)) {
                long t0 = System.nanoTime();
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "slow", "slow-pw-5").outcome());
                assertTrue(millisSince(t0) < 400 * 2 + 1000, "read timeout 400 ms, took " + millisSince(t0));
            }
        }
    }

    @Test
    void requestsBeyondTheAdmissionAreRefusedAtOnceInsteadOfHoldingThreads() throws Exception {
        try (TestDirectory dir = TestDirectory.plain()) {
            Map<String, String> p = dir.properties();
            p.put("ConnectionPoolSize", "1");
            p.put("ConnectionPoolWaitTimeout", "3000");
            p.put("ReadTimeout", "3000");
            try (LdapUserStore s = TestDirectory.store(p)) {
                assertTrue(signIn(s, "alice", "alice-pw-1").isOk());
                List<Thread> admitted = new java.util.ArrayList<>();
                for (int i = 0; i < Directory.ADMITTED_PER_CONNECTION; i++) {
                    // the first holds the only authentication connection (a slow bind), the others wait for it
                    Thread t = new Thread(() -> signIn(s, "slow", "slow-pw-5"));
                    t.start();
                    admitted.add(t);
                }
                var authPool = s.directory().replicas().get(0).pool(true);
                Await.until("one sign-in holds the connection, the others wait for it", Duration.ofSeconds(5),
                        () -> authPool.getNumActive() == 1
                                && authPool.getNumWaiters() == Directory.ADMITTED_PER_CONNECTION - 1);
                long t0 = System.nanoTime();
                assertEquals(Outcome.UNAVAILABLE, signIn(s, "alice", "alice-pw-1").outcome());
                assertTrue(millisSince(t0) < 500, "the third request is refused at once, took " + millisSince(t0));
                for (Thread t : admitted) {
                    t.join();
                }
                assertTrue(signIn(s, "alice", "alice-pw-1").isOk(), "admission is given back");
            }
        }
    }
}
