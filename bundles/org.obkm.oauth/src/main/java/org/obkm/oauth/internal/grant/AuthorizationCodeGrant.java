package org.obkm.oauth.internal.grant;

import java.time.Clock;
import java.util.regex.Pattern;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.obkm.oauth.internal.endpoint.FormEndpoint;
import org.obkm.oauth.internal.endpoint.HttpIO;
import org.obkm.oauth.internal.endpoint.TokenServlet;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.SenderBinding;
import org.obkm.oauth.internal.token.AuthorizationCodes;
import org.obkm.oauth.internal.token.IssuedCode;
import org.obkm.oauth.internal.token.UserTokens;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;

/**
 * The authorization code grant (RFC 6749 §4.1.3): the code is redeemed once (a second time revokes what
 * it gave), must come from this client with the same redirect_uri, and its PKCE challenge must match the
 * verifier (RFC 7636 §4.6, S256 only). The tokens are bound to the DPoP key or client certificate of the
 * request, as the client's profile requires.
 */
@Component(service = GrantHandler.class, property = GrantHandler.GRANT_TYPE + "=authorization_code")
public final class AuthorizationCodeGrant implements GrantHandler {

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    private final AuthorizationCodes codes;
    private final SenderBinding binding;
    private final UserTokens tokens;
    private final ClientProfiles profiles;
    private final ServerSettings settings;
    private final ConsentBinding consents;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public AuthorizationCodeGrant(@Reference AuthorizationCodes codes, @Reference SenderBinding binding,
            @Reference UserTokens tokens, @Reference ClientProfiles profiles, @Reference ServerSettings settings,
            @Reference ConsentBinding consents) {
        this.consents = consents;
        this.codes = codes;
        this.binding = binding;
        this.tokens = tokens;
        this.profiles = profiles;
        this.settings = settings;
    }

    /** Without open-banking consents: for tests. */
    public AuthorizationCodeGrant(AuthorizationCodes codes, SenderBinding binding, UserTokens tokens,
            ClientProfiles profiles, ServerSettings settings) {
        this(codes, binding, tokens, profiles, settings, new ConsentBinding(null, Clock.systemUTC()));
    }

    @Override
    public String handle(Client client, HTTPRequest request) throws OAuthException {
        String code = FormEndpoint.required(request, "code");
        String redirectUri = FormEndpoint.required(request, "redirect_uri");
        String verifier = HttpIO.param(request, "code_verifier");
        if (verifier != null && !VERIFIER.matcher(verifier).matches()) {
            throw Errors.invalidRequest("code_verifier must be 43 to 128 unreserved characters (RFC 7636)");
        }
        // Check the proof before the code is used up, so a client's faulty proof does not burn its code.
        Confirmation cnf = binding.of(request, settings.endpoint(TokenServlet.PATH));
        IssuedCode issued = codes.redeem(code, client.clientId());
        PushedRequest r = issued.request();
        if (!r.redirectUri().equals(redirectUri)) {
            throw AuthorizationCodes.invalidGrant("redirect_uri differs from the authorization request's");
        }
        if (r.codeChallenge() != null) {
            if (verifier == null) {
                throw AuthorizationCodes.invalidGrant("code_verifier is required (PKCE)");
            }
            if (!CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue()
                    .equals(r.codeChallenge())) {
                throw AuthorizationCodes.invalidGrant("code_verifier does not match the code_challenge");
            }
        } else if (verifier != null) {
            throw AuthorizationCodes.invalidGrant("code_verifier sent but the authorization request had no code_challenge");
        }
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_AUTHORIZATION_CODE, client, r, cnf,
                verifier == null ? null : java.util.Map.of("code_verifier", verifier)));
        // The consent may have been revoked or may have expired since the PSU authorised it.
        String consentId = ConsentBinding.intentOf(r).orElse(null);
        java.util.Optional<org.obkm.api.consent.Consent> consent = consentId == null ? java.util.Optional.empty()
                : consents.active(consentId);
        if (consentId != null && consent.isEmpty()) {
            throw AuthorizationCodes.invalidGrant("the consent " + consentId + " is no longer authorised");
        }
        java.util.List<Object> details = r.authorizationDetails() == null ? null
                : ConsentBinding.enrich(r.authorizationDetails(), consent.orElse(null));
        Scope scope = r.scope() == null ? null : Scope.parse(r.scope());
        String refresh = client.allowsGrant("refresh_token")
                ? tokens.newRefreshToken(issued.grantId(), clock.instant().plus(settings.refreshTokenLifetime()))
                : null;
        return tokens.respond(client, issued.subject(), scope, cnf, issued.grantId(), refresh,
                new UserTokens.Authentication(issued.authTime(), issued.acr(), r.nonce(), consentId, details));
    }

}
