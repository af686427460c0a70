package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.user.User;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.policy.ResourcePolicy;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): the claims of the user an access token stands for,
 * by the granted scopes ({@link ScopeClaims}). The token is checked as every protected resource checks
 * it ({@link ResourceRequests}: active, admitted by the client's profile at the userinfo event, presented
 * as it is bound) and must come from a user's grant
 * with {@code openid}. Errors follow RFC 6750 §3.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + UserInfoServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-userinfo",
    ObkmServletContext.SELECT})
public final class UserInfoServlet extends HttpServlet {

    static final String PATH = "/oauth2/userinfo";
    private static final long serialVersionUID = 1L;

    private final transient ResourceRequests resources;
    private final transient UserStoreRegistry users;
    private final transient ServerSettings settings;
    private final transient ResourcePolicy policy;

    @Activate
    public UserInfoServlet(@Reference ResourceRequests resources, @Reference UserStoreRegistry users,
            @Reference ServerSettings settings, @Reference ResourcePolicy policy) {
        this.resources = resources;
        this.policy = policy;
        this.users = users;
        this.settings = settings;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (!"GET".equals(req.getMethod()) && !"POST".equals(req.getMethod())) {
                resp.setHeader("Allow", "GET, POST");
                HttpIO.writeError(resp, new ErrorObject("invalid_request", "use GET or POST", 405));
                return;
            }
            HttpIO.writeJson(resp, 200, JSONObjectUtils.toJSONString(claims(req)));
        } catch (OAuthException e) {
            ResourceRequests.writeError(req, resp, e);
        } catch (RuntimeException e) {
            HttpIO.writeFailure(resp, PATH, e);
        }
    }

    private Map<String, Object> claims(HttpServletRequest req) throws OAuthException {
        JWTClaimsSet c = resources.verify(req, settings.endpoint(PATH),
                token -> policy.enforce(PolicyEvent.USERINFO, token)).claims();
        Object scope = c.getClaim("scope");
        if (c.getClaim(AccessTokenIssuer.GRANT_ID) == null || scope == null
                || !Scope.parse(scope.toString()).contains("openid")) {
            throw new OAuthException(new ErrorObject("insufficient_scope",
                    "the access token was not granted the openid scope by a user", 403));
        }
        Optional<User> user = users.findBySubject(c.getSubject());
        if (user.isEmpty()) {
            throw ResourceRequests.invalidToken("the user of this access token is no longer known");
        }
        Map<String, Object> claims = ScopeClaims.of(c.getSubject(), Scope.parse(scope.toString()), user.get());
        // the consent the token is bound to (UK OB: requested as claims.userinfo.openbanking_intent_id)
        if (c.getClaim(org.obkm.oauth.internal.consent.ConsentBinding.CLAIM) instanceof String consentId) {
            claims = new java.util.LinkedHashMap<>(claims);
            claims.put(org.obkm.oauth.internal.consent.ConsentBinding.CLAIM, consentId);
        }
        return claims;
    }
}
