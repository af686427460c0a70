package org.obkm.itests.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.obkm.itests.support.Https;

/**
 * Continuous load on one node while its database fails: each loop issues a client_credentials token,
 * introspects it and revokes every other one. What the node acknowledged (a 200 token, a 200
 * revocation) goes to the ledger that the test checks afterwards; every other answer is sorted into
 * a clean unavailability (503 {@code temporarily_unavailable} in OAuth JSON with Retry-After) or a
 * defect (anything else: a 500, a stack trace, a time-out).
 */
final class DbLoad implements AutoCloseable {

    record Client(String id, String secret) { }

    /** One answer: when (ms since start), what, and whether it is acknowledged, unavailable or bad. */
    record Outcome(long atMillis, String op, Kind kind, String detail) { }

    enum Kind { OK, UNAVAILABLE, BAD }

    private final Https https;
    private final String baseUrl;
    private final Client client;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    /** Tokens the node issued (200), with whether their revocation was acknowledged (200). */
    final Map<String, Boolean> ledger = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    DbLoad(Https https, String baseUrl, Client client, int threadCount) {
        this.https = https;
        this.baseUrl = baseUrl;
        this.client = client;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::loop, "db-load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    long nowMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void loop() {
        long n = 0;
        while (running.get()) {
            n++;
            Https.Response token = call("token", () -> https.postForm(baseUrl + "/oauth2/token",
                    Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization", basic()));
            if (token == null || token.status() != 200) {
                pause();
                continue;
            }
            String at = token.string("access_token");
            ledger.put(at, false);
            call("introspect", () -> https.postForm(baseUrl + "/oauth2/introspect", Https.form("token", at),
                    "Authorization", basic()));
            if (n % 2 == 0) {
                Https.Response revoked = call("revoke", () -> https.postForm(baseUrl + "/oauth2/revoke",
                        Https.form("token", at), "Authorization", basic()));
                if (revoked != null && revoked.status() == 200) {
                    ledger.put(at, true);
                }
            }
        }
    }

    /** A client that got 503 waits a little before it retries, as Retry-After asks (shortened here). */
    private static void pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
    }

    @FunctionalInterface
    private interface Call {
        Https.Response send() throws Exception;
    }

    private Https.Response call(String op, Call call) {
        long at = nowMillis();
        try {
            Https.Response r = call.send();
            outcomes.add(new Outcome(at, op, classify(r), r.status() + " " + abbreviate(r.body())));
            return r;
        } catch (Exception | Error e) {
            if (running.get()) {
                outcomes.add(new Outcome(at, op, Kind.BAD, e.toString()));
            }
            return null;
        }
    }

    static Kind classify(Https.Response r) {
        if (r.status() == 200) {
            return Kind.OK;
        }
        if (r.status() == 503 && "temporarily_unavailable".equals(r.string("error"))
                && r.header("Retry-After") != null && !r.body().contains("Exception")) {
            return Kind.UNAVAILABLE;
        }
        return Kind.BAD;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private String basic() {
        return Https.basic(client.id(), client.secret());
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    List<Outcome> bad() {
        return outcomes.stream().filter(o -> o.kind() == Kind.BAD).toList();
    }

    /** The first acknowledged answer at or after {@code fromMillis}, if any. */
    java.util.Optional<Outcome> firstOkAfter(long fromMillis) {
        return outcomes.stream().filter(o -> o.kind() == Kind.OK && o.atMillis() >= fromMillis)
                .min(java.util.Comparator.comparingLong(Outcome::atMillis));
    }

    /** Requests by second since the load started: ok / unavailable / bad, one line per second with a failure. */
    String bySecond(long fromMillis, long toMillis) {
        Map<Long, long[]> seconds = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.atMillis() < fromMillis || o.atMillis() > toMillis) {
                continue;
            }
            long[] c = seconds.computeIfAbsent(o.atMillis() / 1000, k -> new long[3]);
            c[o.kind().ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        seconds.forEach((s, c) -> sb.append(String.format("  second %3d: %5d ok %5d 503 %3d bad%n", s, c[0], c[1], c[2])));
        return sb.toString();
    }

    long count(Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
