package org.obkm.itests.cluster;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.obkm.itests.support.Https;

/**
 * What a load balancer does in front of the nodes, in the test JVM: it polls each node's {@code /health}
 * every {@value #CHECK_MILLIS} ms and sends requests round-robin to the nodes whose last check was 200; a
 * request whose connection is refused goes to the next node (haproxy's {@code retry-on conn-failure} with
 * {@code redispatch}). Every other outcome, a non-2xx answer or a connection broken mid-request, is the
 * client's failure and is recorded.
 */
final class HealthBalancer implements AutoCloseable {

    static final long CHECK_MILLIS = 200;

    private final Https https;
    private final List<KarafNode> nodes;
    private final Set<KarafNode> inRotation = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> healthSeen = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Thread checker;

    HealthBalancer(Https https, List<KarafNode> nodes) {
        this.https = https;
        this.nodes = List.copyOf(nodes);
        nodes.forEach(n -> served.put(n.name, new AtomicInteger()));
        nodes.forEach(this::check);
        this.checker = new Thread(() -> {
            while (running.get()) {
                this.nodes.forEach(this::check);
                try {
                    Thread.sleep(CHECK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "balancer-health");
        checker.setDaemon(true);
        checker.start();
    }

    private void check(KarafNode n) {
        String seen;
        try {
            Https.Response r = https.get(n.baseUrl() + "/health");
            seen = r.status() + " " + r.string("status");
            if (r.status() == 200) {
                inRotation.add(n);
            } else {
                inRotation.remove(n);
            }
        } catch (RuntimeException e) {
            seen = "no answer";
            inRotation.remove(n);
        }
        healthSeen.computeIfAbsent(n.name, k -> Collections.synchronizedSet(new java.util.LinkedHashSet<>()))
                .add(seen);
    }

    /**
     * Sends one request to a node in rotation; on a refused connection, to the next one. The function
     * gets the node's base URL.
     */
    Https.Response send(Function<String, Https.Response> request) {
        List<KarafNode> candidates = new ArrayList<>(nodes.stream().filter(inRotation::contains).toList());
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no node in rotation");
        }
        int start = Math.floorMod(next.getAndIncrement(), candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            KarafNode n = candidates.get((start + i) % candidates.size());
            try {
                Https.Response r = request.apply(n.baseUrl());
                served.get(n.name).incrementAndGet();
                return r;
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof ConnectException)) {
                    throw e;
                }
                inRotation.remove(n);
            }
        }
        throw new IllegalStateException("every node refused the connection");
    }

    /** The distinct health answers seen per node, such as "200 UP", "503 DRAINING", "no answer". */
    Map<String, Set<String>> healthSeen() {
        return healthSeen;
    }

    int served(KarafNode n) {
        return served.get(n.name).get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        checker.interrupt();
        checker.join(5000);
    }
}
