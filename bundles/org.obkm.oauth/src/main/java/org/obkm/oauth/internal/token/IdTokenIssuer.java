package org.obkm.oauth.internal.token;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.keys.KeyService;
import org.obkm.oauth.internal.ServerSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
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

    private final KeyService keys;
    private final ServerSettings settings;
    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();

    @Activate
    public IdTokenIssuer(@Reference KeyService keys, @Reference ServerSettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    /**
     * Issues an ID token.
     *
     * @param accessToken for at_hash, or null
     * @param code        for c_hash, or null
     * @param state       for s_hash, or null
     */
    public String issue(String clientId, String subject, long authTime, String acr, String nonce, AccessToken accessToken,
            AuthorizationCode code, State state) {
        JWSAlgorithm alg = settings.idTokenSigningAlgorithm();
        JWK key = keys.signingKey(alg);
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
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                    .build(), claims.toJWTClaimsSet());
            jwt.sign(signer(key, alg));
            return jwt.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("issuing an ID token failed", e);
        }
    }

    private JWSSigner signer(JWK key, JWSAlgorithm alg) {
        return signers.computeIfAbsent(key.getKeyID(), kid -> {
            try {
                return new DefaultJWSSignerFactory().createJWSSigner(key, alg);
            } catch (JOSEException e) {
                throw new IllegalStateException("no signer for key " + kid, e);
            }
        });
    }
}
