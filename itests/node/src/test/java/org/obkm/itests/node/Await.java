package org.obkm.itests.node;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; never an unbounded loop, never a fixed wait. */
final class Await {

    /** A condition that may fail while it is not yet true (the node still starting, say). */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds; fails with {@code what}, the last exception the condition
     * threw and {@code diagnostics} when {@code timeout} passes first.
     */
    static void until(String what, Duration timeout, Condition condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                last = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + "; " + diagnostics.get(),
                        last);
            }
            LockSupport.parkNanos(Math.min(INTERVAL.toNanos(), left));
        }
    }

    static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, condition, () -> "");
    }
}
