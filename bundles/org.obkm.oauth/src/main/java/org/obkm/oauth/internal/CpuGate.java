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

    private record Limits(Semaphore permits, long timeoutMillis) {
    }

    private volatile Limits limits;

    @Activate
    public CpuGate(CpuGateConfig config) {
        this(config.permits(), config.queueTimeoutMillis());
    }

    public CpuGate(int permits, long queueTimeoutMillis) {
        this.limits = limits(permits, queueTimeoutMillis);
    }

    /** A gate that admits everything at once, for the code paths not yet given the node's gate. */
    public static CpuGate ungated() {
        return new CpuGate(Integer.MAX_VALUE, 0);
    }

    @Modified
    public void modified(CpuGateConfig config) {
        limits = limits(config.permits(), config.queueTimeoutMillis());
    }

    private static Limits limits(int permits, long timeoutMillis) {
        if (permits < 0 || timeoutMillis < 0) {
            throw new IllegalArgumentException("CPU gate permits and queue timeout must not be negative");
        }
        int n = permits == 0 ? 2 * Runtime.getRuntime().availableProcessors() : permits;
        return new Limits(new Semaphore(n, true), timeoutMillis);
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
            JWSVerifier verifier = delegate.createJWSVerifier(header, key);
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
