package org.obkm.oauth.internal.token;

import java.time.Clock;
import java.time.Instant;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.RefreshToken;
import org.obkm.oauth.internal.sender.Confirmation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;

/**
 * The token response of the user grants (authorization code, refresh token): an access token bound as
 * the request was, a refresh token when the client may refresh, and an ID token when {@code openid} was
 * granted.
 */
@Component(service = UserTokens.class)
public final class UserTokens {

    /**
     * What an ID token states about the sign-in, and the open-banking consent the authorization was for
     * ({@code consentId}, or null), which binds the access token and is named in the ID token.
     */
    public record Authentication(long authTime, String acr, String nonce, String consentId,
            java.util.List<Object> authorizationDetails) {

        public Authentication(long authTime, String acr, String nonce) {
            this(authTime, acr, nonce, null, null);
        }

        public Authentication(long authTime, String acr, String nonce, String consentId) {
            this(authTime, acr, nonce, consentId, null);
        }
    }

    private final AccessTokenIssuer accessTokens;
    private final IdTokenIssuer idTokens;
    private final GrantStore grants;
    private final CpuGate gate;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public UserTokens(@Reference AccessTokenIssuer accessTokens, @Reference IdTokenIssuer idTokens,
            @Reference GrantStore grants, @Reference CpuGate gate) {
        this.gate = gate;
        this.accessTokens = accessTokens;
        this.idTokens = idTokens;
        this.grants = grants;
    }

    /** A new refresh token of the grant, stored as its hash; returns its value. */
    public String newRefreshToken(String grantId, Instant grantExpiresAt) {
        String value = Randoms.token();
        grants.addRefreshToken(new RefreshToken(Randoms.hash(value), grantId, clock.instant(), grantExpiresAt, null));
        return value;
    }

    /**
     * The token response's JSON.
     *
     * @param refreshToken the refresh token to hand out, or null
     * @param auth         for an ID token when the scope holds {@code openid}, else null
     */
    public String respond(Client client, String subject, Scope scope, Confirmation cnf, String grantId, String refreshToken,
            Authentication auth) {
        // Signing is the CPU work of a token response: it takes a permit, the database writes around it do not.
        String consentId = auth == null ? null : auth.consentId();
        java.util.List<Object> details = auth == null ? null : auth.authorizationDetails();
        AccessTokenIssuer.Issued issued = gate.run(() -> accessTokens.issue(client, subject, scope, cnf, grantId,
                consentId, details));
        long lifetime = issued.expiresAt().getEpochSecond() - issued.issuedAt().getEpochSecond();
        AccessToken at = cnf.isDpop() ? new DPoPAccessToken(issued.value(), lifetime, scope)
                : new BearerAccessToken(issued.value(), lifetime, scope);
        com.nimbusds.oauth2.sdk.token.RefreshToken rt = refreshToken == null ? null
                : new com.nimbusds.oauth2.sdk.token.RefreshToken(refreshToken);
        String idToken = null;
        if (auth != null && scope != null && scope.contains("openid")) {
            idToken = gate.run(() -> idTokens.issue(client.clientId(), client.software().idTokenSignedResponseAlg(),
                    subject, auth.authTime(), auth.acr(), auth.nonce(), at, null, null, consentId));
        }
        try {
            OIDCTokens tokens = idToken == null ? new OIDCTokens(at, rt) : new OIDCTokens(JWTParser.parse(idToken), at, rt);
            // RFC 9396 §7: the token response names the authorization details the token carries
            return (details == null ? new OIDCTokenResponse(tokens)
                    : new OIDCTokenResponse(tokens, java.util.Map.of("authorization_details", details)))
                    .toJSONObject().toJSONString();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("an ID token of ours did not parse", e);
        }
    }
}
