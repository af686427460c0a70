package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.api.metrics.TokenEvents;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.grant.GrantHandler;
import org.obkm.oauth.internal.sender.DpopProofs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The token endpoint (RFC 6749 §3.2): with the client authenticated, pick the grant handler and write
 * the token response, or an RFC 6749 §5.2 error.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + TokenServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-token",
    ObkmServletContext.SELECT})
public final class TokenServlet extends FormEndpoint {

    public static final String PATH = "/oauth2/token";
    private static final long serialVersionUID = 1L;

    private final transient Map<String, GrantHandler> handlers = new ConcurrentHashMap<>();

    private final transient DpopProofs dpop;

    /** The node's metrics, when their bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile TokenEvents events;

    @Activate
    public TokenServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
            @Reference DpopProofs dpop) {
        super(authenticator, settings, PATH);
        this.dpop = dpop;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addHandler(GrantHandler handler, Map<String, Object> props) {
        handlers.put(String.valueOf(props.get(GrantHandler.GRANT_TYPE)), handler);
    }

    public void removeHandler(GrantHandler handler, Map<String, Object> props) {
        handlers.remove(String.valueOf(props.get(GrantHandler.GRANT_TYPE)), handler);
    }

    @Override
    public void handle(Client client, HTTPRequest request, HttpServletResponse resp) throws OAuthException, IOException {
        String grantType = required(request, "grant_type");
        GrantHandler handler = handlers.get(grantType);
        if (handler == null) {
            throw Errors.unsupportedGrantType("grant type '" + grantType + "' is not supported");
        }
        if (!client.allowsGrant(grantType)) {
            throw Errors.unauthorizedClient("the client is not registered for the " + grantType + " grant");
        }
        String json = handler.handle(client, request);
        if (dpop.nonceRequired()) {
            // RFC 9449 §8.2: a fresh nonce with every answer, so the client's next proof has one.
            resp.setHeader("DPoP-Nonce", dpop.freshNonce());
        }
        HttpIO.writeJson(resp, 200, json);
        TokenEvents e = events;
        if (e != null) {
            e.issued(grantType);
        }
    }
}
