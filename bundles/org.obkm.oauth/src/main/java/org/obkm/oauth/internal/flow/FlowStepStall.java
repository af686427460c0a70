package org.obkm.oauth.internal.flow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TEST ONLY. A stall inside a flow step, after the step read the flow and did its slow work (the user
 * store, the database) and before its compare-and-set, so that a cluster test can kill the node at the
 * worst moment and prove that the flow survives on another node (DESIGN rule 6).
 *
 * <p>Off unless the node's JVM is started with the system property {@value #PROPERTY} set to a file
 * path: then each sign-in and consent step creates that file (the test's signal that a step is inside)
 * and waits up to {@value #MAX_SECONDS} s before going on. Never set it on a production node.
 */
final class FlowStepStall {

    static final String PROPERTY = "obkm.test.flowStepStallFile";
    static final long MAX_SECONDS = 120;
    static final FlowStepStall OFF = new FlowStepStall(null);
    private static final Logger LOG = LoggerFactory.getLogger(FlowStepStall.class);

    private final Path signal;

    FlowStepStall(Path signal) {
        this.signal = signal;
    }

    /** From the system property {@value #PROPERTY}; {@link #OFF} when it is not set. */
    static FlowStepStall fromSystemProperty() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) {
            return OFF;
        }
        LOG.warn("TEST ONLY: flow steps stall before their write ({} is set); never use this in production", PROPERTY);
        return new FlowStepStall(Path.of(file));
    }

    /** Where a step stands between its read and its write. */
    void inStep(String step) {
        if (signal == null) {
            return;
        }
        try {
            Files.writeString(signal, step);
            LOG.warn("TEST ONLY: {} step stalls up to {} s before its write", step, MAX_SECONDS);
            // Nothing counts the latch down: the stall ends by timeout, or by the node being killed.
            new CountDownLatch(1).await(MAX_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
