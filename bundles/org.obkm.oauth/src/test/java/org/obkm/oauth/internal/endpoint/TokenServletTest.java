package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.TestClients;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.obkm.oauth.internal.grant.GrantHandler;
import org.obkm.oauth.internal.policy.ClientProfiles;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/** The token endpoint's dispatch (RFC 6749 §3.2, §5.2): one handler per grant type, registered dynamically. */
class TokenServletTest {

    private static final Client CLIENT = new Client("tpp-1", "TPP", Set.of("client_credentials"), Set.of("accounts"),
            TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(), null, Instant.now());

    private final InMemorySharedState state = new InMemorySharedState();
    private final TokenServlet servlet = new TokenServlet(new ClientAuthenticator(TestClients.of(CLIENT),
            TestSettings.defaults(), state, TestSettings.profiles(ClientProfiles.NONE)), TestSettings.defaults(),
            TestDpop.proofs(state));
    private final GrantHandler clientCredentials = (client, request) -> "{\"access_token\":\"at\"}";
    private final Map<String, Object> ccProps = Map.of(GrantHandler.GRANT_TYPE, "client_credentials");

    /** A response that records its status, headers and body. */
    private static final class Recorded {
        int status;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse response() {
            ServletOutputStream out = CapturedOutput.into(body);
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "getOutputStream" -> {
                                return out;
                            }
                            default -> {
                                // content type, length, encoding: not what these tests look at
                            }
                        }
                        return null;
                    });
        }
    }

    private static HTTPRequest form(String body) throws Exception {
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(TestSettings.ISSUER));
        r.setContentType("application/x-www-form-urlencoded");
        r.setBody(body);
        return r;
    }

    @Test
    void dispatchesToTheHandlerOfTheGrantTypeAndAnswersNoStore() throws Exception {
        servlet.addHandler(clientCredentials, ccProps);
        Recorded r = new Recorded();
        servlet.handle(CLIENT, form("grant_type=client_credentials"), r.response());
        assertEquals(200, r.status);
        assertEquals("no-store", r.headers.get("Cache-Control"));
        assertEquals("{\"access_token\":\"at\"}", r.body.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aGrantTypeWithoutHandlerIsUnsupported() throws Exception {
        servlet.addHandler(clientCredentials, ccProps);
        OAuthException e = assertThrows(OAuthException.class,
                () -> servlet.handle(CLIENT, form("grant_type=password"), new Recorded().response()));
        assertEquals("unsupported_grant_type", e.error().getCode());
        servlet.removeHandler(clientCredentials, ccProps);
        e = assertThrows(OAuthException.class,
                () -> servlet.handle(CLIENT, form("grant_type=client_credentials"), new Recorded().response()));
        assertEquals("unsupported_grant_type", e.error().getCode(), "a handler that went away is gone");
    }

    @Test
    void aGrantTheClientIsNotRegisteredForIsUnauthorizedClient() throws Exception {
        servlet.addHandler((client, request) -> "{}", Map.of(GrantHandler.GRANT_TYPE, "refresh_token"));
        OAuthException e = assertThrows(OAuthException.class,
                () -> servlet.handle(CLIENT, form("grant_type=refresh_token&refresh_token=x"), new Recorded().response()));
        assertEquals("unauthorized_client", e.error().getCode());
    }

    @Test
    void aMissingGrantTypeIsInvalidRequest() throws Exception {
        OAuthException e = assertThrows(OAuthException.class,
                () -> servlet.handle(CLIENT, form("scope=accounts"), new Recorded().response()));
        assertEquals("invalid_request", e.error().getCode());
    }
}
