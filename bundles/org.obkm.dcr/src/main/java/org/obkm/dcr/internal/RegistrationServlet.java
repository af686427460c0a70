package org.obkm.dcr.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.ClientCertificateSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The registration endpoint, one URL for every operation (UK OB DCR 3.3 §Endpoints): {@code POST /register}
 * (RFC 7591 §3) and {@code GET}, {@code PUT}, {@code DELETE /register/{ClientId}} (RFC 7592 §2). Thin: it
 * reads the body (a compact JWS as {@code application/jose}, {@code application/jwt} or a JSON string),
 * the TPP's certificate (of the TLS connection, or of the load balancer's header, as at the token endpoint:
 * {@link ClientCertificateSource}) and the Bearer token, asks {@link Registrations}, and writes JSON or an
 * RFC 7591 §3.2.2 error. It sits in the named context {@code obkm}, so the transport filter (HTTPS only,
 * x-fapi-interaction-id, security headers) covers it as every other endpoint.
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + RegistrationServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + RegistrationServlet.PATH + "/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-registration",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME
            + "=obkm)"})
public final class RegistrationServlet extends HttpServlet {

    static final String PATH = "/register";
    static final int MAX_BODY = 64 * 1024;
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationServlet.class);
    private static final String TLS_ATTRIBUTE = "javax.servlet.request.X509Certificate";

    private final transient Registrations registrations;
    private final transient ClientCertificateSource certificates;

    @Activate
    public RegistrationServlet(@Reference Registrations registrations, @Reference ClientCertificateSource certificates) {
        this.registrations = registrations;
        this.certificates = certificates;
    }

    /**
     * A method the endpoint does not serve (PATCH, HEAD, OPTIONS, one HttpServlet does not know, which
     * it would answer 501) is 405 with the methods of this URL (RFC 9110 §15.5.6; MalformedInputSweepIT).
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String method = req.getMethod();
        if (List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
            super.service(req, resp);
            return;
        }
        String allow = clientId(req) == null ? "POST" : "GET, PUT, DELETE";
        resp.setHeader("Allow", allow);
        write(resp, 405, Map.of("error", "invalid_request", "error_description", "this URL accepts " + allow + " only"));
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (clientId(req) != null) {
            resp.setHeader("Allow", "GET, PUT, DELETE");
            write(resp, 405, Map.of("error", "invalid_request", "error_description", "POST to " + PATH + " only"));
            return;
        }
        answer(resp, 201, () -> registrations.register(body(req), chain(req), baseUrl(req)));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = clientId(req);
        answer(resp, 200, () -> registrations.read(id, bearer(req), chain(req), baseUrl(req)));
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = clientId(req);
        answer(resp, 200, () -> registrations.update(id, bearer(req), body(req), chain(req), baseUrl(req)));
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String id = clientId(req);
        answer(resp, 204, () -> {
            registrations.delete(id, bearer(req), chain(req));
            return null;
        });
    }

    private interface Call {
        Map<String, Object> run() throws IOException;
    }

    private void answer(HttpServletResponse resp, int status, Call call) throws IOException {
        try {
            Map<String, Object> body = call.run();
            if (body == null) {
                resp.setStatus(status);
                resp.setHeader("Cache-Control", "no-store");
            } else {
                write(resp, status, body);
            }
        } catch (DcrException e) {
            LOG.info("Registration refused: {} {}", e.error(), e.getMessage());
            if (e.status() == 401) {
                resp.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            }
            write(resp, e.status(), Registrations.error(e));
        } catch (RuntimeException e) {
            // The cluster or the database is briefly away: a 503 to retry, never a stack trace.
            LOG.warn("Registration not answered: {} ({})", e.getMessage(), e.getClass().getSimpleName());
            write(resp, 503, Map.of("error", "temporarily_unavailable", "error_description", "retry shortly"));
        }
    }

    private static void write(HttpServletResponse resp, int status, Map<String, Object> body) throws IOException {
        byte[] json = JSONObjectUtils.toJSONString(body).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("application/json;charset=UTF-8");
        resp.setContentLength(json.length);
        resp.getOutputStream().write(json);
    }

    /** The ClientId of {@code /register/{ClientId}}, or {@code null} for {@code /register}. */
    private static String clientId(HttpServletRequest req) {
        String p = req.getPathInfo();
        if (p == null || p.equals("/") || p.isEmpty()) {
            return null;
        }
        return p.substring(1);
    }

    private static String body(HttpServletRequest req) throws IOException {
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase().split(";")[0].strip();
        if (!type.equals("application/jose") && !type.equals("application/jwt") && !type.equals("application/json")) {
            throw DcrException.metadata("send the signed request as application/jose");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BODY) {
                    throw DcrException.metadata("the request is larger than " + MAX_BODY + " bytes");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DcrException d) {
                throw d;
            }
            // Cut off, stalled or trickling below the server's minimum data rate (Jetty throws a
            // BadMessageException for that): the client's fault, not a 503 to retry (issue 16).
            throw DcrException.metadata("the request body could not be read");
        }
        String s = out.toString(StandardCharsets.UTF_8).strip();
        if (type.equals("application/json") && s.startsWith("\"") && s.endsWith("\"") && s.length() > 1) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    /**
     * The TPP's certificate as the token endpoint reads it: the TLS connection's, or behind a load balancer
     * that terminates TLS the one of its header, believed from the balancer's addresses only.
     */
    private X509Certificate[] chain(HttpServletRequest req) {
        List<X509Certificate> tls = req.getAttribute(TLS_ATTRIBUTE) instanceof X509Certificate[] c ? List.of(c) : List.of();
        List<X509Certificate> chain = certificates.chain(req.getRemoteAddr(), name -> {
            Enumeration<String> values = req.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        }, tls);
        return chain.isEmpty() ? null : chain.toArray(X509Certificate[]::new);
    }

    private static String bearer(HttpServletRequest req) {
        String h = req.getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    }

    /** registration_client_uri's base: the configured one (behind a load balancer) or this request's. */
    private String baseUrl(HttpServletRequest req) {
        String configured = registrations.settings().registrationBaseUrl();
        if (configured != null) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        StringBuffer url = req.getRequestURL();
        return url.substring(0, url.indexOf(PATH, url.indexOf("//") + 2));
    }
}
