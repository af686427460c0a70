package org.obkm.oauth.internal.clientauth;

import java.time.Duration;
import java.util.Date;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.api.cluster.SharedState;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.endpoint.TokenServlet;
import org.obkm.oauth.internal.policy.AssertionAudiences;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Checks a {@code private_key_jwt} client assertion (RFC 7523 §3, OIDC Core §9): signature by one of
 * the client's registered keys with an allowed algorithm, iss and sub equal to the client, aud one that the
 * client's profile accepts ({@link AssertionAudiences}: under FAPI 2.0 only the issuer as a string), a short exp, and a jti never seen before anywhere in the cluster. The jti is
 * recorded only after the signature holds, so nobody can burn another client's identifiers.
 */
public final class ClientAssertionVerifier {

    static final String REPLAY_MAP = "client-assertion-jti";

    private final ServerSettings settings;
    private final SharedState sharedState;
    private final ClientKeys keys = new ClientKeys();

    private final CpuGate gate;

    /** Ungated: only until ClientAuthenticator hands over the node's {@link CpuGate}. */
    public ClientAssertionVerifier(ServerSettings settings, SharedState sharedState) {
        this(settings, sharedState, CpuGate.ungated());
    }

    public ClientAssertionVerifier(ServerSettings settings, SharedState sharedState, CpuGate gate) {
        this.settings = settings;
        this.sharedState = sharedState;
        this.gate = gate;
    }

    /**
     * @param endpointUrl the absolute URL of the endpoint called
     * @param audiences the audiences the client's profile accepts
     */
    public void verify(Client client, SignedJWT assertion, String endpointUrl, AssertionAudiences audiences)
            throws OAuthException {
        JWSAlgorithm alg = assertion.getHeader().getAlgorithm();
        if (!settings.assertionAlgorithms().contains(alg)) {
            throw Errors.invalidClient("client assertion algorithm " + alg + " is not accepted; use one of "
                    + settings.assertionAlgorithms());
        }
        String registered = client.software().tokenEndpointAuthSigningAlg();
        if (registered != null && !registered.equals(alg.getName())) {
            // RFC 7591 §2: a registered token_endpoint_auth_signing_alg is the one the client signs with.
            throw Errors.invalidClient("client assertion algorithm " + alg + " is not the client's registered"
                    + " token_endpoint_auth_signing_alg " + registered);
        }
        JWTClaimsSet claims = verifySignature(client, assertion);
        checkAudience(assertion, endpointUrl, audiences);
        checkClaims(client, claims);
        Duration ttl = Duration.ofMillis(claims.getExpirationTime().getTime() - System.currentTimeMillis())
                .plusSeconds(settings.clockSkewSeconds());
        // While the cluster is away this throws ClusterUnavailableException: Failures answers 503.
        if (!sharedState.firstUse(REPLAY_MAP, client.clientId() + "\u0000" + claims.getJWTID(), ttl)) {
            throw Errors.invalidClient("client assertion jti was already used");
        }
    }

    private JWTClaimsSet verifySignature(Client client, SignedJWT assertion) throws OAuthException {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSVerifierFactory(gate.verifiers());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(settings.assertionAlgorithms(),
                keys.of(client, Errors::invalidClient)));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null,
                new JOSEObjectType("client-authentication+jwt")));
        processor.setJWTClaimsSetVerifier((claims, context) -> { /* checked below, one named error each */ });
        try {
            return processor.process(assertion, null);
        } catch (BadJOSEException e) {
            throw Errors.invalidClient("client assertion signature does not verify with the client's keys");
        } catch (JOSEException e) {
            CpuGate.rethrowOverload(e);
            throw Errors.invalidClient("client assertion could not be verified: " + e.getMessage());
        }
    }

    /** The {@code aud} as sent: Nimbus's claims set makes a string a list, so it is read from the payload. */
    private void checkAudience(SignedJWT assertion, String endpointUrl, AssertionAudiences audiences)
            throws OAuthException {
        Object aud = assertion.getPayload().toJSONObject().get("aud");
        String tokenEndpoint = settings.endpoint(TokenServlet.PATH);
        if (!audiences.accepts(aud, settings.issuer(), tokenEndpoint, endpointUrl)) {
            throw Errors.invalidClient(audiences.describe(settings.issuer(), tokenEndpoint, endpointUrl));
        }
    }

    private void checkClaims(Client client, JWTClaimsSet c) throws OAuthException {
        if (!client.clientId().equals(c.getIssuer()) || !client.clientId().equals(c.getSubject())) {
            throw Errors.invalidClient("client assertion iss and sub must both be the client_id");
        }
        long now = System.currentTimeMillis();
        long skew = settings.clockSkewSeconds() * 1000L;
        long maxLifetime = settings.assertionMaxLifetimeSeconds() * 1000L;
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw Errors.invalidClient("client assertion has no exp");
        }
        if (exp.getTime() + skew < now) {
            throw Errors.invalidClient("client assertion has expired");
        }
        if (exp.getTime() - now > maxLifetime + skew) {
            throw Errors.invalidClient("client assertion lives too long: exp may be at most "
                    + settings.assertionMaxLifetimeSeconds() + " s ahead");
        }
        Date iat = c.getIssueTime();
        if (iat != null && (iat.getTime() > now + skew || exp.getTime() - iat.getTime() > maxLifetime)) {
            throw Errors.invalidClient("client assertion iat is in the future or too far before exp");
        }
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > now + skew) {
            throw Errors.invalidClient("client assertion is not valid yet (nbf)");
        }
        if (c.getJWTID() == null || c.getJWTID().isBlank() || c.getJWTID().length() > 256) {
            throw Errors.invalidClient("client assertion needs a jti (at most 256 characters)");
        }
    }
}
