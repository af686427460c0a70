package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.obkm.oauth.internal.sender.ClientCertificates;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.DpopProofs;
import org.obkm.oauth.internal.token.AccessTokenIssuer;
import org.obkm.oauth.internal.token.TokenState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): the claims of the user an access token stands for,
 * by the granted scopes (sub always; profile: name, preferred_username; email: email). The token must
 * be active, come from a user's grant with {@code openid}, and be presented as it is bound: a DPoP token
 * with a DPoP proof for this request (RFC 9449 §7), a certificate-bound token over a connection with
 * that certificate (RFC 8705 §3). Errors follow RFC 6750 §3.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + UserInfoServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-userinfo"})
public final class UserInfoServlet extends HttpServlet {

    static final String PATH = "/oauth2/userinfo";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UserInfoServlet.class);

    private final transient TokenState tokens;
    private final transient DpopProofs dpop;
    private final transient UserStoreRegistry users;
    private final transient ServerSettings settings;
    private final transient ClientCertificates certificates;
    private final transient ResourcePolicy policy;

    @Activate
    public UserInfoServlet(@Reference TokenState tokens, @Reference DpopProofs dpop,
            @Reference UserStoreRegistry users, @Reference ServerSettings settings,
            @Reference ClientCertificates certificates, @Reference ResourcePolicy policy) {
        this.certificates = certificates;
        this.policy = policy;
        this.tokens = tokens;
        this.dpop = dpop;
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
            e.headers().forEach(resp::setHeader);
            ErrorObject error = e.error();
            if (resp.getHeader("WWW-Authenticate") == null) {
                String scheme = "DPoP".equals(req.getAttribute("obkm.scheme")) ? "DPoP" : "Bearer";
                resp.setHeader("WWW-Authenticate", scheme + " realm=\"obkm\", error=\"" + error.getCode() + "\""
                        + ("DPoP".equals(scheme) ? ", algs=\"ES256 PS256\"" : ""));
            }
            HttpIO.writeJson(resp, error.getHTTPStatusCode(), error.toJSONObject().toJSONString());
        } catch (RuntimeException e) {
            LOG.error("UserInfo request failed", e);
            HttpIO.writeError(resp, new ErrorObject("server_error", "internal error", 500));
        }
    }

    private Map<String, Object> claims(HttpServletRequest req) throws OAuthException {
        String authorization = req.getHeader("Authorization");
        if (authorization == null) {
            throw new OAuthException(new ErrorObject("invalid_request", "an access token is required", 401));
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String token = space < 0 ? "" : authorization.substring(space + 1).strip();
        req.setAttribute("obkm.scheme", scheme.equalsIgnoreCase("DPoP") ? "DPoP" : "Bearer");
        if (!scheme.equalsIgnoreCase("Bearer") && !scheme.equalsIgnoreCase("DPoP") || token.isEmpty()) {
            throw new OAuthException(new ErrorObject("invalid_request", "use the Bearer or DPoP scheme", 401));
        }
        Optional<JWTClaimsSet> active = tokens.active(token);
        if (active.isEmpty()) {
            throw invalidToken("the access token is not active");
        }
        JWTClaimsSet c = active.get();
        policy.enforce(PolicyEvent.USERINFO, c);
        Confirmation cnf = Confirmation.fromClaim(c.getClaim("cnf"));
        String url = settings.endpoint(PATH);
        if (cnf.isDpop()) {
            if (!scheme.equalsIgnoreCase("DPoP")) {
                throw invalidToken("a DPoP-bound access token must be sent with the DPoP scheme and a proof");
            }
            HTTPRequest http = new HTTPRequest(HTTPRequest.Method.valueOf(req.getMethod()), URI.create(url));
            http.setAuthorization(authorization);
            HttpIO.copyDpopHeader(req, http);
            dpop.verifyForResource(http, req.getMethod(), url, token, cnf.jkt());
        } else if (scheme.equalsIgnoreCase("DPoP")) {
            throw invalidToken("the access token is not DPoP-bound; use the Bearer scheme");
        }
        if (cnf.x5tS256() != null) {
            List<X509Certificate> chain = certificates.chain(req);
            if (chain.isEmpty() || !cnf.x5tS256().equals(ClientCertificates.thumbprint(chain.get(0)))) {
                throw invalidToken("the access token is bound to a client certificate this connection does not present");
            }
        }
        Object scope = c.getClaim("scope");
        if (c.getClaim(AccessTokenIssuer.GRANT_ID) == null || scope == null
                || !Scope.parse(scope.toString()).contains("openid")) {
            throw new OAuthException(new ErrorObject("insufficient_scope",
                    "the access token was not granted the openid scope by a user", 403));
        }
        Optional<User> user = users.findBySubject(c.getSubject());
        if (user.isEmpty()) {
            throw invalidToken("the user of this access token is no longer known");
        }
        Scope granted = Scope.parse(scope.toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", c.getSubject());
        User u = user.get();
        if (granted.contains("profile")) {
            if (!u.displayName().isEmpty()) {
                out.put("name", u.displayName());
            }
            out.put("preferred_username", signInName(u));
        }
        if (granted.contains("email")) {
            List<String> email = u.attributes().getOrDefault("email", List.of());
            if (!email.isEmpty()) {
                out.put("email", email.get(0));
            }
        }
        return out;
    }

    private static OAuthException invalidToken(String description) {
        return new OAuthException(new ErrorObject("invalid_token", description, 401));
    }

    /** The name a user signs in with. */
    private static String signInName(User u) {
        return org.obkm.api.user.UserStore.PRIMARY.equals(u.domain()) ? u.username() : u.domain() + "/" + u.username();
    }
}
