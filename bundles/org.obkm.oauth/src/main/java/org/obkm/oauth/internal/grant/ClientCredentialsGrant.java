package org.obkm.oauth.internal.grant;

import java.util.LinkedHashSet;
import java.util.Set;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.endpoint.HttpIO;
import org.obkm.oauth.internal.endpoint.TokenServlet;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.SenderBinding;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;

/**
 * The client credentials grant (RFC 6749 §4.4): a token for the client itself. The requested scope
 * must lie within the client's registered scopes; no scope means all of them. The client's profile is
 * asked with what the token will be bound to ({@code sender-constrained-tokens} refuses a bearer token).
 */
@Component(service = GrantHandler.class, property = GrantHandler.GRANT_TYPE + "=client_credentials")
public final class ClientCredentialsGrant implements GrantHandler {

    private final AccessTokenIssuer issuer;
    private final SenderBinding binding;
    private final ServerSettings settings;
    private final ClientProfiles profiles;
    private final CpuGate gate;

    @Activate
    public ClientCredentialsGrant(@Reference AccessTokenIssuer issuer, @Reference SenderBinding binding,
            @Reference ServerSettings settings, @Reference ClientProfiles profiles, @Reference CpuGate gate) {
        this.gate = gate;
        this.issuer = issuer;
        this.profiles = profiles;
        this.binding = binding;
        this.settings = settings;
    }

    @Override
    public String handle(Client client, HTTPRequest request) throws OAuthException {
        Scope scope = grantedScope(client, HttpIO.param(request, "scope"));
        if (scope.isEmpty()) {
            scope = null;
        }
        // Bound to the client's DPoP key or certificate when it presents one (RFC 9449, RFC 8705).
        Confirmation cnf = binding.of(request, settings.endpoint(TokenServlet.PATH));
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_CLIENT_CREDENTIALS, client, null, cnf, null));
        Scope granted = scope;
        // The signature is the CPU work of this grant: it alone holds a permit of the gate.
        AccessTokenIssuer.Issued token = gate.run(() -> issuer.issue(client, client.clientId(), granted, cnf, null));
        long lifetime = token.expiresAt().getEpochSecond() - token.issuedAt().getEpochSecond();
        AccessToken at = cnf.isDpop() ? new DPoPAccessToken(token.value(), lifetime, scope)
                : new BearerAccessToken(token.value(), lifetime, scope);
        return new AccessTokenResponse(new Tokens(at, null)).toJSONObject().toJSONString();
    }

    public static Scope grantedScope(Client client, String requested) throws OAuthException {
        if (requested == null) {
            return new Scope(client.scopes().toArray(String[]::new));
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String s : requested.split(" ")) {
            if (s.isEmpty()) {
                throw Errors.invalidScope("scope must be space-separated tokens");
            }
            asked.add(s);
        }
        for (String s : asked) {
            if (!client.scopes().contains(s)) {
                throw Errors.invalidScope("scope '" + s + "' is not registered for this client");
            }
        }
        return new Scope(asked.toArray(String[]::new));
    }
}
