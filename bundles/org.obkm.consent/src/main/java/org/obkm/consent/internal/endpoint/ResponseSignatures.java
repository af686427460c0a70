package org.obkm.consent.internal.endpoint;

import java.time.Clock;
import java.util.Set;

import org.obkm.api.keys.SigningService;
import org.obkm.api.resource.MessageSignatures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;

/**
 * The bank's detached signature of a response body (Read/Write Data API profile, "Process for Signing a
 * Payload", the v3.1.4+ form without {@code b64}): PS256 with the bank's current key, signed inside the
 * keys bundle ({@link SigningService#signDetached}), which adds the {@code kid}.
 */
final class ResponseSignatures {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseSignatures.class);

    private final SigningService signing;
    private final String issuer;
    private final String trustAnchor;
    private final Clock clock;

    ResponseSignatures(SigningService signing, String issuer, String trustAnchor) {
        this(signing, issuer, trustAnchor, Clock.systemUTC());
    }

    ResponseSignatures(SigningService signing, String issuer, String trustAnchor, Clock clock) {
        this.signing = signing;
        this.issuer = issuer;
        this.trustAnchor = trustAnchor;
        this.clock = clock;
    }

    /** The detached JWS, or null (and one log line) when the keys bundle cannot sign now. */
    String sign(byte[] body) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.PS256).type(JOSEObjectType.JOSE)
                .contentType("application/json")
                .customParam(MessageSignatures.IAT, clock.instant().getEpochSecond())
                .customParam(MessageSignatures.ISS, issuer)
                .customParam(MessageSignatures.TAN, trustAnchor)
                .criticalParams(Set.of(MessageSignatures.IAT, MessageSignatures.ISS, MessageSignatures.TAN))
                .build();
        try {
            return signing.signDetached(header, new Payload(body));
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warn("Payment consent response not signed: {}", e.getMessage());
            return null;
        }
    }
}
