package org.obkm.oauth.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Server metadata (RFC 8414, OpenID Connect Discovery 1.0) at {@code /.well-known/openid-configuration},
 * at the same path under the default issuer, and at {@code /.well-known/oauth-authorization-server}.
 * It lists only what is implemented; the authorization endpoint, response types and ID tokens appear
 * when the authorization code flow lands.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/openid-configuration",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/oauth2/token/.well-known/openid-configuration",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/oauth-authorization-server",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/oauth-authorization-server/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-discovery"})
public final class DiscoveryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final List<String> AUTH_METHODS = List.of("client_secret_basic", "client_secret_post",
            "private_key_jwt");

    private final transient String json;

    @Activate
    public DiscoveryServlet(@Reference ServerSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", s.issuer());
        m.put("token_endpoint", s.endpoint(TokenServlet.PATH));
        m.put("jwks_uri", s.endpoint(JwksServlet.PATH));
        m.put("introspection_endpoint", s.endpoint(IntrospectionServlet.PATH));
        m.put("revocation_endpoint", s.endpoint(RevocationServlet.PATH));
        m.put("grant_types_supported", List.of("client_credentials"));
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        List<String> algs = s.assertionAlgorithms().stream().map(a -> a.getName()).sorted().toList();
        m.put("token_endpoint_auth_signing_alg_values_supported", algs);
        m.put("introspection_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", algs);
        m.put("revocation_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", algs);
        m.put("access_token_signing_alg_values_supported", List.of(s.signingAlgorithm().getName()));
        // RFC 9126 §5; the PAR endpoint authenticates clients as the token endpoint does. When
        // /oauth2/authorize lands, add authorization_endpoint, require_pushed_authorization_requests: true,
        // code_challenge_methods_supported [S256], response_types_supported [code (, code id_token)],
        // authorization_code in grant_types_supported and authorization_response_iss_parameter_supported.
        m.put("pushed_authorization_request_endpoint", s.endpoint(ParServlet.PATH));
        m.put("request_object_signing_alg_values_supported",
                RequestObjectChecks.ALGORITHMS.stream().map(a -> a.getName()).sorted().toList());
        this.json = JSONObjectUtils.toJSONString(m);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpIO.writeJson(resp, 200, json);
    }
}
