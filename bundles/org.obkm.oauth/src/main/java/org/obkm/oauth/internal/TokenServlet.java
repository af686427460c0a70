package org.obkm.oauth.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The token endpoint (RFC 6749 §3.2): authenticate the client, pick the grant handler, write the
 * token response or an RFC 6749 §5.2 error. Unexpected failures become {@code server_error} with the
 * detail in the log only.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + TokenServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-token"})
public final class TokenServlet extends HttpServlet {

    static final String PATH = "/oauth2/token";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TokenServlet.class);

    private final transient ClientAuthenticator authenticator;
    private final transient ServerSettings settings;
    private final transient Map<String, GrantHandler> handlers = new ConcurrentHashMap<>();

    @Activate
    public TokenServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings) {
        this.authenticator = authenticator;
        this.settings = settings;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(GrantHandler handler, Map<String, Object> props) {
        handlers.put(String.valueOf(props.get(GrantHandler.GRANT_TYPE)), handler);
    }

    void removeHandler(GrantHandler handler, Map<String, Object> props) {
        handlers.remove(String.valueOf(props.get(GrantHandler.GRANT_TYPE)), handler);
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            HTTPRequest request = HttpIO.readFormPost(req, settings.maxRequestBytes());
            Client client = authenticator.authenticate(request, settings.endpoint(PATH));
            String grantType = HttpIO.param(request, "grant_type");
            if (grantType == null || grantType.isEmpty()) {
                throw Errors.invalidRequest("grant_type is required");
            }
            GrantHandler handler = handlers.get(grantType);
            if (handler == null) {
                throw Errors.unsupportedGrantType("grant type '" + grantType + "' is not supported");
            }
            if (!client.allowsGrant(grantType)) {
                throw Errors.unauthorizedClient("the client is not registered for the " + grantType + " grant");
            }
            HttpIO.writeJson(resp, 200, handler.handle(client, request));
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e.error());
        } catch (RuntimeException e) {
            LOG.error("Token request failed", e);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
    }
}
