package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.JarmAlgorithms;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.flow.ConsentDescriber;
import org.obkm.oauth.internal.request.RequestObjectChecks;
import org.obkm.oauth.internal.sender.ClientCertificates;
import org.obkm.oauth.internal.sender.DpopProofs;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Server metadata (RFC 8414, OpenID Connect Discovery 1.0) at {@code /.well-known/openid-configuration},
 * at the same path under the default issuer, and at {@code /.well-known/oauth-authorization-server}.
 * It lists only what is implemented, under registered names only (the IANA OAuth Authorization Server
 * Metadata registry): a name no specification defines means nothing to a client, and the FAPI
 * conformance suite warns about it. The access token's algorithm is therefore not advertised (no
 * registered name exists for it; resource servers take it from the JWKS and the token's header).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/openid-configuration",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/oauth2/token/.well-known/openid-configuration",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/oauth-authorization-server",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/.well-known/oauth-authorization-server/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-discovery",
    ObkmServletContext.SELECT})
public final class DiscoveryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final List<String> AUTH_METHODS = java.util.Arrays.stream(
            org.obkm.api.client.TokenEndpointAuthMethod.values()).map(v -> v.value()).toList();

    /** Where org.obkm.dcr serves dynamic client registration (RFC 7591, RFC 7592). */
    static final String REGISTRATION_PATH = "/register";

    private final transient ServerSettings settings;
    private final transient ClientCertificates certificates;
    private final transient DpopProofs dpop;

    @Activate
    public DiscoveryServlet(@Reference ServerSettings settings, @Reference ClientCertificates certificates,
            @Reference DpopProofs dpop) {
        this.settings = settings;
        this.certificates = certificates;
        this.dpop = dpop;
    }

    /** Made at each request (it is rarely asked), so that a configuration change shows at once. */
    private String metadata() {
        ServerSettings s = settings;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", s.issuer());
        m.put("authorization_endpoint", s.endpoint(AuthorizeServlet.PATH));
        m.put("token_endpoint", s.endpoint(TokenServlet.PATH));
        m.put("pushed_authorization_request_endpoint", s.endpoint(ParServlet.PATH));
        m.put("userinfo_endpoint", s.endpoint(UserInfoServlet.PATH));
        m.put("jwks_uri", s.endpoint(JwksServlet.PATH));
        m.put("introspection_endpoint", s.endpoint(IntrospectionServlet.PATH));
        m.put("revocation_endpoint", s.endpoint(RevocationServlet.PATH));
        // OIDC Discovery §3, RFC 8414 §2; UK OB DCR 3.3 §Discovery (conformance DCR-001): served by org.obkm.dcr.
        m.put("registration_endpoint", s.endpoint(REGISTRATION_PATH));
        m.put("scopes_supported", ConsentDescriber.KNOWN.keySet().stream().sorted().toList());
        m.put("response_types_supported", List.of("code", "code id_token"));
        m.put("response_modes_supported", List.of("query", "fragment", "jwt", "query.jwt", "fragment.jwt",
                "form_post.jwt"));
        // JARM §5: what a client may register for its JWT Secured Authorization Responses.
        m.put("authorization_signing_alg_values_supported", JarmAlgorithms.SIGNING_ALGS);
        m.put("authorization_encryption_alg_values_supported", JarmAlgorithms.ENCRYPTION_ALGS);
        m.put("authorization_encryption_enc_values_supported", JarmAlgorithms.ENCRYPTION_ENCS);
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        m.put("subject_types_supported", List.of("public"));
        // The server's algorithm first; a client may register the other one the keys sign with (JARM's too).
        m.put("id_token_signing_alg_values_supported", java.util.stream.Stream.concat(
                java.util.stream.Stream.of(s.idTokenSigningAlgorithm().getName()), JarmAlgorithms.SIGNING_ALGS.stream())
                .distinct().toList());
        m.put("acr_values_supported", List.of(s.acr()));
        m.put("claims_parameter_supported", true);
        m.put("authorization_details_types_supported", List.copyOf(s.authorizationDetailsTypes()));
        m.put("claims_supported", List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "name",
                "preferred_username", "email"));
        // RFC 9126 §5: every authorization request is pushed; the authorization endpoint takes nothing else.
        m.put("require_pushed_authorization_requests", true);
        m.put("request_parameter_supported", true);
        m.put("request_uri_parameter_supported", false);
        m.put("request_object_signing_alg_values_supported",
                RequestObjectChecks.ALGORITHMS.stream().map(a -> a.getName()).sorted().toList());
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        List<String> algs = s.assertionAlgorithms().stream().map(a -> a.getName()).sorted().toList();
        m.put("token_endpoint_auth_signing_alg_values_supported", algs);
        m.put("introspection_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("introspection_endpoint_auth_signing_alg_values_supported", algs);
        // RFC 9701 §7.1: JWT introspection responses, signed only (no encryption).
        m.put("introspection_signing_alg_values_supported", List.of(s.introspectionSigningAlgorithm().getName()));
        m.put("revocation_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", algs);
        // RFC 8705 §3.3, §5: certificate-bound tokens. The HTTPS listener asks every client for a
        // certificate, so the aliases are the endpoints themselves unless a load balancer serves mutual TLS
        // on a host of its own (org.obkm.mtls mtlsBaseUrl).
        m.put("tls_client_certificate_bound_access_tokens", true);
        java.util.function.UnaryOperator<String> mtls = path -> certificates.mtlsBaseUrl()
                .map(base -> (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path)
                .orElse(s.endpoint(path));
        Map<String, Object> aliases = new LinkedHashMap<>();
        aliases.put("token_endpoint", mtls.apply(TokenServlet.PATH));
        aliases.put("pushed_authorization_request_endpoint", mtls.apply(ParServlet.PATH));
        aliases.put("userinfo_endpoint", mtls.apply(UserInfoServlet.PATH));
        aliases.put("introspection_endpoint", mtls.apply(IntrospectionServlet.PATH));
        aliases.put("revocation_endpoint", mtls.apply(RevocationServlet.PATH));
        m.put("mtls_endpoint_aliases", aliases);
        // RFC 9449 §5.1
        m.put("dpop_signing_alg_values_supported", dpop.algorithmNames());
        return JSONObjectUtils.toJSONString(m);
    }

    /** GET (and HEAD, which HttpServlet answers from GET without a body); anything else is 405. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (HttpIO.allows(req, resp, "GET", "HEAD")) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpIO.writeJson(resp, 200, metadata());
    }
}
