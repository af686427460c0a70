package org.obkm.oauth.internal.endpoint;

import java.text.ParseException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.resource.MessageSignatureException;
import org.obkm.api.resource.MessageSignatureException.Kind;
import org.obkm.api.resource.MessageSignatures;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.clientauth.ClientKeys;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * {@link MessageSignatures}: the UK Read/Write Data API profile's "Process for Verifying a Signature",
 * steps 1 to 3, with the client's registered keys ({@link ClientKeys}, as for its request objects and
 * assertions). PS256 only, as the profile says the signer must use.
 */
@Component(service = MessageSignatures.class)
public final class MessageSignaturesService implements MessageSignatures {

    /** How far ahead of this node's clock a signer's {@code iat} may be. */
    static final long CLOCK_SKEW_SECONDS = 60;
    private static final String B64 = "b64";

    private final ClientService clients;
    private final ClientKeys keys = new ClientKeys();
    private final Clock clock;

    @Activate
    public MessageSignaturesService(@Reference ClientService clients) {
        this(clients, Clock.systemUTC());
    }

    MessageSignaturesService(ClientService clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public void verify(String clientId, String detachedJws, byte[] body, Set<String> trustAnchors)
            throws MessageSignatureException {
        String[] parts = detachedJws == null ? new String[0] : detachedJws.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new MessageSignatureException(Kind.MALFORMED, "x-jws-signature must be a detached JWS: header..signature");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(detachedJws, new Payload(body));
        } catch (ParseException | RuntimeException e) {
            throw new MessageSignatureException(Kind.MALFORMED, "x-jws-signature cannot be parsed: " + e.getMessage());
        }
        JWSHeader h = jws.getHeader();
        checkHeader(h, trustAnchors);
        Client client = clients.find(clientId)
                .orElseThrow(() -> new MessageSignatureException(Kind.INVALID, "the signing client is not registered"));
        List<JWK> found;
        try {
            found = keys.of(client, m -> new OAuthException(new ErrorObject("invalid_client", m, 400)))
                    .get(new JWKSelector(new JWKMatcher.Builder().keyID(h.getKeyID()).build()), (SecurityContext) null);
        } catch (OAuthException e) {
            throw new MessageSignatureException(Kind.INVALID, e.error().getDescription());
        } catch (com.nimbusds.jose.KeySourceException e) {
            throw new MessageSignatureException(Kind.INVALID, "the client's keys cannot be fetched: " + e.getMessage());
        }
        if (found.isEmpty() || !(found.get(0) instanceof RSAKey rsa)) {
            throw new MessageSignatureException(Kind.INVALID, "no RSA key " + h.getKeyID() + " among the client's keys");
        }
        Set<String> deferred = new HashSet<>(Set.of(IAT, ISS, TAN, B64));
        try {
            if (!jws.verify(new RSASSAVerifier(rsa.toRSAPublicKey(), deferred))) {
                throw new MessageSignatureException(Kind.INVALID, "the signature does not match the body");
            }
        } catch (JOSEException e) {
            throw new MessageSignatureException(Kind.INVALID, "the signature cannot be checked: " + e.getMessage());
        }
    }

    private void checkHeader(JWSHeader h, Set<String> trustAnchors) throws MessageSignatureException {
        if (!JWSAlgorithm.PS256.equals(h.getAlgorithm())) {
            throw new MessageSignatureException(Kind.INVALID_CLAIM, "alg must be PS256");
        }
        if (h.getKeyID() == null || h.getKeyID().isEmpty()) {
            throw new MessageSignatureException(Kind.MISSING_CLAIM, "kid is required");
        }
        if (h.getType() != null && !JOSEObjectType.JOSE.equals(h.getType())) {
            throw new MessageSignatureException(Kind.INVALID_CLAIM, "typ must be JOSE when present");
        }
        if (h.getContentType() != null && !Set.of("json", "application/json").contains(h.getContentType())) {
            throw new MessageSignatureException(Kind.INVALID_CLAIM, "cty must be json or application/json when present");
        }
        Set<String> expectedCrit = new HashSet<>(Set.of(IAT, ISS, TAN));
        if (h.getCustomParam(B64) != null || !h.isBase64URLEncodePayload()) {
            // the v3.1.3 form: b64=false, and b64 among the critical parameters
            if (h.isBase64URLEncodePayload()) {
                throw new MessageSignatureException(Kind.INVALID_CLAIM, "b64 must be false when present");
            }
            expectedCrit.add(B64);
        }
        Set<String> crit = h.getCriticalParams() == null ? Set.of() : h.getCriticalParams();
        if (!crit.equals(expectedCrit)) {
            throw new MessageSignatureException(Kind.INVALID_CLAIM, "crit must be exactly " + expectedCrit);
        }
        Object iat = h.getCustomParam(IAT);
        if (iat == null) {
            throw new MessageSignatureException(Kind.MISSING_CLAIM, IAT + " is required");
        }
        if (!(iat instanceof Number n) || n.longValue() > clock.instant().getEpochSecond() + CLOCK_SKEW_SECONDS) {
            throw new MessageSignatureException(Kind.INVALID_CLAIM, IAT + " must be a number of seconds in the past");
        }
        Object iss = h.getCustomParam(ISS);
        if (!(iss instanceof String s) || s.isEmpty()) {
            throw new MessageSignatureException(iss == null ? Kind.MISSING_CLAIM : Kind.INVALID_CLAIM,
                    ISS + " must name the signer");
        }
        Object tan = h.getCustomParam(TAN);
        if (!(tan instanceof String t) || !trustAnchors.contains(t)) {
            throw new MessageSignatureException(tan == null ? Kind.MISSING_CLAIM : Kind.INVALID_CLAIM,
                    TAN + " must be a trusted trust anchor: " + String.join(", ", trustAnchors));
        }
    }
}
