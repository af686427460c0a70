package org.obkm.oauth.internal.request;

import java.text.ParseException;
import java.util.Set;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.clientauth.ClientKeys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Authenticates a request object (RFC 9101 §6.2) before any check reads it: a JWS, never unsigned or
 * MAC-protected, whose signature verifies with one of the client's registered keys. This is not a
 * configurable check: nothing in an unverified request object can be trusted. Which of the asymmetric
 * algorithms a profile accepts is the check {@code request-object-alg}.
 */
public final class RequestObjectVerifier {

    /** Asymmetric only: alg none and HS* (a shared secret as the key) never verify a request object. */
    static final Set<JWSAlgorithm> VERIFIABLE = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);
    static final JOSEObjectType TYPE = new JOSEObjectType("oauth-authz-req+jwt");

    private final ClientKeys keys = new ClientKeys();
    private final CpuGate gate;

    /** Ungated: only until AuthorizationRequestValidator hands over the node's {@link CpuGate}. */
    RequestObjectVerifier() {
        this(CpuGate.ungated());
    }

    RequestObjectVerifier(CpuGate gate) {
        this.gate = gate;
    }

    /** The verified request object; its claims are not yet checked. */
    public SignedJWT verify(Client client, String request) throws OAuthException {
        JWT jwt;
        try {
            jwt = JWTParser.parse(request);
        } catch (ParseException | RuntimeException e) {
            // Nimbus throws a NullPointerException for a header that is the JSON null (OAuthParsersFuzzTest)
            throw RequestErrors.invalidRequestObject("request is not a JWT");
        }
        if (jwt instanceof EncryptedJWT) {
            throw RequestErrors.invalidRequestObject("encrypted request objects are not supported");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw RequestErrors.invalidRequestObject("the request object must be signed; alg none is not accepted");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!VERIFIABLE.contains(alg)) {
            throw RequestErrors.invalidRequestObject("request object algorithm " + RequestErrors.shown(alg) + " is not accepted;"
                    + " use PS256 or ES256");
        }
        String registered = client.software().requestObjectSigningAlg();
        if (registered != null && !registered.equals(alg.getName())) {
            // OIDC Dynamic Client Registration §2: a registered request_object_signing_alg is the only one.
            throw RequestErrors.invalidRequestObject("request object algorithm " + RequestErrors.shown(alg)
                    + " is not the client's registered request_object_signing_alg " + registered);
        }
        JOSEObjectType typ = signed.getHeader().getType();
        if (typ != null && !TYPE.equals(typ) && !JOSEObjectType.JWT.equals(typ)) {
            throw RequestErrors.invalidRequestObject("request object typ must be " + TYPE);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSVerifierFactory(gate.verifiers());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(VERIFIABLE,
                keys.of(client, RequestErrors::invalidRequestObject)));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null, TYPE));
        processor.setJWTClaimsSetVerifier((claims, context) -> { /* the profile's named checks judge the claims */ });
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            throw RequestErrors.invalidRequestObject("request object signature does not verify with the client's keys");
        } catch (JOSEException e) {
            CpuGate.rethrowOverload(e);
            throw RequestErrors.invalidRequestObject("request object could not be verified: " + RequestErrors.shown(e.getMessage()));
        }
        if (claims.getClaim("request") != null || claims.getClaim("request_uri") != null) {
            // RFC 9101 §4: no request object inside a request object.
            throw RequestErrors.invalidRequestObject("a request object must not contain request or request_uri");
        }
        return signed;
    }
}
