package org.obkm.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import javax.servlet.FilterChain;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

class MetricsFilterTest {

    /** A response that keeps its status and body, nothing else. */
    private static final class Sink {
        int status = 200;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "getStatus" -> status;
                        case "getOutputStream" -> out;
                        default -> null;
                    });
        }
    }

    private static HttpServletRequest request(String uri) {
        return (HttpServletRequest) Proxy.newProxyInstance(MetricsFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> "getRequestURI".equals(m.getName()) ? uri : null);
    }

    private static void serve(MetricsFilter f, String uri, int status, String body) throws Exception {
        Sink sink = new Sink();
        FilterChain chain = (req, resp) -> {
            HttpServletResponse r = (HttpServletResponse) resp;
            r.setStatus(status);
            r.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        };
        f.doFilter(request(uri), sink.response(), chain);
        assertEquals(body, sink.body.toString(StandardCharsets.UTF_8), "the body passes unchanged");
    }

    @Test
    void countsByEndpointStatusAndOAuthErrorCode() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        MetricsFilter f = new MetricsFilter(metrics);
        serve(f, "/oauth2/token", 200, "{\"access_token\":\"x\"}");
        serve(f, "/oauth2/token", 401, "{\"error\":\"invalid_client\",\"error_description\":\"no\"}");
        serve(f, "/oauth2/par", 400, "{\"error_description\":\"d\",\"error\":\"invalid_request\"}");
        serve(f, "/nowhere/" + System.nanoTime(), 404, "<html>not found</html>");
        String text = NodeMetricsTest.scrape(metrics);
        assertTrue(text.contains("obkm_http_requests_total{endpoint=\"token\",status=\"200\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_requests_total{endpoint=\"token\",status=\"401\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_errors_total{endpoint=\"token\",error=\"invalid_client\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_errors_total{endpoint=\"par\",error=\"invalid_request\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_errors_total{endpoint=\"other\",error=\"http_404\"} 1.0"), text);
        assertTrue(!text.contains("error=\"\""), text);
    }

    @Test
    void anErrorCodeOutsideTheSafeSetIsNotALabel() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        MetricsFilter f = new MetricsFilter(metrics);
        serve(f, "/oauth2/token", 400, "{\"error\":\"Made-Up <code> " + "x".repeat(50) + "\"}");
        assertTrue(NodeMetricsTest.scrape(metrics).contains("obkm_http_errors_total{endpoint=\"token\",error=\"http_400\"} 1.0"));
    }
}
