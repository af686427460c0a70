package org.obkm.itests.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Polls a probe until it yields a value or a deadline passes; never an unbounded loop. */
final class Poll {

    /** What a poll found, and how long and how many probes it took. */
    record Result<T>(T value, long elapsedMillis, int attempts) { }

    private Poll() { }

    /**
     * Calls {@code probe} every {@code interval} until it returns a value; on timeout fails with
     * {@code what}, the last probe's exception or description, and {@code diagnostics} (node log tails).
     */
    static <T> Result<T> until(String what, Duration timeout, Duration interval, Probe<T> probe,
            Supplier<String> diagnostics) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int attempts = 0;
        String last = "no probe ran";
        while (true) {
            attempts++;
            try {
                Optional<T> v = probe.probe();
                if (v.isPresent()) {
                    return new Result<>(v.get(), (System.nanoTime() - start) / 1_000_000, attempts);
                }
                last = "not yet";
            } catch (Exception e) {
                last = e.toString();
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms (" + attempts
                        + " attempts) waiting for: " + what + "\nlast probe: " + last + "\n" + diagnostics.get());
            }
            LockSupport.parkNanos(Math.min(interval.toNanos(), deadline - now));
        }
    }

    @FunctionalInterface
    interface Probe<T> {
        Optional<T> probe() throws Exception;
    }
}
