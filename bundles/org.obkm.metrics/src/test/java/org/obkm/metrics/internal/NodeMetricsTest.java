package org.obkm.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.obkm.api.settings.ClusterSettings;

class NodeMetricsTest {

    static String scrape(NodeMetrics m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.scrape(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void recordsRequestsErrorsLatencyAndTokens() throws IOException {
        NodeMetrics m = new NodeMetrics();
        NodeMetrics.EndpointMeters token = m.endpoint("token");
        token.record(200, null, 2_000_000);
        token.record(401, "invalid_client", 3_000_000);
        m.issued("client_credentials");
        String text = scrape(m);
        assertTrue(text.contains("obkm_http_requests_total{endpoint=\"token\",status=\"200\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_errors_total{endpoint=\"token\",error=\"invalid_client\"} 1.0"), text);
        assertTrue(text.contains("obkm_http_request_duration_seconds_bucket{endpoint=\"token\",le=\"0.0025\"} 1"), text);
        assertTrue(text.contains("obkm_http_request_duration_seconds_count{endpoint=\"token\"} 2"), text);
        assertTrue(text.contains("obkm_tokens_issued_total{grant_type=\"client_credentials\"} 1.0"), text);
        assertTrue(text.contains("obkm_cluster_members 0.0"), text);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", m.contentType());
    }

    @Test
    void namesEachMemberWhoseSettingsDifferFromTheClusters() throws IOException {
        NodeMetrics m = new NodeMetrics();
        m.settings = (ClusterSettings) Proxy.newProxyInstance(ClusterSettings.class.getClassLoader(),
                new Class<?>[] {ClusterSettings.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "differences" -> List.of(
                            new ClusterSettings.Difference("org.obkm.oauth", "accessTokenLifetimeSeconds", "600",
                                    new TreeMap<>(Map.of("node-a", "600", "node-b", "300"))),
                            new ClusterSettings.Difference("org.obkm.dpop", "nonceLifetimeSeconds", null,
                                    new TreeMap<>(Map.of("node-b", "30"))));
                    case "appliedVersion" -> 7L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        String text = scrape(m);
        assertTrue(text.contains("obkm_settings_drift{member=\"node-b\"} 2.0"), text);
        assertTrue(!text.contains("obkm_settings_drift{member=\"node-a\"}"), text);
        assertTrue(text.contains("obkm_settings_applied_version 7.0"), text);
    }

    @Test
    void endpointLabelsAreAFixedSet() {
        assertEquals("token", Endpoints.of("/oauth2/token"));
        assertEquals("discovery", Endpoints.of("/.well-known/openid-configuration"));
        assertEquals("register", Endpoints.of("/register/abc"));
        assertEquals("other", Endpoints.of("/oauth2/token2"));
        assertEquals("other", Endpoints.of("/random/" + System.nanoTime()));
    }
}
