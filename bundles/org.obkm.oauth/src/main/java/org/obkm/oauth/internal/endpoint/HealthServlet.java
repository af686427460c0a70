package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.health.HealthIndicator;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * {@code /health} for load balancer checks, on HTTP and HTTPS: 200 when database, cluster, keys and the cluster settings
 * can all serve, 503 otherwise. A required part whose bundle is not running counts as down; further
 * parts (the user store files) are listed, and count, when their bundle runs. From the moment the node
 * begins to stop: 503 with status {@code DRAINING}, then {@code STOPPING} ({@link NodeDrain}).
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + HealthServlet.PATH,
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=obkm-health",
    ObkmServletContext.SELECT})
public final class HealthServlet extends HttpServlet {

    static final String PATH = "/health";
    private static final long serialVersionUID = 1L;
    private static final List<String> REQUIRED = List.of("database", "cluster", "keys", "endpoints", "settings");

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final transient List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();

    @Reference
    private transient NodeDrain drain;

    /** GET (and HEAD, which HttpServlet answers from GET without a body); anything else is 405. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (HttpIO.allows(req, resp, "GET", "HEAD")) {
            super.service(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean up = true;
        for (String name : REQUIRED) {
            HealthIndicator.Status s = indicators.stream().filter(i -> i.name().equals(name)).findFirst()
                    .map(HealthIndicator::check).orElse(HealthIndicator.Status.down("not running"));
            up &= s.up();
            parts.put(name, Map.of("status", s.up() ? "UP" : "DOWN", "detail", s.detail()));
        }
        // Further parts (user stores, ...) report when their bundle runs.
        List<HealthIndicator> others = indicators.stream().filter(i -> !REQUIRED.contains(i.name()))
                .sorted(Comparator.comparing(HealthIndicator::name)).toList();
        for (HealthIndicator i : others) {
            HealthIndicator.Status s = i.check();
            up &= s.up();
            parts.putIfAbsent(i.name(), Map.of("status", s.up() ? "UP" : "DOWN", "detail", s.detail()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        // A stopping node still serves what comes (NodeDrain), but a balancer must send nothing new.
        NodeDrain.Phase phase = drain.phase();
        boolean serving = phase == NodeDrain.Phase.SERVING;
        body.put("status", !serving ? phase.name() : up ? "UP" : "DOWN");
        body.putAll(parts);
        HttpIO.writeJson(resp, up && serving ? 200 : 503, JSONObjectUtils.toJSONString(body));
    }
}
