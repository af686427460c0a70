package org.obkm.oauth.internal.request;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The checks of a request object's header and claims (RFC 9101 §4, §6; FAPI 2.0 Message Signing §5.3.2;
 * FAPI 1 Advanced §5.2.2). Its signature was verified before any of them runs
 * ({@link RequestObjectVerifier}). Each passes when the request came without a request object: whether
 * one is required is the separate check {@code request-object-required}.
 */
public final class RequestObjectChecks {

    /** FAPI 2.0 Security Profile §5.4.1: PS256 and ES256 only; also advertised in discovery. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    static final Duration MAX_NBF_AGE = Duration.ofMinutes(60);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(60);

    private RequestObjectChecks() {
    }

    /** {@code request-object-required}: plain parameters are refused (FAPI 2.0 Message Signing §5.3.1). */
    public static void required(RequestContext r) throws OAuthException {
        if (!r.hasRequestObject()) {
            throw Errors.invalidRequest("this client must send its authorization request as a signed request object"
                    + " in the request parameter");
        }
    }

    /** {@code request-object-alg}: signed with PS256 or ES256. */
    public static void alg(RequestContext r) throws OAuthException {
        if (r.hasRequestObject() && !ALGORITHMS.contains(r.header().getAlgorithm())) {
            throw RequestErrors.invalidRequestObject("request object algorithm " + RequestErrors.shown(r.header().getAlgorithm())
                    + " is not accepted; use PS256 or ES256");
        }
    }

    /** {@code request-object-iss}: iss is the client_id (RFC 9101 §4). */
    public static void iss(RequestContext r) throws OAuthException {
        if (r.hasRequestObject() && !r.client().clientId().equals(r.requestObject().getIssuer())) {
            throw RequestErrors.invalidRequestObject("request object iss must be the client_id");
        }
    }

    /** {@code request-object-aud}: aud is, or contains, the issuer (FAPI 2.0 Message Signing §5.3.2). */
    public static void aud(RequestContext r) throws OAuthException {
        if (!r.hasRequestObject()) {
            return;
        }
        List<String> aud = r.requestObject().getAudience();
        if (aud == null || !aud.contains(r.issuer())) {
            throw RequestErrors.invalidRequestObject("request object aud must be the issuer " + r.issuer());
        }
    }

    /** {@code request-object-client-id}: the client_id claim is the authenticated client (RFC 9126 §3). */
    public static void clientId(RequestContext r) throws OAuthException {
        if (!r.hasRequestObject()) {
            return;
        }
        Object clientId = r.requestObject().getClaim("client_id");
        if (!r.client().clientId().equals(clientId)) {
            throw RequestErrors.invalidRequestObject("request object client_id must be the authenticated client");
        }
    }

    /**
     * {@code request-object-exp-nbf}: exp and nbf present, nbf at most 60 minutes in the past, exp after nbf
     * and at most 60 minutes after it, not expired, already valid; the clock skew tolerated in the client's favour
     * only where its clock is compared with ours.
     */
    public static void expNbf(RequestContext r) throws OAuthException {
        if (!r.hasRequestObject()) {
            return;
        }
        JWTClaimsSet c = r.requestObject();
        Instant exp = instant(c.getExpirationTime());
        Instant nbf = instant(c.getNotBeforeTime());
        if (exp == null) {
            throw RequestErrors.invalidRequestObject("request object has no exp");
        }
        if (nbf == null) {
            throw RequestErrors.invalidRequestObject("request object has no nbf");
        }
        Instant now = r.now();
        Duration skew = r.clockSkew();
        if (exp.plus(skew).isBefore(now)) {
            throw RequestErrors.invalidRequestObject("request object has expired");
        }
        if (nbf.minus(skew).isAfter(now)) {
            throw RequestErrors.invalidRequestObject("request object is not valid yet (nbf)");
        }
        if (nbf.plus(MAX_NBF_AGE).plus(skew).isBefore(now)) {
            throw RequestErrors.invalidRequestObject("request object nbf is more than 60 minutes in the past");
        }
        if (!exp.isAfter(nbf)) {
            throw RequestErrors.invalidRequestObject("request object exp must be after nbf");
        }
        if (Duration.between(nbf, exp).compareTo(MAX_LIFETIME) > 0) {
            throw RequestErrors.invalidRequestObject("request object lifetime (exp - nbf) exceeds 60 minutes");
        }
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
