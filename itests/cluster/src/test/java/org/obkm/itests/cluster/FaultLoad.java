package org.obkm.itests.cluster;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Https;

/**
 * Continuous load through the load balancer while nodes die, stall and restart. Each client_credentials
 * thread loops: a token, its introspection (must be active), and every third token its revocation and a
 * second introspection (must be inactive, on whichever node the balancer picks). The flow thread runs
 * complete FAPI 2.0 flows: PAR, authorize, login page, login, consent page, consent, token, refresh.
 * Every request is an {@link Outcome}; a request fails when it gets no answer within the client's
 * time-out or not the answer it should. What a node acknowledged goes to the ledger (tokens, revocations,
 * redeemed codes, the flows' last access tokens) that the test checks on every node afterwards.
 */
final class FaultLoad implements AutoCloseable {

    record Client(String id, String secret) { }

    /** One request: when it started and ended (ms since the load began), what, and whether it succeeded. */
    record Outcome(long startMillis, long endMillis, String op, boolean ok, String detail) { }

    static final String USER = "it-faults-psu";
    static final String PASSWORD = "Faults-psu-pass-1";
    static final String REDIRECT_URI = "https://tpp.example.test/cb";

    private final Https https;
    private final String lb;
    private final Client client;
    private final FlowClient flows;
    private final String issuer;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    /** Acknowledged tokens not revoked, with the time of their acknowledgement. */
    final Map<String, Long> live = new ConcurrentHashMap<>();
    /** Tokens whose revocation was sent and not acknowledged (yet): active or not, both are right. */
    final java.util.Set<String> revoking = ConcurrentHashMap.newKeySet();
    /** Acknowledged revocations, with the time of their acknowledgement. */
    final Map<String, Long> revoked = new ConcurrentHashMap<>();
    /** The last access token of each completed flow (after its refresh). */
    final Map<String, Long> flowTokens = new ConcurrentHashMap<>();
    /** Redeemed authorization codes and refresh tokens: each was acknowledged exactly once. */
    final Map<String, Long> redeemed = new ConcurrentHashMap<>();

    /**
     * @param https  the clients' HTTPS, with the time-out they give up after
     * @param lb     the balancer's base URL
     * @param flows  the FAPI client sending to the balancer (null: no flows)
     */
    FaultLoad(Https https, String lb, Client client, int tokenThreads, FlowClient flows, String issuer,
            int arrivalsPerSecond) {
        this.https = https;
        this.lb = lb;
        this.client = client;
        this.flows = flows;
        this.issuer = issuer;
        for (int i = 0; i < tokenThreads; i++) {
            start("fault-load-" + i, this::tokenLoop);
        }
        if (flows != null) {
            start("fault-flows", this::flowLoop);
        }
        if (arrivalsPerSecond > 0) {
            start("fault-arrivals", () -> arrivals(arrivalsPerSecond));
        }
    }

    /**
     * New clients arriving at a steady rate, each with one token request, whether or not earlier ones
     * have been answered (an open load, as many independent TPPs are): a request stuck on a node that
     * stands still holds up its own client only, so these show whether the other nodes carry on.
     */
    private void arrivals(int perSecond) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-arrival");
            t.setDaemon(true);
            return t;
        });
        String basic = Https.basic(client.id(), client.secret());
        long periodNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        try {
            while (running.get()) {
                pool.execute(() -> {
                    Https.Response r = call("token-arrival", () -> https.postForm(lb + "/oauth2/token",
                            Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization",
                            basic), t -> t.status() == 200 && t.string("access_token") != null);
                    if (r != null) {
                        live.put(r.string("access_token"), nowMillis());
                    }
                });
                next += periodNanos;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
            }
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void start(String name, Runnable loop) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    long nowMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void tokenLoop() {
        long n = 0;
        String basic = Https.basic(client.id(), client.secret());
        while (running.get()) {
            n++;
            Https.Response token = call("token", () -> https.postForm(lb + "/oauth2/token",
                    Https.form("grant_type", "client_credentials", "scope", "accounts"), "Authorization", basic),
                    r -> r.status() == 200 && r.string("access_token") != null);
            if (token == null) {
                continue;
            }
            String at = token.string("access_token");
            live.put(at, nowMillis());
            call("introspect", () -> https.postForm(lb + "/oauth2/introspect", Https.form("token", at),
                    "Authorization", basic), r -> r.status() == 200 && Boolean.TRUE.equals(r.json().get("active")));
            if (n % 3 == 0) {
                // Until acknowledged, a revocation may or may not have taken effect (a node dying with it).
                revoking.add(at);
                live.remove(at);
                Https.Response rv = call("revoke", () -> https.postForm(lb + "/oauth2/revoke", Https.form("token", at),
                        "Authorization", basic), r -> r.status() == 200);
                if (rv != null) {
                    revoked.put(at, nowMillis());
                    revoking.remove(at);
                    call("introspect-revoked", () -> https.postForm(lb + "/oauth2/introspect",
                            Https.form("token", at), "Authorization", basic),
                            r -> r.status() == 200 && Boolean.FALSE.equals(r.json().get("active")));
                }
            }
        }
    }

    private void flowLoop() {
        while (running.get()) {
            FlowBrowser browser = new FlowBrowser(https, () -> "");
            FlowClient.Authorization auth = flows.newAuthorization("openid accounts");
            String requestUri = step("par", () -> flows.push(auth));
            if (requestUri == null) {
                continue;
            }
            FlowBrowser.Page login = step("authorize", () -> browser.start(lb, lb, flows.clientId(), requestUri));
            if (login == null) {
                continue;
            }
            FlowBrowser.Redirect toConsent = step("login", () -> browser.submit(lb, "/authn/login", login,
                    "username", USER, "password", PASSWORD));
            if (toConsent == null || !expect("login", toConsent.isSeeOther()
                    && toConsent.location().startsWith("/authn/consent?flow="), toConsent)) {
                continue;
            }
            FlowBrowser.Page consent = step("consent-page", () -> browser.page(lb, toConsent.location()));
            if (consent == null || !expect("consent-page", consent.status() == 200, consent.status())) {
                continue;
            }
            FlowBrowser.Redirect back = step("consent", () -> browser.submit(lb, "/authn/consent", consent,
                    "decision", "approve"));
            if (back == null || !expect("consent", back.isSeeOther()
                    && back.location().startsWith(REDIRECT_URI + "?"), back)) {
                continue;
            }
            Map<String, String> q = Https.query(URI.create(back.location()));
            if (!expect("consent", q.get("code") != null && auth.state().equals(q.get("state"))
                    && issuer.equals(q.get("iss")), back.location())) {
                continue;
            }
            Https.Response tokens = call("code", () -> flows.redeem(q.get("code"), auth),
                    r -> r.status() == 200 && r.string("refresh_token") != null);
            if (tokens == null) {
                continue;
            }
            redeemed.put("code " + q.get("code"), nowMillis());
            String rt = tokens.string("refresh_token");
            Https.Response refreshed = call("refresh", () -> flows.refresh(rt),
                    r -> r.status() == 200 && r.string("access_token") != null);
            if (refreshed != null) {
                redeemed.put("refresh " + rt, nowMillis());
                flowTokens.put(refreshed.string("access_token"), nowMillis());
            }
        }
    }

    /** A flow step that fails by throwing (FlowBrowser's checks) or by an unexpected answer afterwards. */
    private <T> T step(String op, Supplier<T> send) {
        long at = nowMillis();
        try {
            T v = send.get();
            outcomes.add(new Outcome(at, nowMillis(), op, true, ""));
            return v;
        } catch (RuntimeException | AssertionError e) {
            failed(at, op, e.toString());
            return null;
        }
    }

    /** Turns the last outcome of {@code op} into a failure when {@code ok} does not hold. */
    private boolean expect(String op, boolean ok, Object detail) {
        if (!ok) {
            long at = nowMillis();
            outcomes.add(new Outcome(at, at, op, false, "unexpected: " + abbreviate(String.valueOf(detail))));
        }
        return ok;
    }

    private Https.Response call(String op, Supplier<Https.Response> send, Predicate<Https.Response> ok) {
        long at = nowMillis();
        try {
            Https.Response r = send.get();
            if (r != null && !ok.test(r)) {
                failed(at, op, r.status() + " " + abbreviate(r.body()));
                return null;
            }
            outcomes.add(new Outcome(at, nowMillis(), op, true, ""));
            return r;
        } catch (RuntimeException | AssertionError e) {
            failed(at, op, abbreviate(e.toString()));
            return null;
        }
    }

    private void failed(long at, String op, String detail) {
        if (running.get()) {
            outcomes.add(new Outcome(at, nowMillis(), op, false, detail));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    /** The requests that started in [from, to]. */
    List<Outcome> between(long fromMillis, long toMillis) {
        return outcomes.stream().filter(o -> o.startMillis() >= fromMillis && o.startMillis() <= toMillis)
                .sorted(Comparator.comparingLong(Outcome::startMillis)).toList();
    }

    static List<Outcome> failures(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> !o.ok()).toList();
    }

    /**
     * The client-visible error window: from the first failure a client saw (the end of a failed request:
     * a broken connection, an error answer, its time-out) to the last one (0 without failures).
     */
    static long errorWindowMillis(List<Outcome> outcomes) {
        List<Outcome> f = failures(outcomes);
        if (f.isEmpty()) {
            return 0;
        }
        long first = f.stream().mapToLong(Outcome::endMillis).min().orElseThrow();
        long last = f.stream().mapToLong(Outcome::endMillis).max().orElseThrow();
        return last - first;
    }

    /**
     * How long after {@code fromMillis} requests succeed again without a pause: the end of the last
     * {@code bucketMillis} slot before {@code toMillis} in which no request succeeded, from {@code fromMillis}.
     */
    long carryOnMillis(long fromMillis, long toMillis, long bucketMillis) {
        java.util.Set<Long> served = new java.util.HashSet<>();
        for (Outcome o : outcomes) {
            if (o.ok() && o.endMillis() >= fromMillis && o.endMillis() <= toMillis) {
                served.add((o.endMillis() - fromMillis) / bucketMillis);
            }
        }
        long slots = (toMillis - fromMillis) / bucketMillis;
        long lastEmpty = -1;
        for (long s = 0; s < slots; s++) {
            if (!served.contains(s)) {
                lastEmpty = s;
            }
        }
        return (lastEmpty + 1) * bucketMillis;
    }

    /** Requests by the second (of the load's clock) their client saw the outcome: ok and failed, with the failures' ops. */
    static String bySecond(List<Outcome> outcomes) {
        Map<Long, long[]> seconds = new TreeMap<>();
        Map<Long, java.util.Set<String>> failedOps = new TreeMap<>();
        for (Outcome o : outcomes) {
            long s = o.endMillis() / 1000;
            seconds.computeIfAbsent(s, k -> new long[2])[o.ok() ? 0 : 1]++;
            if (!o.ok()) {
                failedOps.computeIfAbsent(s, k -> new java.util.TreeSet<>()).add(o.op());
            }
        }
        StringBuilder sb = new StringBuilder();
        seconds.forEach((s, c) -> sb.append(String.format("  second %4d: %5d ok %4d failed%s%n", s, c[0], c[1],
                c[1] == 0 ? "" : " " + failedOps.get(s))));
        return sb.toString();
    }

    /** One line of figures: requests, failures, by kind. */
    static String summary(List<Outcome> outcomes) {
        Map<String, long[]> byOp = new TreeMap<>();
        outcomes.forEach(o -> byOp.computeIfAbsent(o.op(), k -> new long[2])[o.ok() ? 0 : 1]++);
        StringBuilder sb = new StringBuilder(outcomes.size() + " requests, " + failures(outcomes).size() + " failed (");
        byOp.forEach((op, c) -> sb.append(op).append(' ').append(c[0]).append(c[1] == 0 ? "" : "/" + c[1] + " failed")
                .append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append(')').toString();
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
