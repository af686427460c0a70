package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.keys.KeyService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

/** The server's public keys as a JWK Set (RFC 7517 §5), current and retired, never a private part. */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + JwksServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-jwks",
    ObkmServletContext.SELECT})
public final class JwksServlet extends HttpServlet {

    static final String PATH = "/oauth2/jwks";
    private static final long serialVersionUID = 1L;

    private final transient KeyService keys;

    @Activate
    public JwksServlet(@Reference KeyService keys) {
        this.keys = keys;
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
        byte[] body = keys.publicJwkSet().toPublicJWKSet().toString(true).getBytes(StandardCharsets.UTF_8);
        resp.setContentType("application/jwk-set+json");
        resp.setHeader("Cache-Control", "public, max-age=60");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
