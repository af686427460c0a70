package org.obkm.benchmarks;

import java.util.concurrent.TimeUnit;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;

/**
 * JWS signature checks as the node makes them for a client's assertions, request objects and DPoP
 * proofs: Nimbus' verifiers on the JDK's providers against the same verifiers on Bouncy Castle's
 * (what the node's {@code EcVerification} selects for ECDSA). One token, verified over and over; the
 * ratio of the two rows of an algorithm in one run is the figure, not their absolute rates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class VerifyBenchmark {

    private SignedJWT es256;
    private SignedJWT ps256;
    private ECDSAVerifier es256Jdk;
    private ECDSAVerifier es256Bc;
    private RSASSAVerifier ps256Jdk;
    private RSASSAVerifier ps256Bc;

    @Setup(Level.Trial)
    public void setup() throws JOSEException, java.text.ParseException {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("p256").generate();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate();
        es256 = SignedJWT.parse(SigningBenchmark.sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ec)));
        ps256 = SignedJWT.parse(SigningBenchmark.sign(new JWSHeader(JWSAlgorithm.PS256), new RSASSASigner(rsa)));
        BouncyCastleProvider bc = new BouncyCastleProvider();
        es256Jdk = new ECDSAVerifier(ec.toECPublicKey());
        es256Bc = new ECDSAVerifier(ec.toECPublicKey());
        es256Bc.getJCAContext().setProvider(bc);
        ps256Jdk = new RSASSAVerifier(rsa.toRSAPublicKey());
        ps256Bc = new RSASSAVerifier(rsa.toRSAPublicKey());
        ps256Bc.getJCAContext().setProvider(bc);
        if (!es256Jdk.verify(es256.getHeader(), es256.getSigningInput(), es256.getSignature())
                || !es256Bc.verify(es256.getHeader(), es256.getSigningInput(), es256.getSignature())
                || !ps256Jdk.verify(ps256.getHeader(), ps256.getSigningInput(), ps256.getSignature())
                || !ps256Bc.verify(ps256.getHeader(), ps256.getSigningInput(), ps256.getSignature())) {
            throw new IllegalStateException("a verifier refused a valid signature");
        }
    }

    @Benchmark
    public boolean es256Jdk() throws JOSEException {
        return es256Jdk.verify(es256.getHeader(), es256.getSigningInput(), es256.getSignature());
    }

    @Benchmark
    public boolean es256BouncyCastle() throws JOSEException {
        return es256Bc.verify(es256.getHeader(), es256.getSigningInput(), es256.getSignature());
    }

    @Benchmark
    public boolean ps256Jdk() throws JOSEException {
        return ps256Jdk.verify(ps256.getHeader(), ps256.getSigningInput(), ps256.getSignature());
    }

    @Benchmark
    public boolean ps256BouncyCastle() throws JOSEException {
        return ps256Bc.verify(ps256.getHeader(), ps256.getSigningInput(), ps256.getSignature());
    }
}
