package org.obkm.oauth.internal;

import java.io.IOException;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.api.token.RevocationStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * Token revocation (RFC 7009). A client revokes its own tokens; unknown, expired or foreign tokens
 * get the same 200 (§2.2), so the endpoint tells nobody which tokens exist. The revocation row is
 * committed before the response, so every node sees the token inactive when this call returns.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + RevocationServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-revoke"})
public final class RevocationServlet extends HttpServlet {

    static final String PATH = "/oauth2/revoke";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RevocationServlet.class);

    private final transient ClientAuthenticator authenticator;
    private final transient ServerSettings settings;
    private final transient AccessTokenVerifier verifier;
    private final transient RevocationStore revocations;

    @Activate
    public RevocationServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
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
            Client client = authenticator.authenticate(request, settings.endpoint(PATH));
            String token = HttpIO.param(request, "token");
            if (token == null || token.isEmpty()) {
                throw Errors.invalidRequest("token is required");
            }
            Optional<JWTClaimsSet> claims = verifier.recognise(token);
            if (claims.isPresent() && !AccessTokenVerifier.expired(claims.get())
                    && client.clientId().equals(claims.get().getClaim("client_id"))) {
                revocations.revoke(claims.get().getJWTID(), client.clientId(),
                        claims.get().getExpirationTime().toInstant());
                LOG.info("Client {} revoked token {}", client.clientId(), claims.get().getJWTID());
            }
            resp.setStatus(200);
            resp.setHeader("Cache-Control", "no-store");
            resp.setContentLength(0);
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e.error());
        } catch (RuntimeException e) {
            LOG.error("Revocation failed", e);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
    }
}
