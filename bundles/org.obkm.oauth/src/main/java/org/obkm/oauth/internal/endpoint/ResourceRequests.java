package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.oauth.internal.token.TokenState;
import org.obkm.oauth.internal.sender.DpopProofs;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.ClientCertificates;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.api.resource.ResourceRequest;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The access token check of a protected resource of this server (UserInfo today; any resource endpoint
 * that takes our access tokens): the token travels in the {@code Authorization} header (RFC 6750 §2.1,
 * RFC 9449 §7.1), is active, and is presented as it is bound: a DPoP-bound token with the DPoP scheme
 * and a proof for this request (RFC 9449 §7), a certificate-bound token over a connection with that
 * certificate (RFC 8705 §3). Refusals are RFC 6750 §3 errors with their {@code WWW-Authenticate} challenge.
 */
@Component(service = ResourceRequests.class)
public final class ResourceRequests {

    /** Whether a token is active, and its claims (TokenState in a node). */
    @FunctionalInterface
    interface ActiveTokens {
        Optional<JWTClaimsSet> active(String token);
    }

    /** A check of the token's claims by the resource's policy, before its binding is checked. */
    @FunctionalInterface
    public interface TokenCheck {
        void check(JWTClaimsSet token) throws OAuthException;
    }

    /** An accepted request: the scheme it used and the token's claims. */
    record Access(String scheme, JWTClaimsSet claims) {
    }

    private static final String SCHEME_ATTRIBUTE = "obkm.scheme";

    private final ActiveTokens tokens;
    private final DpopProofs dpop;
    private final ClientCertificates certificates;

    @Activate
    public ResourceRequests(@Reference TokenState tokens, @Reference DpopProofs dpop,
            @Reference ClientCertificates certificates) {
        this(tokens::active, dpop, certificates);
    }

    ResourceRequests(ActiveTokens tokens, DpopProofs dpop, ClientCertificates certificates) {
        this.tokens = tokens;
        this.dpop = dpop;
        this.certificates = certificates;
    }

    /**
     * Checks the request's access token for the resource at {@code resourceUrl} (the DPoP proof's htu).
     *
     * @throws OAuthException 401 {@code invalid_request} or {@code invalid_token}, or a DPoP proof error
     */
    Access verify(HttpServletRequest req, String resourceUrl, TokenCheck policy) throws OAuthException {
        req.setAttribute(SCHEME_ATTRIBUTE, isDpop(req.getHeader("Authorization")) ? "DPoP" : "Bearer");
        return verify(ServletResourceRequest.of(req, resourceUrl), policy);
    }

    /** The same for a request seen through the api's {@link ResourceRequest} (resources of other bundles). */
    Access verify(ResourceRequest req, TokenCheck policy) throws OAuthException {
        String authorization = req.header("Authorization");
        if (authorization == null) {
            throw new OAuthException(new ErrorObject("invalid_request", "an access token is required", 401));
        }
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        String token = space < 0 ? "" : authorization.substring(space + 1).strip();
        boolean dpopScheme = scheme.equalsIgnoreCase("DPoP");
        if (!scheme.equalsIgnoreCase("Bearer") && !dpopScheme || token.isEmpty()) {
            throw new OAuthException(new ErrorObject("invalid_request", "use the Bearer or DPoP scheme", 401));
        }
        Optional<JWTClaimsSet> active = tokens.active(token);
        if (active.isEmpty()) {
            throw invalidToken("the access token is not active");
        }
        JWTClaimsSet c = active.get();
        policy.check(c);
        Confirmation cnf = Confirmation.fromClaim(c.getClaim("cnf"));
        if (cnf.isDpop()) {
            if (!dpopScheme) {
                throw invalidToken("a DPoP-bound access token must be sent with the DPoP scheme and a proof");
            }
            HTTPRequest http = new HTTPRequest(HTTPRequest.Method.valueOf(req.method()), URI.create(req.url()));
            http.setAuthorization(authorization);
            List<String> proofs = req.headers("DPoP");
            if (proofs.size() > 1) {
                throw new OAuthException(new ErrorObject("invalid_dpop_proof", "send one DPoP header", 400));
            }
            if (!proofs.isEmpty()) {
                http.setHeader("DPoP", proofs.get(0));
            }
            dpop.verifyForResource(http, req.method(), req.url(), token, cnf.jkt());
        } else if (dpopScheme) {
            throw invalidToken("the access token is not DPoP-bound; use the Bearer scheme");
        }
        if (cnf.x5tS256() != null) {
            List<X509Certificate> chain = certificates.chain(req.remoteAddress(), req::headers, req.tlsCertificates());
            if (chain.isEmpty() || !cnf.x5tS256().equals(ClientCertificates.thumbprint(chain.get(0)))) {
                throw invalidToken("the access token is bound to a client certificate this connection does not present");
            }
        }
        return new Access(dpopScheme ? "DPoP" : "Bearer", c);
    }

    static boolean isDpop(String authorization) {
        if (authorization == null) {
            return false;
        }
        int space = authorization.indexOf(' ');
        return (space < 0 ? authorization : authorization.substring(0, space)).equalsIgnoreCase("DPoP");
    }

    /** The {@code WWW-Authenticate} challenge of a refusal (RFC 6750 §3, RFC 9449 §7.1). */
    static String challenge(boolean dpopScheme, String error) {
        return (dpopScheme ? "DPoP" : "Bearer") + " realm=\"obkm\", error=\"" + error + "\""
                + (dpopScheme ? ", algs=\"ES256 PS256\"" : "");
    }

    /** Writes a refusal with the challenge of the scheme the request used (RFC 6750 §3, RFC 9449 §7.1). */
    static void writeError(HttpServletRequest req, HttpServletResponse resp, OAuthException e) throws IOException {
        e.headers().forEach(resp::setHeader);
        ErrorObject error = e.error();
        if (resp.getHeader("WWW-Authenticate") == null) {
            resp.setHeader("WWW-Authenticate", challenge("DPoP".equals(req.getAttribute(SCHEME_ATTRIBUTE)),
                    error.getCode()));
        }
        HttpIO.writeJson(resp, error.getHTTPStatusCode(), error.toJSONObject().toJSONString());
    }

    static OAuthException invalidToken(String description) {
        return new OAuthException(new ErrorObject("invalid_token", description, 401));
    }
}
