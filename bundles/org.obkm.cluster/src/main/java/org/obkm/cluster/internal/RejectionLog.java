package org.obkm.cluster.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line, without stack trace, per refused piece of cluster traffic (a bad tag, a replay, an
 * unexpected class, undecodable bytes), at most {@link #BURST} lines a minute: whoever floods the
 * cluster port cannot flood the log. Lines beyond the bound are counted and reported with the next
 * line allowed. The reason names the kind of refusal and where, never the content.
 */
final class RejectionLog {

    static final int BURST = 20;
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);

    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong logged = new AtomicLong();
    private long windowStart;
    private int linesInWindow;
    private long suppressed;

    RejectionLog() {
        this(LOG::warn, System::nanoTime);
    }

    RejectionLog(Consumer<String> sink, LongSupplier nanoTime) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    /** Records one refusal; {@code where} and {@code reason} must hold no attacker-chosen text. */
    void refused(String where, String reason) {
        refused.incrementAndGet();
        String line;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (now - windowStart > WINDOW_NANOS) {
                windowStart = now;
                linesInWindow = 0;
            }
            if (linesInWindow >= BURST) {
                suppressed++;
                return;
            }
            linesInWindow++;
            line = "Refused cluster traffic on " + where + ": " + reason
                    + (suppressed > 0 ? " (" + suppressed + " more refusals not logged)" : "");
            suppressed = 0;
        }
        logged.incrementAndGet();
        sink.accept(line);
    }

    /** How many refusals there were since start, logged or not (for tests and metrics). */
    long count() {
        return refused.get();
    }

    /** How many lines were logged since start. */
    long logged() {
        return logged.get();
    }
}
