package org.obkm.oauth.internal.token;

import java.text.ParseException;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.keys.KeyService;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.EcVerification;
import org.obkm.oauth.internal.ServerSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Recognises access tokens this cluster issued: an {@code at+jwt} signed by one of our keys (current
 * or retired) with our issuer. Whether a recognised token is still active is the caller's question.
 * The signature check takes a permit of the node's {@link CpuGate} (introspection, userinfo, revocation).
 */
@Component(service = AccessTokenVerifier.class)
public final class AccessTokenVerifier {

    private final KeyService keys;
    private final ServerSettings settings;
    private final CpuGate gate;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    private final Map<String, JWSVerifier> verifierCache = new ConcurrentHashMap<>();

    @Activate
    public AccessTokenVerifier(@Reference KeyService keys, @Reference ServerSettings settings, @Reference CpuGate gate) {
        this.keys = keys;
        this.settings = settings;
        this.gate = gate;
    }

    /** Ungated, for unit tests of the token path. */
    public AccessTokenVerifier(KeyService keys, ServerSettings settings) {
        this(keys, settings, CpuGate.ungated());
    }

    /** The claims of a token we issued, whatever its expiry; empty for anything else. */
    public Optional<JWTClaimsSet> recognise(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!AccessTokenIssuer.AT_JWT.equals(jwt.getHeader().getType())
                    || !ServerSettings.SIGNING_ALGORITHMS.contains(jwt.getHeader().getAlgorithm())
                    || jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            JWSVerifier verifier = verifier(jwt);
            // The signature check is CPU work: it waits for a permit of the node's gate (a 503 if none comes).
            if (verifier == null || !gate.run(() -> jwt.verify(verifier))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!settings.issuer().equals(claims.getIssuer()) || claims.getJWTID() == null
                    || claims.getExpirationTime() == null) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (NullPointerException e) {
            // Nimbus's SignedJWT.parse for a header that is the JSON null (found by OAuthParsersFuzzTest)
            return Optional.empty();
        }
    }

    /** Verifiers per key ID and algorithm; a key ID always names the same key. */
    private JWSVerifier verifier(SignedJWT jwt) throws JOSEException {
        String cacheKey = jwt.getHeader().getKeyID() + "/" + jwt.getHeader().getAlgorithm();
        JWSVerifier cached = verifierCache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Optional<JWK> key = keys.verificationKey(jwt.getHeader().getKeyID());
        if (key.isEmpty() || !(key.get() instanceof AsymmetricJWK pub)
                || !jwt.getHeader().getAlgorithm().equals(key.get().getAlgorithm())) {
            return null;
        }
        JWSVerifier v = EcVerification.tuned(verifiers.createJWSVerifier(jwt.getHeader(), pub.toPublicKey()));
        verifierCache.put(cacheKey, v);
        return v;
    }

    public static boolean expired(JWTClaimsSet claims) {
        return claims.getExpirationTime().before(new Date());
    }
}
