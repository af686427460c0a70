package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.oauth.internal.Failures;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.flow.AuthorizationFlows;
import org.obkm.oauth.internal.flow.FlowEntrance;
import org.obkm.oauth.internal.token.Randoms;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.util.URLUtils;

/**
 * The authorization endpoint (RFC 6749 §3.1) for pushed requests only (RFC 9126 §4, FAPI 2.0 §5.3.2.2):
 * {@code client_id} and {@code request_uri}, nothing else is used. The request_uri is taken up once,
 * cluster-wide, by one flow bound to the browser by a cookie ({@link FlowEntrance}); the browser is sent
 * (303) to the login page, again on a reload while that flow is unfinished. Since the
 * redirect URI is only known from a valid pushed request, every error here is an error page, never a
 * redirect (no open redirector).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + AuthorizeServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-authorize",
    ObkmServletContext.SELECT})
public final class AuthorizeServlet extends HttpServlet {

    static final String PATH = "/oauth2/authorize";
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUERY = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizeServlet.class);

    private final transient FlowEntrance entrance;
    private final transient ClientService clients;

    @Activate
    public AuthorizeServlet(@Reference FlowEntrance entrance, @Reference ClientService clients) {
        this.entrance = entrance;
        this.clients = clients;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (!"GET".equals(req.getMethod())) {
                resp.setHeader("Allow", "GET");
                ErrorPage.write(resp, 405, "The authorization endpoint accepts GET requests only.");
                return;
            }
            String query = req.getQueryString();
            if (query == null || query.length() > MAX_QUERY) {
                ErrorPage.write(resp, 400, "The authorization request is missing or too long.");
                return;
            }
            Map<String, List<String>> params = URLUtils.parseParameters(query);
            String clientId = single(params, "client_id");
            String requestUri = single(params, "request_uri");
            if (clientId == null || requestUri == null) {
                ErrorPage.write(resp, 400, "The authorization request must carry client_id and request_uri:"
                        + " this server accepts pushed authorization requests only (RFC 9126).");
                return;
            }
            Optional<Client> client = clients.find(clientId);
            if (client.isEmpty()) {
                ErrorPage.write(resp, 400, "The application is not registered with this bank.");
                return;
            }
            FlowEntrance.Entry entry = entrance.enter(client.get(), requestUri, browserKey(req));
            if (entry.refusal() != null) {
                ErrorPage.write(resp, 400, entry.refusal());
                return;
            }
            ErrorPage.securityHeaders(resp);
            resp.addHeader("Set-Cookie", AuthorizationFlows.BROWSER_COOKIE + "=" + entry.browserKey()
                    + "; Path=/; Secure; HttpOnly; SameSite=Lax");
            resp.setStatus(303);
            // Relative (RFC 7231 §7.1.2): the pages are on the host the browser reached, behind a load balancer too.
            resp.setHeader("Location", AuthorizationFlows.LOGIN_PATH + "?flow="
                    + URLEncoder.encode(entry.flowId(), StandardCharsets.US_ASCII));
        } catch (RepeatedParameter e) {
            ErrorPage.write(resp, 400, "The authorization request repeats a parameter.");
        } catch (RuntimeException e) {
            // A browser page, not JSON: Failures only tells a passing unavailability from a defect.
            if (Failures.unavailability(e).isPresent()) {
                LOG.warn("Authorization request: {}", Failures.unavailability(e).get());
                ErrorPage.write(resp, 503, "The bank's sign-in service is starting up. Please try again in a moment.");
            } else {
                LOG.error("Authorization request failed", e);
                ErrorPage.write(resp, 503, "The bank's sign-in service is temporarily unavailable.");
            }
        }
    }

    /** The browser's existing key, so flows in several tabs share one cookie; else null (a new one is made). */
    private static String browserKey(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (AuthorizationFlows.BROWSER_COOKIE.equals(c.getName()) && Randoms.isToken(c.getValue())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw new RepeatedParameter();
        }
        return v.get(0);
    }

    private static final class RepeatedParameter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RepeatedParameter() {
            super(null, null, false, false);
        }
    }
}
