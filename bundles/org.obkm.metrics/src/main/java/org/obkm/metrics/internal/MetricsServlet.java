package org.obkm.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.net.AddressBlocks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}: the node's metrics in the Prometheus text format (version 0.0.4), on plain HTTP
 * (port 9766 plus the offset) as Prometheus scrapes, and on HTTPS. Only clients whose address is in
 * {@code allowedAddresses} ({@code etc/org.obkm.metrics.cfg}) get them; the others get 403. Behind a
 * load balancer the address is the balancer's: scrape each node on its own address instead.
 */
@Component(service = Servlet.class, configurationPid = MetricsServlet.PID, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/metrics",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-metrics",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME
            + "=obkm)"})
@Designate(ocd = MetricsConfig.class)
public final class MetricsServlet extends HttpServlet {

    static final String PID = "org.obkm.metrics";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServlet.class);

    private final transient NodeMetrics metrics;
    /** The parsed list, and its text for the log. */
    private record Allowed(AddressBlocks blocks, String text) {
        static Allowed parse(String text) {
            return new Allowed(AddressBlocks.parse(text), text == null ? "" : text.strip());
        }
    }

    private transient volatile Allowed allowed;

    @Activate
    public MetricsServlet(@Reference NodeMetrics metrics, MetricsConfig config) {
        this.metrics = metrics;
        this.allowed = Allowed.parse(config.allowedAddresses());
        LOG.info("/metrics answers clients from {}", allowed.text());
    }

    /** A bad list keeps the previous one (and says so), as the node's other settings do. */
    @Modified
    void modified(MetricsConfig config) {
        try {
            allowed = Allowed.parse(config.allowedAddresses());
            LOG.info("/metrics answers clients from {}", allowed.text());
        } catch (IllegalArgumentException e) {
            LOG.error("org.obkm.metrics allowedAddresses: {}; keeping {}", e.getMessage(), allowed.text());
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!allowed.blocks().contains(req.getRemoteAddr())) {
            write(resp, 403, "application/json", "{\"error\":\"access_denied\",\"error_description\":"
                    + "\"metrics are not served to this address\"}");
            return;
        }
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET, HEAD");
            write(resp, 405, "application/json", "{\"error\":\"invalid_request\",\"error_description\":"
                    + "\"this endpoint accepts GET, HEAD only\"}");
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
        try {
            metrics.scrape(body);
        } catch (RuntimeException e) {
            // A source read at scrape time failed (a cache, the cluster while it leaves): the next scrape retries.
            LOG.warn("/metrics scrape failed: {}", e.toString());
            resp.setHeader("Retry-After", "2");
            write(resp, 503, "application/json", "{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"metrics could not be read; retry\"}");
            return;
        }
        resp.setStatus(200);
        resp.setContentType(metrics.contentType());
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.size());
        if ("GET".equals(req.getMethod())) {
            body.writeTo(resp.getOutputStream());
        }
    }

    private static void write(HttpServletResponse resp, int status, String type, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }
}
