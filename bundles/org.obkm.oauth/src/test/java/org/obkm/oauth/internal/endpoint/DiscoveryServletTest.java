package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestMtlsConfig;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.sender.ClientCertificates;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Issue 10 item 8: the discovery document uses registered metadata names only (RFC 8414 §2, OpenID
 * Connect Discovery 1.0 §3 and the extensions in the IANA registry); the names are in
 * {@code registered-server-metadata.txt} beside this class, each group with its source.
 */
class DiscoveryServletTest {

    private static Set<String> registeredNames() throws IOException {
        try (InputStream in = DiscoveryServletTest.class.getResourceAsStream("registered-server-metadata.txt")) {
            assertNotNull(in, "registered-server-metadata.txt on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        }
    }

    private static Map<String, Object> discoveryDocument() throws Exception {
        DiscoveryServlet servlet = new DiscoveryServlet(TestSettings.defaults(),
                new ClientCertificates(new TestMtlsConfig()), TestDpop.proofs(new InMemorySharedState()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = new int[1];
        ServletOutputStream out = CapturedOutput.into(body);
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(
                DiscoveryServletTest.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                    if ("setStatus".equals(method.getName())) {
                        status[0] = (Integer) args[0];
                    }
                    return "getOutputStream".equals(method.getName()) ? out : null;
                });
        servlet.doGet(null, resp);
        assertEquals(200, status[0]);
        return JSONObjectUtils.parse(body.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyTopLevelMemberIsARegisteredMetadataName() throws Exception {
        Set<String> registered = registeredNames();
        Set<String> unregistered = new TreeSet<>(discoveryDocument().keySet());
        unregistered.removeAll(registered);
        assertTrue(unregistered.isEmpty(), "not registered server metadata: " + unregistered);
    }

    /** RFC 8705 §5: the aliases are endpoint metadata names themselves. */
    @Test
    void everyMtlsEndpointAliasIsARegisteredEndpointName() throws Exception {
        Set<String> registered = registeredNames();
        Map<?, ?> aliases = (Map<?, ?>) discoveryDocument().get("mtls_endpoint_aliases");
        assertNotNull(aliases, "mtls_endpoint_aliases");
        for (Object name : aliases.keySet()) {
            assertTrue(registered.contains(name) && name.toString().endsWith("_endpoint"), "alias " + name);
        }
    }

    /** The member the suite warned about in every plan: no specification defines it. */
    @Test
    void doesNotAdvertiseAccessTokenSigningAlgValuesSupported() throws Exception {
        assertFalse(discoveryDocument().containsKey("access_token_signing_alg_values_supported"));
    }

    /** The list itself holds what other parts of issue 10 advertise (JARM, RFC 9701), so they pass here. */
    @Test
    void theListKnowsTheJarmAndJwtIntrospectionNames() throws Exception {
        assertTrue(registeredNames().containsAll(Set.of("response_modes_supported",
                "authorization_signing_alg_values_supported", "introspection_signing_alg_values_supported")));
    }
}
