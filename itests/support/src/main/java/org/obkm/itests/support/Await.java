package org.obkm.itests.support;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Polls until a condition holds or a deadline passes: never an unbounded loop, never a fixed wait.
 * Two forms: a {@link Condition} (an assertion failing in it means "not yet"), and a {@link Probe}
 * that yields a value (an assertion failing in it ends the wait at once: a node that died will not
 * come up).
 */
public final class Await {

    /** A condition that may fail while it is not yet true (the node still starting, say). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** A probe: a value once there is one, empty while not yet; an AssertionError gives up. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> probe() throws Exception;
    }

    /** What a poll found, and how long and how many probes it took. */
    public record Result<T>(T value, long elapsedMillis, int attempts) { }

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds; fails with {@code what}, the last exception or assertion
     * failure of the condition and {@code diagnostics} when {@code timeout} passes first.
     */
    public static void until(String what, Duration timeout, Condition condition, Supplier<String> diagnostics) {
        poll(what, timeout, INTERVAL, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                diagnostics, true);
    }

    public static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, condition, () -> "");
    }

    /**
     * Calls {@code probe} every {@code interval} until it returns a value; an exception means "not yet",
     * an AssertionError fails at once. On timeout fails with {@code what}, the last probe's exception
     * and {@code diagnostics} (node log tails, say).
     */
    public static <T> Result<T> until(String what, Duration timeout, Duration interval, Probe<T> probe,
            Supplier<String> diagnostics) {
        return poll(what, timeout, interval, probe, diagnostics, false);
    }

    private static <T> Result<T> poll(String what, Duration timeout, Duration interval, Probe<T> probe,
            Supplier<String> diagnostics, boolean assertionMeansNotYet) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int attempts = 0;
        Throwable last = null;
        while (true) {
            attempts++;
            try {
                Optional<T> v = probe.probe();
                if (v.isPresent()) {
                    return new Result<>(v.get(), (System.nanoTime() - start) / 1_000_000, attempts);
                }
            } catch (AssertionError e) {
                if (!assertionMeansNotYet) {
                    throw e;
                }
                last = e;
            } catch (Exception e) {
                last = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms (" + attempts + " attempts): "
                        + what + "; last probe: " + (last == null ? "not yet" : last) + "\n" + diagnostics.get(), last);
            }
            LockSupport.parkNanos(Math.min(interval.toNanos(), left));
        }
    }
}
