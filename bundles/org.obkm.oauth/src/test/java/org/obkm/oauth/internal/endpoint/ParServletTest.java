package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.sql.SQLTransientConnectionException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.request.AuthorizationRequestValidator;
import org.obkm.oauth.internal.request.PushedRequests;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

/** The PAR endpoint over the servlet API: private_key_jwt authentication, 201 with a request_uri, 400 JSON errors. */
public class ParServletTest {

    private static final String PAR_URL = "https://as.bank.example/oauth2/par";

    private final InMemorySharedState state = new InMemorySharedState();
    private final PushedRequests pushed = new PushedRequests(state);
    private ParServlet servlet;

    ParServletTest() {
        servlet = servlet(TestClients.of(ParFixture.CLIENT));
    }

    private ParServlet servlet(ClientService clients) {
        ServerSettings settings = TestSettings.defaults();
        // Request objects are judged at the real time here: the client assertion check reads the system clock.
        AuthorizationRequestValidator validator = AuthorizationRequestValidator.atClock(settings,
                new ClientProfiles(new TestSettings(), Map.of()), Clock.system(ZoneOffset.UTC));
        return new ParServlet(new ClientAuthenticator(clients, settings, state,
                TestSettings.profiles(ClientProfiles.FAPI2_MESSAGE_SIGNING)), settings, validator, pushed,
                TestDpop.proofs(state));
    }

    private static String assertion(String audience) {
        long now = System.currentTimeMillis();
        return ParFixture.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(),
                new JWTClaimsSet.Builder().issuer(ParFixture.CLIENT_ID).subject(ParFixture.CLIENT_ID).audience(audience)
                        .jwtID(UUID.randomUUID().toString()).expirationTime(new Date(now + 60_000)).build(),
                ParFixture.RSA);
    }

    private static String requestObject(String responseType) {
        long now = System.currentTimeMillis();
        return ParFixture.ps256(ParFixture.claims(b -> b.notBeforeTime(new Date(now - 1000))
                .expirationTime(new Date(now + 300_000)).claim("response_type", responseType)));
    }

    private Map<String, Object> post(String body, int expectedStatus) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream input = new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "POST";
                    case "getContentType" -> "application/x-www-form-urlencoded";
                    case "getContentLengthLong" -> (long) bytes.length;
                    case "getInputStream" -> input;
                    case "getRequestURL" -> new StringBuffer(PAR_URL);
                    default -> null;
                });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServletOutputStream output = new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
        Map<String, Object> sent = new HashMap<>();
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setStatus" -> sent.put("status", args[0]);
                        case "setHeader" -> sent.put((String) args[0], args[1]);
                        case "setContentType" -> sent.put("Content-Type", args[0]);
                        case "getOutputStream" -> {
                            return output;
                        }
                        default -> { }
                    }
                    return null;
                });
        servlet.service(req, resp);
        assertEquals(expectedStatus, sent.get("status"), out.toString(StandardCharsets.UTF_8));
        assertEquals("application/json", sent.get("Content-Type"));
        assertEquals("no-store", sent.get("Cache-Control"));
        return JSONObjectUtils.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static String form(String assertion, String request) {
        return "client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                StandardCharsets.UTF_8) + "&client_assertion=" + assertion + "&request=" + request;
    }

    @Test
    public void answers201WithAOneTimeRequestUriForTheClient() throws Exception {
        Map<String, Object> json = post(form(assertion(TestSettings.ISSUER), requestObject("code")), 201);
        assertEquals(60L, json.get("expires_in"));
        String uri = (String) json.get("request_uri");
        assertTrue(uri.startsWith(PushedRequests.URN_PREFIX), uri);
        assertEquals("code", pushed.find(uri, ParFixture.CLIENT_ID).orElseThrow().request().responseType());
        assertEquals(Optional.empty(), pushed.find(uri, "another-client"));
    }

    /** FAPI 2.0 SP §5.3.2.1 (issue 10 item 4): at PAR too, only the issuer is a client assertion's aud. */
    @Test
    public void refusesThePARUrlAsClientAssertionAudienceUnderFapi2() throws Exception {
        Map<String, Object> json = post(form(assertion(PAR_URL), requestObject("code")), 401);
        assertEquals("invalid_client", json.get("error"));
    }

    @Test
    public void rejectsAClientAssertionForAnotherEndpoint() throws Exception {
        assertEquals("invalid_client",
                post(form(assertion("https://as.bank.example/oauth2/introspect"), requestObject("code")), 401).get("error"));
    }

    @Test
    public void answersARefusedRequestWith400Json() throws Exception {
        Map<String, Object> json = post(form(assertion(TestSettings.ISSUER), requestObject("code id_token")), 400);
        assertEquals("unauthorized_client", json.get("error"));
        assertTrue(state.values.keySet().stream().noneMatch(k -> k.startsWith(PushedRequests.MAP + "/")));
    }

    @Test
    public void answersABadRequestObjectWith400InvalidRequestObject() throws Exception {
        assertEquals("invalid_request_object", post(form(assertion(TestSettings.ISSUER), "x.y.z"), 400).get("error"));
    }

    @Test
    public void requiresClientAuthentication() throws Exception {
        assertEquals("invalid_client", post("request=" + requestObject("code"), 401).get("error"));
    }

    @Test
    void answers503WhileTheClusterIsAway() throws Exception {
        state.down = true;
        Map<String, Object> json = post(form(assertion(TestSettings.ISSUER), requestObject("code")), 503);
        assertEquals("temporarily_unavailable", json.get("error"));
    }

    @Test
    void answers503WhenTheDatabaseCannotBeReached() throws Exception {
        // Before Failures this was a 500 server_error: only the cluster had a 503 of its own.
        servlet = servlet(clientsFailingWith(new IllegalStateException("database error while reading a client",
                new SQLTransientConnectionException("connection is not available, request timed out"))));
        Map<String, Object> json = post(form(assertion(TestSettings.ISSUER), requestObject("code")), 503);
        assertEquals("temporarily_unavailable", json.get("error"));
        assertEquals("the database cannot be reached; retry shortly", json.get("error_description"));
    }

    @Test
    void answers500ServerErrorForADefect() throws Exception {
        servlet = servlet(clientsFailingWith(new IllegalStateException("a defect")));
        assertEquals("server_error", post(form(assertion(TestSettings.ISSUER), requestObject("code")), 500).get("error"));
    }

    private static ClientService clientsFailingWith(RuntimeException failure) {
        return new TestClients(Map.of()) {
            @Override
            public Optional<Client> find(String clientId) {
                throw failure;
            }
        };
    }
}
