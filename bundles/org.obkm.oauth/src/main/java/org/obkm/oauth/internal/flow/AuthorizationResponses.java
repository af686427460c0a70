package org.obkm.oauth.internal.flow;

import java.net.URI;
import java.util.Map;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.flow.FlowStep;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.token.ResponseJwts;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;

/**
 * The responses back to the client (RFC 6749 §4.1.2, §4.1.2.1), success and error alike, in the mode the
 * request asked for:
 * <ul>
 * <li>plain: in the query for {@code code}, in the fragment for {@code code id_token} (OIDC Core
 * §3.3.2.5, where the ID token rides along as FAPI 1 Advanced's detached signature), with {@code iss}
 * (RFC 9207);</li>
 * <li>JARM ({@code query.jwt}, {@code fragment.jwt}, {@code form_post.jwt}, and {@code jwt}, which is
 * {@code query.jwt} for {@code code} and {@code fragment.jwt} for a response type with an ID token, JARM
 * §4.3.4): one parameter {@code response}, a JWT made by {@link ResponseJwts}, in the query, the fragment
 * or an auto-submitting form post.</li>
 * </ul>
 */
@Component(service = AuthorizationResponses.class)
public final class AuthorizationResponses {

    private final ServerSettings settings;
    private final ClientService clients;
    private final ResponseJwts jwts;

    @Activate
    public AuthorizationResponses(@Reference ServerSettings settings, @Reference ClientService clients,
            @Reference ResponseJwts jwts) {
        this.settings = settings;
        this.clients = clients;
        this.jwts = jwts;
    }

    public static boolean isHybrid(PushedRequest r) {
        return "code id_token".equals(r.responseType()) || "id_token code".equals(r.responseType());
    }

    /** The response mode, resolved: never {@code jwt}, never null. */
    public static ResponseMode mode(PushedRequest r) {
        if (r.responseMode() == null) {
            return isHybrid(r) ? ResponseMode.FRAGMENT : ResponseMode.QUERY;
        }
        if (ResponseMode.JWT.getValue().equals(r.responseMode())) {
            return isHybrid(r) ? ResponseMode.FRAGMENT_JWT : ResponseMode.QUERY_JWT;
        }
        return new ResponseMode(r.responseMode());
    }

    /** Whether the response is a JWT (JARM). */
    public static boolean isJarm(PushedRequest r) {
        return mode(r).getValue().endsWith(".jwt");
    }

    /** The code (and, for the hybrid flow, the ID token) for the client, as the request's mode says. */
    public FlowStep success(PushedRequest r, AuthorizationCode code, String idToken) {
        State state = r.state() == null ? null : new State(r.state());
        URI redirect = URI.create(r.redirectUri());
        Issuer issuer = new Issuer(settings.issuer());
        ResponseMode plain = plainMode(r);
        AuthorizationResponse response;
        if (idToken == null) {
            response = new AuthorizationSuccessResponse(redirect, code, null, state, issuer, plain);
        } else {
            try {
                response = new AuthenticationSuccessResponse(redirect, code, JWTParser.parse(idToken), null, state,
                        null, issuer, plain);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("an ID token of ours did not parse", e);
            }
        }
        return isJarm(r) ? jarm(r, response) : FlowStep.redirect(response.toURI());
    }

    /** An error for the client (after its redirect URI was established), as the request's mode says. */
    public FlowStep error(PushedRequest r, ErrorObject error) {
        State state = r.state() == null ? null : new State(r.state());
        AuthorizationErrorResponse response = new AuthorizationErrorResponse(URI.create(r.redirectUri()), error, state,
                new Issuer(settings.issuer()), plainMode(r));
        return isJarm(r) ? jarm(r, response) : FlowStep.redirect(response.toURI());
    }

    private FlowStep jarm(PushedRequest r, AuthorizationResponse response) {
        Client client = clients.find(r.clientId()).orElseThrow(() -> new IllegalStateException(
                "client " + r.clientId() + " is no longer registered"));
        JWT jwt = jwts.of(client, settings.issuer(), response);
        ResponseMode mode = mode(r);
        URI redirect = URI.create(r.redirectUri());
        if (ResponseMode.FORM_POST_JWT.equals(mode)) {
            return FlowStep.post(redirect, Map.of("response", jwt.serialize()));
        }
        AuthorizationResponse wrapped = response.indicatesSuccess()
                ? new AuthorizationSuccessResponse(redirect, jwt, mode)
                : new AuthorizationErrorResponse(redirect, jwt, mode);
        return FlowStep.redirect(wrapped.toURI());
    }

    /** The mode of the parameters inside a JWT: their own, which does not matter to the JWT. */
    private static ResponseMode plainMode(PushedRequest r) {
        return isHybrid(r) ? ResponseMode.FRAGMENT : ResponseMode.QUERY;
    }
}
