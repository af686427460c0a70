package org.obkm.oauth.internal.endpoint;

import java.util.concurrent.atomic.AtomicInteger;

import org.obkm.api.health.DrainControl;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful stop of a node. When the framework begins to stop ({@code bin/stop}, {@code obkm-shell
 * shutdown}) or the JVM is asked to end (SIGTERM: Karaf itself stops nothing then), {@code /health}
 * answers 503 {@code DRAINING} at once, so the load balancer takes the node out, while every endpoint
 * goes on serving: what is in flight finishes and what the balancer still sends is answered. The drain
 * ends once no request has come for {@code quietMillis} and none is in flight, at the latest after
 * {@code drainSeconds}; only then does the framework stop its bundles, the cluster member among them,
 * which leaves the cluster gracefully (its partitions move to the other members).
 *
 * <p>The framework fires the system bundle's STOPPING event synchronously, before it stops any bundle:
 * the drain runs inside that event, whoever stops the framework (the shutdown port of {@code bin/stop},
 * the shell, Karaf at SIGTERM). A JVM shutdown hook of this component makes sure of it at SIGTERM: it
 * drains and stops the framework unless that is already under way, and waits for the stop, so that the
 * JVM does not end before the cluster member has left.
 */
@Component(service = {NodeDrain.class, DrainControl.class}, configurationPid = NodeDrain.PID, immediate = true)
@Designate(ocd = DrainConfig.class)
public final class NodeDrain implements DrainControl {

    static final String PID = "org.obkm.shutdown";
    private static final Logger LOG = LoggerFactory.getLogger(NodeDrain.class);
    private static final long FRAMEWORK_STOP_MILLIS = 60_000;

    /** Where the node is in its life: serving, draining, then stopping (the drain is over). */
    public enum Phase { SERVING, DRAINING, STOPPING }

    private record Limits(long drainMillis, long quietMillis) {
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final BundleContext context;
    /** The framework, taken at activation: this bundle's context is void once the framework stops it. */
    private final Bundle system;
    private final SynchronousBundleListener frameworkStopping;
    private final Thread shutdownHook;
    private volatile Limits limits;
    private volatile long lastRequestNanos = System.nanoTime();
    private volatile Phase phase = Phase.SERVING;
    /** Drained by an operator ({@link #drain()}), not by a stop: {@link #resume()} may end it; guarded by this. */
    private boolean held;

    @Activate
    public NodeDrain(BundleContext context, DrainConfig config) {
        this.limits = limits(config);
        this.context = context;
        this.system = context.getBundle(0);
        this.frameworkStopping = event -> {
            if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
                drain("the node is stopping");
            }
        };
        context.addBundleListener(frameworkStopping);
        this.shutdownHook = new Thread(this::onSigterm, "obkm-drain");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A node that never stops, for tests of the filter and health alone. */
    public static NodeDrain serving() {
        return new NodeDrain();
    }

    private NodeDrain() {
        this.context = null;
        this.system = null;
        this.frameworkStopping = null;
        this.shutdownHook = null;
        this.limits = new Limits(0, 0);
    }

    @Modified
    void modified(DrainConfig config) {
        limits = limits(config);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(frameworkStopping);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is ending: the hook is what stops the framework.
        }
    }

    /** Until no request came for the quiet time and none is in flight, at most the drain bound. */
    private void awaitQuiet(Limits l, long begin) {
        long quietNanos = l.quietMillis() * 1_000_000;
        long end = begin + l.drainMillis() * 1_000_000;
        try {
            while (System.nanoTime() < end
                    && (inFlight.get() > 0 || System.nanoTime() - Math.max(lastRequestNanos, begin) < quietNanos)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Limits limits(DrainConfig config) {
        return new Limits(Math.max(0, config.drainSeconds()) * 1000L, Math.max(0, config.quietMillis()));
    }

    public Phase phase() {
        return phase;
    }

    @Override
    public String phaseName() {
        return phase.name();
    }

    @Override
    public synchronized int drain() {
        if (phase == Phase.STOPPING) {
            throw new IllegalStateException("the node is stopping");
        }
        if (phase == Phase.SERVING) {
            phase = Phase.DRAINING;
            held = true;
            LOG.info("Draining at an operator's request: /health answers 503 until obkm:node-drain --undo");
        }
        awaitQuiet(limits, System.nanoTime());
        return inFlight.get();
    }

    @Override
    public synchronized boolean resume() {
        if (phase != Phase.DRAINING || !held) {
            return false;
        }
        held = false;
        phase = Phase.SERVING;
        LOG.info("Drain ended at an operator's request: /health answers as before");
        return true;
    }

    /** A request begins (the transport filter); pair with {@link #exit()}. */
    public void enter() {
        lastRequestNanos = System.nanoTime();
        inFlight.incrementAndGet();
    }

    public void exit() {
        inFlight.decrementAndGet();
    }

    /**
     * The JVM is ending: unless the framework is already stopping (and drained in its STOPPING event),
     * drain and stop it here, and in any case let the JVM end only once the framework has stopped, so
     * that the cluster member leaves gracefully.
     */
    private void onSigterm() {
        if (!(system instanceof Framework framework)) {
            return;
        }
        try {
            if (framework.getState() == Bundle.ACTIVE) {
                drain("the JVM is ending (SIGTERM)");
                framework.stop();
            }
            framework.waitForStop(FRAMEWORK_STOP_MILLIS);
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Stopping the framework at SIGTERM failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails health, serves on until quiet (bounded), then lets the stop go on. Runs once. */
    synchronized void drain(String why) {
        if (phase == Phase.STOPPING) {
            return;
        }
        Limits l = limits;
        long begin = System.nanoTime();
        // A node an operator drained is out of rotation already: it waits for quiet again all the same.
        held = false;
        phase = Phase.DRAINING;
        LOG.info("Draining: {}; /health answers 503 while requests are served for at most {} ms", why,
                l.drainMillis());
        awaitQuiet(l, begin);
        phase = Phase.STOPPING;
        LOG.info("Drained in {} ms ({} requests still in flight); stopping", (System.nanoTime() - begin) / 1_000_000,
                inFlight.get());
    }
}
