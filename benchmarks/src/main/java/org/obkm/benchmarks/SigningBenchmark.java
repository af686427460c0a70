package org.obkm.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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

/**
 * Throughput of raw JWS signing with Nimbus, as the token endpoint does it: build an RFC 9068
 * access-token claims set (~300 bytes of JSON, fresh jti/iat/exp per operation), sign it, and
 * serialize it to compact form. Nothing else (no HTTP, no persistence, no key lookup).
 *
 * <p>The signers are shared by all benchmark threads, as one signing key is shared by all request
 * threads of a node (Nimbus signers are thread-safe). Meant to be run with {@code -t 2}.
 *
 * <ul>
 *   <li>{@link #ps256} – RSASSA-PSS, RSA-2048 (FAPI 2.0 / Open Banking)
 *   <li>{@link #es256} – ECDSA, P-256 (FAPI 2.0)
 *   <li>{@link #rs256} – RSASSA-PKCS1-v1_5, RSA-2048 (Keycloak's default, for comparison)
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SigningBenchmark {

    static final String ISSUER = "https://auth.obkm.example.com/oauth2";
    static final String CLIENT_ID = "d8f2a1b0-5c6e-4f7a-9b8c-0d1e2f3a4b5c";
    static final String AUDIENCE = "https://api.bank.example.com/open-banking/v3.1/aisp";
    static final String SCOPE = "openid accounts payments fundsconfirmations";
    static final long LIFETIME_MS = 300_000L;

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private JWSHeader ps256Header;
    private JWSHeader es256Header;
    private JWSHeader rs256Header;
    private JWSSigner rsaSigner;
    private JWSSigner ecSigner;

    @Setup(Level.Trial)
    public void setup() throws JOSEException {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-2048-bench").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("p256-bench").generate();
        rsaSigner = new RSASSASigner(rsa);
        ecSigner = new ECDSASigner(ec);
        ps256Header = header(JWSAlgorithm.PS256, rsa.getKeyID());
        rs256Header = header(JWSAlgorithm.RS256, rsa.getKeyID());
        es256Header = header(JWSAlgorithm.ES256, ec.getKeyID());

        // Sanity checks, once per trial: the tokens verify and the payload has the intended size.
        check(sign(ps256Header, rsaSigner), new RSASSAVerifier(rsa.toPublicJWK()));
        check(sign(rs256Header, rsaSigner), new RSASSAVerifier(rsa.toPublicJWK()));
        check(sign(es256Header, ecSigner), new ECDSAVerifier(ec.toPublicJWK()));
    }

    @Benchmark
    public String ps256() throws JOSEException {
        return sign(ps256Header, rsaSigner);
    }

    @Benchmark
    public String es256() throws JOSEException {
        return sign(es256Header, ecSigner);
    }

    @Benchmark
    public String rs256() throws JOSEException {
        return sign(rs256Header, rsaSigner);
    }

    /** The measured operation: claims (fresh jti, iat, exp) → signed, serialized JWT. */
    static String sign(JWSHeader header, JWSSigner signer) throws JOSEException {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(CLIENT_ID)
                .audience(AUDIENCE)
                .claim("client_id", CLIENT_ID)
                .claim("scope", SCOPE)
                .jwtID(newJti())
                .issueTime(new Date(now))
                .expirationTime(new Date(now + LIFETIME_MS))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    /**
     * 128 random bits, base64url (22 chars). ThreadLocalRandom keeps the jti cost (~0.1 µs) and
     * contention negligible; the server's SecureRandom-based jti is not what is measured here.
     */
    static String newJti() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return B64URL.encodeToString(b);
    }

    private static JWSHeader header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).type(AT_JWT).keyID(kid).build();
    }

    private static void check(String compact, JWSVerifier verifier) {
        try {
            SignedJWT jwt = SignedJWT.parse(compact);
            if (!jwt.verify(verifier)) {
                throw new IllegalStateException("signature does not verify: " + compact);
            }
            int payloadBytes = jwt.getPayload().toString().getBytes(StandardCharsets.UTF_8).length;
            if (payloadBytes < 250 || payloadBytes > 350) {
                throw new IllegalStateException("claims set is " + payloadBytes + " bytes, expected ~300");
            }
        } catch (java.text.ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
