package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Issue 10 item 5: {@code x-fapi-interaction-id} (FAPI 1 Baseline §6.2.1-11, FAPI 2.0) over real HTTPS
 * on every endpoint, successes and errors alike: the client's value echoed, a fresh UUID when none came
 * or when the client's value is no safe token; and each log line of the request carries it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InteractionIdIT extends NodeTestSupport {

    private static final String HEADER = "x-fapi-interaction-id";
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private static final String LOGGING = "etc/org.ops4j.pax.logging.cfg";
    private static final String TRANSPORT_FILTER = "org.obkm.oauth.internal.endpoint.TransportFilter";

    /** One request to an endpoint, with extra headers (name, value pairs). */
    private record Call(String name, int status, Function<String[], Https.Response> send) {
    }

    private List<Call> calls() {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        String basic = Https.basic(c.client().clientId(), c.secret());
        String wrong = Https.basic(c.client().clientId(), "not-the-secret");
        String token = (String) tokenFor(c).get("access_token");
        return List.of(
                new Call("discovery", 200, h -> https().get("/.well-known/openid-configuration", h)),
                new Call("jwks", 200, h -> https().get("/oauth2/jwks", h)),
                new Call("token", 200, h -> https().postForm(TOKEN, Https.form("grant_type", "client_credentials"),
                        with(h, "Authorization", basic))),
                new Call("token, wrong secret", 401, h -> https().postForm(TOKEN,
                        Https.form("grant_type", "client_credentials"), with(h, "Authorization", wrong))),
                new Call("introspection", 200, h -> https().postForm(INTROSPECT, Https.form("token", token),
                        with(h, "Authorization", basic))),
                new Call("revocation", 200, h -> https().postForm(REVOKE, Https.form("token", "unknown"),
                        with(h, "Authorization", basic))),
                new Call("PAR, no client authentication", 401, h -> https().postForm("/oauth2/par",
                        Https.form("client_id", c.client().clientId(), "response_type", "code"), h)),
                new Call("userinfo, no token", 401, h -> https().get("/oauth2/userinfo", h)),
                new Call("userinfo, an unknown token", 401, h -> https().get("/oauth2/userinfo",
                        with(h, "Authorization", "Bearer not-a-token"))),
                new Call("authorize, no request_uri", 400, h -> https().get("/oauth2/authorize", h)),
                new Call("health", 200, h -> https().get("/health", h)));
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    @Test
    public void everyEndpointEchoesTheClientsInteractionId() {
        for (Call call : calls()) {
            String id = UUID.randomUUID().toString();
            Https.Response r = call.send().apply(new String[] {HEADER, id});
            assertEquals(call.name() + ": " + r, call.status(), r.status());
            assertEquals(call.name() + " echoes the id", id, r.header(HEADER));
            assertEquals(call.name() + ": one value", 1, r.headerValues(HEADER).size());
        }
    }

    @Test
    public void everyEndpointMakesAnInteractionIdWhenNoneCame() {
        for (Call call : calls()) {
            Https.Response r = call.send().apply(new String[0]);
            assertEquals(call.name() + ": " + r, call.status(), r.status());
            String made = r.header(HEADER);
            assertNotNull(call.name() + " answers without an id of its own", made);
            assertTrue(call.name() + " makes a UUID: " + made, UUID_FORM.matcher(made).matches());
            assertNotEquals("a fresh one each time", made, call.send().apply(new String[0]).header(HEADER));
        }
    }

    /** The FAPI 1 failure in every module: the resource's 401 carries the client's id too. */
    @Test
    public void userinfoRefusalEchoesTheInteractionId() {
        String id = UUID.randomUUID().toString();
        Https.Response r = https().get("/oauth2/userinfo", HEADER, id, "Authorization", "Bearer not-a-token");
        assertOAuthError(r, 401, "invalid_token");
        assertEquals(id, r.header(HEADER));
    }

    /**
     * A value that is no safe token is not reflected: the answer carries a fresh UUID, and the one log line
     * the refusal writes carries that UUID through the request's MDC ({@code %X{interaction-id}} in
     * etc/org.ops4j.pax.logging.cfg), not through its message.
     */
    @Test
    public void unsafeInteractionIdIsReplacedAndTheLogLineCarriesTheFreshOne() {
        String unsafe = "<a b=\"1\">;" + "x".repeat(80);
        Https.Response r = https().get("/oauth2/jwks", HEADER, unsafe);
        assertEquals("jwks " + r, 200, r.status());
        String fresh = r.header(HEADER);
        assertNotNull(fresh);
        assertTrue("a fresh UUID: " + fresh, UUID_FORM.matcher(fresh).matches());
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log");
        Await.until("a log line of the request with " + fresh + " in " + log, Duration.ofSeconds(10),
                () -> Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                        .anyMatch(line -> line.contains(fresh) && line.contains(HEADER) && !line.contains(unsafe)));
    }

    /** The node of {@link NodeTestSupport}, with the filter's refusals logged (the tests' root level is WARN). */
    @Override
    @Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut(LOGGING, "log4j2.logger.obkmtransport.name", TRANSPORT_FILTER),
                editConfigurationFilePut(LOGGING, "log4j2.logger.obkmtransport.level", "INFO"));
    }
}
