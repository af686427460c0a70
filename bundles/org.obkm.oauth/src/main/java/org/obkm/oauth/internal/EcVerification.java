package org.obkm.oauth.internal;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;

/**
 * ECDSA signature checks on Bouncy Castle's provider instead of the JDK's. A FAPI flow verifies five
 * ES256 signatures of the client (two client assertions, the request object, two DPoP proofs); on Java
 * 17 the JDK's pure-Java P-256 arithmetic makes them the largest single cost of a flow (JFR: over half
 * of the node's samples in a flow load), and Bouncy Castle's verification, on the same bundles the node
 * already carries for its TLS certificate, takes a quarter of the CPU time on Java 17 (BENCHMARKS.md,
 * "CPU per flow"). On Java 25 the JDK's own P-256 code is faster and the measurements do not favour Bouncy
 * Castle, so from Java 25 on the JDK's provider stays. The system property
 * {@code obkm.ecdsa.verify=bc|jdk} overrides the choice (for measuring). Only verification moves: it handles public values, and
 * Nimbus still checks that the key's point is on its curve and transcodes the signature itself. The
 * node's own signing stays on the JDK's providers, where its keys are.
 *
 * <p>The provider is an instance of this bundle's, not registered in {@link java.security.Security}, so
 * nothing else in the JVM changes provider.
 */
public final class EcVerification {

    /** Whether ECDSA checks run on Bouncy Castle in this JVM. */
    public static final boolean ON_BOUNCY_CASTLE = onBouncyCastle(
            System.getProperty("obkm.ecdsa.verify", ""), Runtime.version().feature());

    private EcVerification() {
    }

    static boolean onBouncyCastle(String override, int javaFeature) {
        return switch (override) {
            case "bc" -> true;
            case "jdk" -> false;
            default -> javaFeature < 25;
        };
    }

    /** The verifier, checking ECDSA signatures with Bouncy Castle; any other verifier as it is. */
    public static JWSVerifier tuned(JWSVerifier verifier) {
        if (verifier instanceof ECDSAVerifier && ON_BOUNCY_CASTLE) {
            verifier.getJCAContext().setProvider(Holder.PROVIDER);
        }
        return verifier;
    }

    /** The provider's name, for tests and the benchmark note. */
    public static String providerName() {
        return Holder.PROVIDER.getName();
    }

    /** Made on first use: constructing the provider takes tens of milliseconds, not on the start path. */
    private static final class Holder {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
