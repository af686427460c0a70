package org.obkm.oauth.internal;

import java.io.IOException;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.token.RevocationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.OAuth2Error;
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
 * Token introspection (RFC 7662) for authenticated clients, typically the API gateway. A token is
 * active when we issued it, it has not expired and no node revoked it; the revocation check reads
 * the shared database, so it holds on every node at once.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + IntrospectionServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-introspect"})
public final class IntrospectionServlet extends HttpServlet {

    static final String PATH = "/oauth2/introspect";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionServlet.class);

    private final transient ClientAuthenticator authenticator;
    private final transient ServerSettings settings;
    private final transient AccessTokenVerifier verifier;
    private final transient RevocationStore revocations;

    @Activate
    public IntrospectionServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
            @Reference AccessTokenVerifier verifier, @Reference RevocationStore revocations) {
        this.authenticator = authenticator;
        this.settings = settings;
        this.verifier = verifier;
        this.revocations = revocations;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            HTTPRequest request = HttpIO.readFormPost(req, settings.maxRequestBytes());
            authenticator.authenticate(request, settings.endpoint(PATH));
            String token = HttpIO.param(request, "token");
            if (token == null || token.isEmpty()) {
                throw Errors.invalidRequest("token is required");
            }
            HttpIO.writeJson(resp, 200, introspect(token).toJSONObject().toJSONString());
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e.error());
        } catch (RuntimeException e) {
            LOG.error("Introspection failed", e);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
    }

    private TokenIntrospectionSuccessResponse introspect(String token) {
        Optional<JWTClaimsSet> recognised = verifier.recognise(token);
        if (recognised.isEmpty() || AccessTokenVerifier.expired(recognised.get())
                || revocations.isRevoked(recognised.get().getJWTID())) {
            return new TokenIntrospectionSuccessResponse.Builder(false).build();
        }
        JWTClaimsSet c = recognised.get();
        TokenIntrospectionSuccessResponse.Builder b = new TokenIntrospectionSuccessResponse.Builder(true)
                .tokenType(AccessTokenType.BEARER)
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
        return b.build();
    }
}
