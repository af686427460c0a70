package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * OAuth endpoints answer over TLS only (RFC 6749 §3.1, §3.2); plain HTTP serves {@code /health}
 * and {@code /metrics} alone. Also sets the headers every response of an authorization server should carry, among them
 * {@value #INTERACTION_ID} (FAPI 1 Baseline §6.2.1-11, FAPI 2.0): the client's value when it is a safe
 * correlation token (1 to {@value #MAX_INTERACTION_ID} characters of letters, digits and {@code -._~}),
 * else a fresh RFC 4122 UUID. The value is in the log MDC as {@value #MDC_KEY} while the request runs,
 * so every log line of the request carries it. Counts the requests in flight for the graceful stop
 * ({@link NodeDrain}).
 */
@Component(service = Filter.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=obkm-transport",
    ObkmServletContext.SELECT})
public final class TransportFilter implements Filter {

    static final String INTERACTION_ID = "x-fapi-interaction-id";
    static final String MDC_KEY = "interaction-id";
    /** The metrics bundle's endpoint, which like {@code /health} answers on plain HTTP (restricted by address there). */
    static final String METRICS_PATH = "/metrics";
    static final int MAX_INTERACTION_ID = 64;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_INTERACTION_ID + "}");
    private static final Logger LOG = LoggerFactory.getLogger(TransportFilter.class);

    private final NodeDrain drain;

    @Activate
    public TransportFilter(@Reference NodeDrain drain) {
        this.drain = drain;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse resp = (HttpServletResponse) response;
        Enumeration<String> headers = req.getHeaders(INTERACTION_ID);
        List<String> offered = headers == null ? List.of() : Collections.list(headers);
        boolean echoed = offered.size() == 1 && SAFE_ID.matcher(offered.get(0)).matches();
        String interactionId = echoed ? offered.get(0) : UUID.randomUUID().toString();
        MDC.put(MDC_KEY, interactionId);
        try {
            if (!offered.isEmpty() && !echoed) {
                // The client's value is never logged or reflected: it may carry line breaks or markup.
                LOG.info("{} refused ({} value(s) of {} characters; one of 1 to {} of A-Z a-z 0-9 - . _ ~ is echoed):"
                        + " answered with a fresh one", INTERACTION_ID, offered.size(), offered.get(0).length(),
                        MAX_INTERACTION_ID);
            }
            setHeaders(resp, interactionId, req.isSecure());
            String uri = req.getRequestURI();
            boolean operations = HealthServlet.PATH.equals(uri) || METRICS_PATH.equals(uri);
            if (!req.isSecure() && !operations) {
                HttpIO.writeJson(resp, 403, "{\"error\":\"invalid_request\",\"error_description\":\"HTTPS is required\"}");
                return;
            }
            // Health checks and metric scrapes are no traffic: polling a draining node must not keep it busy.
            boolean counted = !operations;
            if (counted) {
                drain.enter();
            }
            try {
                // A servlet that resets its response (a page answering 503 after a failure) keeps these headers.
                chain.doFilter(request, new HttpServletResponseWrapper(resp) {
                    @Override
                    public void reset() {
                        super.reset();
                        setHeaders(resp, interactionId, req.isSecure());
                    }
                });
            } finally {
                if (counted) {
                    drain.exit();
                }
            }
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private static void setHeaders(HttpServletResponse resp, String interactionId, boolean secure) {
        resp.setHeader(INTERACTION_ID, interactionId);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        if (secure) {
            resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
