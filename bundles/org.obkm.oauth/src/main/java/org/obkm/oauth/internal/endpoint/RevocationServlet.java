package org.obkm.oauth.internal.endpoint;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.token.TokenState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * Token revocation (RFC 7009). Unknown, expired or foreign tokens get the same 200 (§2.2), so the
 * endpoint tells nobody which tokens exist; the revocation is committed before the response.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + RevocationServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-revoke",
    ObkmServletContext.SELECT})
public final class RevocationServlet extends FormEndpoint {

    static final String PATH = "/oauth2/revoke";
    private static final long serialVersionUID = 1L;

    private final transient TokenState tokens;

    @Activate
    public RevocationServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
            @Reference TokenState tokens) {
        super(authenticator, settings, PATH);
        this.tokens = tokens;
    }

    @Override
    public void handle(Client client, HTTPRequest request, HttpServletResponse resp) throws OAuthException {
        tokens.revoke(client, required(request, "token"));
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(0);
    }

    @Override
    protected boolean admitsWholeRequests() {
        return false;
    }
}
