package org.obkm.oauth.internal.token;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.ServerSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.CodeHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.StateHash;

/**
 * ID tokens (OpenID Connect Core §2) signed with the server's current key of the configured algorithm
 * (PS256 by default, FAPI 2.0 §5.4): iss, sub, aud, exp, iat, auth_time, nonce, acr, and the hashes of
 * the values they travel with: at_hash from the token endpoint, c_hash and s_hash in a hybrid
 * ({@code code id_token}) front-channel response, where the ID token is FAPI 1's detached signature.
 */
@Component(service = IdTokenIssuer.class)
public final class IdTokenIssuer {

    private final SigningService signing;
    private final ServerSettings settings;

    @Activate
    public IdTokenIssuer(@Reference SigningService signing, @Reference ServerSettings settings) {
        this.signing = signing;
        this.settings = settings;
    }

    /**
     * Issues an ID token, signed with the client's registered {@code id_token_signed_response_alg} (OIDC
     * Dynamic Client Registration §2) when the keys bundle signs with it, else the server's algorithm.
     *
     * @param registeredAlg the client's id_token_signed_response_alg, or null
     * @param accessToken for at_hash, or null
     * @param code        for c_hash, or null
     * @param state       for s_hash, or null
     */
    public String issue(String clientId, String registeredAlg, String subject, long authTime, String acr, String nonce,
            AccessToken accessToken, AuthorizationCode code, State state) {
        JWSAlgorithm alg = settings.idTokenSigningAlgorithm();
        if (registeredAlg != null && signing.algorithms().contains(JWSAlgorithm.parse(registeredAlg))) {
            alg = JWSAlgorithm.parse(registeredAlg);
        }
        Instant now = Instant.now();
        IDTokenClaimsSet claims = new IDTokenClaimsSet(new Issuer(settings.issuer()), new Subject(subject),
                List.of(new Audience(clientId)), Date.from(now.plus(settings.idTokenLifetime())), Date.from(now));
        claims.setAuthenticationTime(new Date(authTime * 1000));
        if (nonce != null) {
            claims.setNonce(new Nonce(nonce));
        }
        if (acr != null) {
            claims.setACR(new ACR(acr));
        }
        if (accessToken != null) {
            claims.setAccessTokenHash(AccessTokenHash.compute(accessToken, alg, null));
        }
        if (code != null) {
            claims.setCodeHash(CodeHash.compute(code, alg, null));
        }
        if (state != null) {
            claims.setStateHash(StateHash.compute(state, alg, null));
        }
        try {
            return signing.signJwt(alg, JOSEObjectType.JWT, claims.toJWTClaimsSet());
        } catch (ParseException e) {
            throw new IllegalStateException("issuing an ID token failed", e);
        }
    }
}
