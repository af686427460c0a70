package org.obkm.itests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The two forms of {@link Await}: what each takes as "not yet", and what a timeout reports. */
class AwaitTest {

    @Test
    void aConditionIsRetriedAfterExceptionsAndAssertionFailures() {
        AtomicInteger calls = new AtomicInteger();
        Await.until("third call", Duration.ofSeconds(10), () -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("not listening yet");
            }
            if (n == 2) {
                throw new AssertionError("health: 503");
            }
            return true;
        });
        assertEquals(3, calls.get());
    }

    @Test
    void aProbeThatFailsAnAssertionEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError dead = new AssertionError("node exited while starting");
        AssertionError thrown = assertThrows(AssertionError.class, () -> Await.until("never", Duration.ofSeconds(10),
                Duration.ofMillis(10), () -> {
                    calls.incrementAndGet();
                    throw dead;
                }, () -> ""));
        assertSame(dead, thrown);
        assertEquals(1, calls.get());
    }

    @Test
    void aProbeIsRetriedAfterExceptionsAndCountsItsAttempts() {
        AtomicInteger calls = new AtomicInteger();
        Await.Result<String> r = Await.until("value", Duration.ofSeconds(10), Duration.ofMillis(1), () -> {
            if (calls.incrementAndGet() < 3) {
                throw new java.io.UncheckedIOException(new java.io.IOException("connection refused"));
            }
            return Optional.of("up");
        }, () -> "");
        assertEquals("up", r.value());
        assertEquals(3, r.attempts());
    }

    @Test
    void aTimeoutNamesTheWaitTheLastFailureAndTheDiagnostics() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("the node serving",
                Duration.ofMillis(50), () -> {
                    throw new IllegalStateException("refused");
                }, () -> "log tail"));
        assertTrue(e.getMessage().contains("the node serving"), e.getMessage());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertTrue(e.getMessage().contains("log tail"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
    }
}
