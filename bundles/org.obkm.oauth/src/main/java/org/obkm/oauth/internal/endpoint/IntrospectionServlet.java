package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.policy.ResourcePolicy;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.token.IntrospectionJwt;
import org.obkm.oauth.internal.token.TokenState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;

/**
 * Token introspection (RFC 7662) for authenticated clients, typically the bank's API gateway; answered as a
 * signed JWT when asked for (RFC 9701, {@link IntrospectionJwt}), else as JSON.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + IntrospectionServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-introspect",
    ObkmServletContext.SELECT})
public final class IntrospectionServlet extends FormEndpoint {

    static final String PATH = "/oauth2/introspect";
    private static final long serialVersionUID = 1L;

    private final transient TokenState tokens;
    private final transient ResourcePolicy policy;
    private final transient IntrospectionJwt jwt;
    private final transient ConsentBinding consents;

    @Activate
    public IntrospectionServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
            @Reference TokenState tokens, @Reference ResourcePolicy policy, @Reference IntrospectionJwt jwt,
            @Reference ConsentBinding consents) {
        super(authenticator, settings, PATH);
        this.consents = consents;
        this.tokens = tokens;
        this.policy = policy;
        this.jwt = jwt;
    }

    @Override
    public void handle(Client client, HTTPRequest request, HttpServletResponse resp) throws OAuthException, IOException {
        // A token its own client's profile would refuse at a resource (unbound for a sender-constrained
        // client) is not active for the gateway either: policy fails closed at introspection too.
        Optional<JWTClaimsSet> active = tokens.active(required(request, "token"))
                .filter(c -> policy.admits(PolicyEvent.INTROSPECTION, c));
        TokenIntrospectionSuccessResponse answer = describe(active, consents);
        if (IntrospectionJwt.requested(request.getAccept())) {
            HttpIO.write(resp, 200, IntrospectionJwt.MEDIA_TYPE, jwt.sign(client.clientId(), answer.toJSONObject()));
        } else {
            HttpIO.writeJson(resp, 200, answer.toJSONObject().toJSONString());
        }
    }

    /**
     * The answer; for a token bound to an open-banking consent also the consent (id, type, status,
     * permissions, selected accounts), so the gateway needs no second call. The consent is read from the
     * node cache again: active tokens were checked against it a moment before.
     */
    private static TokenIntrospectionSuccessResponse describe(Optional<JWTClaimsSet> active, ConsentBinding consents) {
        if (active.isEmpty()) {
            return new TokenIntrospectionSuccessResponse.Builder(false).build();
        }
        JWTClaimsSet c = active.get();
        TokenIntrospectionSuccessResponse.Builder b = new TokenIntrospectionSuccessResponse.Builder(true)
                .tokenType(Confirmation.fromClaim(c.getClaim("cnf")).isDpop() ? AccessTokenType.DPOP : AccessTokenType.BEARER)
                .issuer(new Issuer(c.getIssuer()))
                .subject(new Subject(c.getSubject()))
                .jwtID(new JWTID(c.getJWTID()))
                .issueTime(c.getIssueTime())
                .expirationTime(c.getExpirationTime())
                .audience(Audience.create(c.getAudience()));
        Object clientId = c.getClaim("client_id");
        if (clientId != null) {
            b.clientID(new ClientID(clientId.toString()));
        }
        Object scope = c.getClaim("scope");
        if (scope != null) {
            b.scope(Scope.parse(scope.toString()));
        }
        Object cnf = c.getClaim("cnf");
        if (cnf instanceof java.util.Map<?, ?> m) {
            b.parameter("cnf", m);
        }
        if (c.getClaim(ConsentBinding.CLAIM) instanceof String consentId) {
            Optional<org.obkm.api.consent.Consent> consent = consents.active(consentId);
            if (consent.isEmpty()) {
                // revoked between the two reads: not active after all
                return new TokenIntrospectionSuccessResponse.Builder(false).build();
            }
            b.parameter(ConsentBinding.CLAIM, consentId);
            b.parameter("consent", ConsentBinding.introspection(consent.get()));
            if (c.getClaim("authorization_details") != null) {
                // RFC 9396 §9.2, with the consent's status and accounts as they are now
                b.parameter("authorization_details", ConsentBinding.enrich(c.getClaim("authorization_details"),
                        consent.get()));
            }
        }
        return b.build();
    }

    @Override
    protected boolean admitsWholeRequests() {
        return false;
    }
}
