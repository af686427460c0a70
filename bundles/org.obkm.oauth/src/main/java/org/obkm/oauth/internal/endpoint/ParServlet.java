package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.request.AuthorizationRequestValidator;
import org.obkm.oauth.internal.request.PushedRequest;
import org.obkm.oauth.internal.request.PushedRequests;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.DpopProofs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The pushed authorization request endpoint (RFC 9126 §2): the client authenticates as at the token
 * endpoint (its URL is an accepted client assertion audience), the request is validated in full, and
 * the answer is 201 with a one-time request_uri, or a 400 error (RFC 9126 §2.3).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + ParServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-par"})
public final class ParServlet extends FormEndpoint {

    static final String PATH = "/oauth2/par";
    private static final long serialVersionUID = 1L;

    private final transient AuthorizationRequestValidator validator;
    private final transient PushedRequests pushed;
    private final transient DpopProofs dpop;

    @Activate
    public ParServlet(@Reference ClientAuthenticator authenticator, @Reference ServerSettings settings,
            @Reference AuthorizationRequestValidator validator, @Reference PushedRequests pushed,
            @Reference DpopProofs dpop) {
        super(authenticator, settings, PATH);
        this.validator = validator;
        this.pushed = pushed;
        this.dpop = dpop;
    }

    @Override
    public void handle(Client client, HTTPRequest request, HttpServletResponse resp) throws OAuthException, IOException {
        Optional<String> proofKey = dpop.verify(request, "POST", settings.endpoint(PATH));
        // RFC 9449 §10: the code is bound to a DPoP key named by dpop_jkt or by a proof sent with the PAR
        // (the profile's dpop-jkt check holds the two to agree).
        PushedRequest validated = validator.validate(client, request,
                proofKey.map(Confirmation::dpop).orElse(Confirmation.NONE));
        if (validated.dpopJkt() == null && proofKey.isPresent()) {
            validated = validated.withDpopJkt(proofKey.get());
        }
        if (dpop.nonceRequired()) {
            resp.setHeader("DPoP-Nonce", dpop.freshNonce());
        }
        HttpIO.writeJson(resp, 201, new PushedAuthorizationSuccessResponse(pushed.push(validated),
                PushedRequests.LIFETIME.toSeconds()).toJSONObject().toJSONString());
    }
}
