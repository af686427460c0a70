package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

public class NodeDrainTest {

    private static DrainConfig config(int drainSeconds, long quietMillis) {
        return new DrainConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DrainConfig.class;
            }

            @Override
            public int drainSeconds() {
                return drainSeconds;
            }

            @Override
            public long quietMillis() {
                return quietMillis;
            }
        };
    }

    private static NodeDrain drain(int drainSeconds, long quietMillis) {
        NodeDrain d = NodeDrain.serving();
        d.modified(config(drainSeconds, quietMillis));
        return d;
    }

    @Test
    public void drainsUntilQuietThenStops() {
        NodeDrain d = drain(5, 100);
        long begin = System.nanoTime();
        d.drain("test");
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(NodeDrain.Phase.STOPPING, d.phase());
        assertTrue(millis >= 100 && millis < 2000, "drained in " + millis + " ms");
    }

    @Test
    public void waitsForTheRequestInFlight() throws Exception {
        NodeDrain d = drain(5, 50);
        d.enter();
        CompletableFuture<Void> draining = CompletableFuture.runAsync(() -> d.drain("test"));
        // Quiet for 50 ms would end the drain; the request in flight holds it well past that.
        assertThrows(TimeoutException.class, () -> draining.get(300, TimeUnit.MILLISECONDS),
                "a request in flight holds the stop");
        assertEquals(NodeDrain.Phase.DRAINING, d.phase());
        d.exit();
        draining.get(5, TimeUnit.SECONDS);
        assertEquals(NodeDrain.Phase.STOPPING, d.phase());
    }

    @Test
    public void aRequestThatNeverEndsHoldsTheStopOnlyUntilTheBound() throws Exception {
        NodeDrain d = drain(1, 50);
        d.enter();
        long begin = System.nanoTime();
        d.drain("test");
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(NodeDrain.Phase.STOPPING, d.phase());
        assertTrue(millis >= 1000 && millis < 3000, "drained in " + millis + " ms");
    }

    @Test
    public void anOperatorsDrainHoldsUntilResumed() {
        NodeDrain d = drain(5, 50);
        assertEquals(0, d.drain());
        assertEquals(NodeDrain.Phase.DRAINING, d.phase());
        assertEquals("DRAINING", d.phaseName());
        assertTrue(d.resume());
        assertEquals(NodeDrain.Phase.SERVING, d.phase());
        assertEquals(false, d.resume(), "nothing to resume while serving");
    }

    @Test
    public void aStopAfterAnOperatorsDrainStopsAndCannotBeResumed() {
        NodeDrain d = drain(5, 50);
        d.drain();
        d.drain("test");
        assertEquals(NodeDrain.Phase.STOPPING, d.phase());
        assertEquals(false, d.resume());
        assertThrows(IllegalStateException.class, d::drain);
    }
}
