package org.obkm.oauth.internal;

import java.security.Key;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;

/**
 * Admits CPU work (signature verification and creation) a few operations at a time, first come first
 * served. With no more running than about the cores can take, each operation's latency stays close to
 * its own cost instead of every request sharing the cores with all others: a lower p99 at the same
 * throughput. Only the signature operation holds a permit, never the I/O around it (the database, the
 * cluster, a client's {@code jwks_uri}): a request waiting for I/O takes nothing from the others.
 *
 * <p>Gated today: DPoP proof checks ({@link DpopProofs}), client assertion and request object checks
 * when their owners pass the gate in ({@link ClientAssertionVerifier}, {@link RequestObjectVerifier}),
 * the signing of token responses ({@link UserTokens}), and the check of our own access tokens' signatures
 * ({@link AccessTokenVerifier}: introspection, userinfo, revocation).
 *
 * <p>An operation that waits longer than the queue timeout fails with {@link Overloaded}, which
 * {@link Failures} answers {@code 503 temporarily_unavailable}. A configuration change applies to
 * operations that start after it; running ones release the permits they took.
 *
 * <p><b>Admission.</b> The signature is not a request's only CPU work: TLS, parsing, client
 * authentication, JSON and the database lookups around it cost about as much again. With 16 requests
 * doing that at once on two cores, each one is slowed by all others and the tail grows (measured: an
 * introspection p99 twice as high as with whole requests admitted a few at a time). So the
 * client-authenticated endpoints also take an <em>admission</em> for the whole request
 * ({@link #admit()}), first come first served, two per core by default. An admission is never a reason
 * to fail or to stall: a request that waited {@code admissionWaitMillis} for one goes on without it,
 * and a request that leaves the node for the network (a client's {@code jwks_uri}) gives its admission
 * back meanwhile ({@link #awayForIo}), so a slow TPP server cannot hold the node's admissions.
 */
@Component(service = CpuGate.class, configurationPid = CpuGate.PID)
@Designate(ocd = CpuGateConfig.class)
public final class CpuGate {

    static final String PID = "org.obkm.http.cpugate";

    /** A piece of CPU work that may throw a checked exception of its own. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** No permit came within the queue timeout: the node is overloaded (a 503, not a 500). */
    public static final class Overloaded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overloaded(String message) {
            super(message);
        }
    }

    /**
     * A request's admission, closed when the request is answered. Closing one that was not granted (the
     * wait ran out, admission is off, or the thread already holds one) does nothing.
     */
    public static final class Admission implements AutoCloseable {
        private static final Admission NOT_HELD = new Admission(false);
        private final boolean held;

        private Admission(boolean held) {
            this.held = held;
        }

        /** Whether this request runs holding an admission (for tests). */
        public boolean held() {
            return held;
        }

        @Override
        public void close() {
            if (held) {
                Semaphore s = ADMITTED.get();
                ADMITTED.remove();
                if (s != null) {
                    s.release();
                }
            }
        }
    }

    /** The admission semaphore this thread's request holds, if it holds one. */
    private static final ThreadLocal<Semaphore> ADMITTED = new ThreadLocal<>();

    private record Limits(Semaphore permits, long timeoutMillis, Semaphore admission, long admissionWaitMillis) {
    }

    private volatile Limits limits;

    @Activate
    public CpuGate(CpuGateConfig config) {
        this(config.permits(), config.queueTimeoutMillis(), config.admissionPermits(), config.admissionWaitMillis());
    }

    /** A gate without admission of whole requests. */
    public CpuGate(int permits, long queueTimeoutMillis) {
        this(permits, queueTimeoutMillis, -1, 0);
    }

    public CpuGate(int permits, long queueTimeoutMillis, int admissionPermits, long admissionWaitMillis) {
        this.limits = limits(permits, queueTimeoutMillis, admissionPermits, admissionWaitMillis);
    }

    /** A gate that admits everything at once, for the code paths not yet given the node's gate. */
    public static CpuGate ungated() {
        return new CpuGate(Integer.MAX_VALUE, 0);
    }

    @Modified
    public void modified(CpuGateConfig config) {
        limits = limits(config.permits(), config.queueTimeoutMillis(), config.admissionPermits(),
                config.admissionWaitMillis());
    }

    private static Limits limits(int permits, long timeoutMillis, int admissionPermits, long admissionWaitMillis) {
        if (permits < 0 || timeoutMillis < 0 || admissionWaitMillis < 0) {
            throw new IllegalArgumentException(
                    "CPU gate permits, queue timeout and admission wait must not be negative");
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int n = permits == 0 ? 2 * cores : permits;
        Semaphore admission = admissionPermits < 0 ? null
                : new Semaphore(admissionPermits == 0 ? 2 * cores : admissionPermits, true);
        return new Limits(new Semaphore(n, true), timeoutMillis, admission, admissionWaitMillis);
    }

    /**
     * Admits a whole request, first come first served: use in try-with-resources around the request's
     * work. Waits at most {@code admissionWaitMillis}; then the request goes on without an admission
     * rather than wait longer (an admission orders the load, it never refuses or stalls a request).
     */
    public Admission admit() {
        Limits l = limits;
        if (l.admission() == null || ADMITTED.get() != null || !tryAcquireQuietly(l.admission(), l.admissionWaitMillis())) {
            return Admission.NOT_HELD;
        }
        ADMITTED.set(l.admission());
        return new Admission(true);
    }

    /**
     * Runs network I/O of the current request (a client's {@code jwks_uri}) without its admission, so
     * that a slow server elsewhere holds none of the node's; the admission is taken again afterwards (with
     * the same bounded wait, else the request finishes without it).
     */
    public static <T, E extends Exception> T awayForIo(Work<T, E> work) throws E {
        Semaphore held = ADMITTED.get();
        if (held == null) {
            return work.run();
        }
        ADMITTED.remove();
        held.release();
        try {
            return work.run();
        } finally {
            if (tryAcquireQuietly(held, 200)) {
                ADMITTED.set(held);
            }
        }
    }

    /** Whether the current thread's request holds an admission (for tests). */
    static boolean admitted() {
        return ADMITTED.get() != null;
    }

    private static boolean tryAcquireQuietly(Semaphore s, long waitMillis) {
        try {
            return s.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the work holding one permit. */
    public <T, E extends Exception> T run(Work<T, E> work) throws E {
        Limits l = limits;
        acquire(l);
        try {
            return work.run();
        } finally {
            l.permits().release();
        }
    }

    /** Free permits now, for tests and health. */
    public int available() {
        return limits.permits().availablePermits();
    }

    /**
     * Verifiers for Nimbus' JWT processors: the processor selects keys (which may fetch a
     * {@code jwks_uri}) outside the gate, and only the signature check runs inside it.
     */
    public JWSVerifierFactory verifiers() {
        return new GatedVerifiers(new DefaultJWSVerifierFactory());
    }

    /**
     * Nimbus wraps whatever a verifier throws into a {@link JOSEException}; a verifier that waited in vain
     * for a permit must still end as a 503, not as a bad signature.
     */
    public static void rethrowOverload(JOSEException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof Overloaded o) {
                throw o;
            }
        }
    }

    private static void acquire(Limits l) {
        try {
            if (!l.permits().tryAcquire(l.timeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new Overloaded("no CPU permit within " + l.timeoutMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded("interrupted while waiting for a CPU permit");
        }
    }

    private final class GatedVerifiers implements JWSVerifierFactory {
        private final DefaultJWSVerifierFactory delegate;

        GatedVerifiers(DefaultJWSVerifierFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            JWSVerifier verifier = EcVerification.tuned(delegate.createJWSVerifier(header, key));
            return new JWSVerifier() {
                @Override
                public boolean verify(JWSHeader h, byte[] signingInput, Base64URL signature) throws JOSEException {
                    return run(() -> verifier.verify(h, signingInput, signature));
                }

                @Override
                public Set<JWSAlgorithm> supportedJWSAlgorithms() {
                    return verifier.supportedJWSAlgorithms();
                }

                @Override
                public JCAContext getJCAContext() {
                    return verifier.getJCAContext();
                }
            };
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return delegate.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return delegate.getJCAContext();
        }
    }
}
