package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.ExternalResource;
import org.junit.rules.RuleChain;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Browser;
import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.JarmResponses;
import org.obkm.itests.support.Tls;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExamServer;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;

/**
 * The authorization code flow in a real browser: headless Debian Chromium, driven by Selenium through
 * Debian's chromedriver, signs in (a wrong password first), reads the consent page and approves or
 * denies; the client's side (PAR, token, userinfo, refresh) is {@link FlowClient}. The redirect lands
 * on a small HTTP server of this test on loopback (RFC 8252 §7.3 allows http there), so the test sees
 * what a client would receive.
 *
 * <p>Selenium's client is no OSGi bundle, so this class runs in the driver JVM: {@link PaxExamServer}
 * starts the node (the same options as {@link NodeTestSupport}) and the test administers it as an
 * operator does, through its {@code bin/obkm-shell}. Without chromium and chromedriver (.ci/run installs
 * them) the test fails rather than skips.
 */
public class BrowserFlowIT {

    static final String CHROMIUM = System.getProperty("obkm.it.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("obkm.it.chromedriver", "/usr/bin/chromedriver");
    /** Ports this test may listen on: the callback server, chromedriver, Chromium's DevTools. */
    private static final int FIRST_PORT = Integer.getInteger("obkm.it.browser.firstPort", 8290);
    private static final int LAST_PORT = Integer.getInteger("obkm.it.browser.lastPort", 8299);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "BrowserHorse7Battery";
    private static final String CLIENT_NAME = "Browser IT Bank App";
    private static final String TPP_NAME = "Browser IT Consent TPP";
    private static final File UNPACK = new File(System.getProperty("obkm.it.unpack", "target/exam") + "-browser");

    @ClassRule
    public static final RuleChain NODE = RuleChain.outerRule(new ExternalResource() {
        @Override
        protected void before() throws IOException {
            requireBrowser();
            deleteTree(UNPACK.toPath());
        }
    }).around(new PaxExamServer());

    private static Path karafHome;
    private static String username;
    private static FlowClient client;
    private static HttpServer callbackServer;
    private static final BlockingQueue<URI> CALLBACKS = new LinkedBlockingQueue<>();
    /** The bodies of form posts to the redirect URI (form_post.jwt), in order. */
    private static final BlockingQueue<String> FORM_POSTS = new LinkedBlockingQueue<>();
    private static String redirectUri;
    /** Every browser profile made; deleted at the end (two browsers may run at once). */
    private static final List<Path> PROFILE_DIRS = new java.util.ArrayList<>();
    /** A client that registered encrypted JARM responses (RSA-OAEP-256, A256GCM) and holds the key to decrypt. */
    private static FlowClient encryptingClient;
    private static RSAKey encryptionKey;
    /** A TPP that lodges open-banking consents (client_credentials) and has the PSU authorise them. */
    private static FlowClient tpp;
    /** The node's API, as the TPP calls the consent resources. */
    private static Https api;
    private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

    /** What Pax Exam starts: the node of {@link NodeTestSupport}, unpacked apart from the other classes'. */
    @Configuration
    public Option[] config() {
        return NodeTestSupport.nodeOptions(UNPACK);
    }

    @BeforeClass
    public static void registerClientAndUser() throws Exception {
        long started = System.nanoTime();
        karafHome = findKarafHome();
        int httpsPort = Integer.getInteger("obkm.it.https.port", 9546);
        NodeTestSupport.awaitServing(karafHome.resolve("etc/obkm-tls.p12"), httpsPort,
                Integer.getInteger("obkm.it.http.port", 9866), Duration.ofSeconds(90));
        System.out.printf("node healthy %d ms after Pax Exam started it%n", (System.nanoTime() - started) / 1_000_000);

        int callbackPort = startCallbackServer();
        redirectUri = "http://127.0.0.1:" + callbackPort + "/cb";
        username = "bob" + UUID.randomUUID().toString().substring(0, 8);
        var key = FlowClient.newClientKey();
        Path jwks = Files.createTempFile("browser-it-jwks", ".json");
        Files.writeString(jwks, FlowClient.publicJwks(key));
        var encryptingKey = FlowClient.newEcClientKey();
        encryptionKey = new RSAKeyGenerator(2048).keyID("jarm-enc").keyUse(KeyUse.ENCRYPTION).generate();
        Path encryptingJwks = Files.createTempFile("browser-it-jwks-enc", ".json");
        Files.writeString(encryptingJwks, new JWKSet(List.of(encryptingKey.toPublicJWK(), encryptionKey.toPublicJWK()))
                .toString());
        // One shell session for all: each bin/client start costs seconds.
        String out = obkmShell(
                "obkm:user-add --display-name \"Bob Browser\" --password " + PASSWORD + " " + username,
                "obkm:client-create --name \"" + CLIENT_NAME + "\" --grant-types authorization_code,refresh_token"
                + " --redirect-uri " + redirectUri + " --auth-method private_key_jwt --jwks-file " + jwks
                + " --scopes accounts,profile --json",
                "obkm:client-create --name \"JARM Encrypting App\" --grant-types authorization_code"
                + " --redirect-uri " + redirectUri + " --auth-method private_key_jwt --jwks-file " + encryptingJwks
                + " --authorization-signed-response-alg ES256 --authorization-encrypted-response-alg RSA-OAEP-256"
                + " --authorization-encrypted-response-enc A256GCM --scopes accounts --json",
                "obkm:client-create --name \"" + TPP_NAME + "\" --grant-types authorization_code,refresh_token,client_credentials"
                + " --redirect-uri " + redirectUri + " --auth-method private_key_jwt --jwks-file " + jwks
                + " --scopes accounts,payments --json");
        Files.delete(jwks);
        Files.delete(encryptingJwks);
        List<Map<String, Object>> created = out.lines().filter(l -> l.startsWith("{")).map(Https.Response::parseJson)
                .toList();
        if (created.size() != 3) {
            throw new AssertionError("three clients expected from client-create: " + out);
        }
        String issuer = "https://localhost:" + httpsPort + NodeTestSupport.TOKEN;
        var tls = Tls.trusting(Tls.nodeCertificate(karafHome.resolve("etc/obkm-tls.p12")));
        client = new FlowClient("https://localhost:" + httpsPort, issuer, tls, (String) created.get(0).get("client_id"),
                key, redirectUri);
        assertEquals("client-create shows the JARM metadata", "RSA-OAEP-256",
                created.get(1).get("authorization_encrypted_response_alg"));
        encryptingClient = new FlowClient("https://localhost:" + httpsPort, issuer, tls,
                (String) created.get(1).get("client_id"), encryptingKey, redirectUri);
        tpp = new FlowClient("https://localhost:" + httpsPort, issuer, tls, (String) created.get(2).get("client_id"),
                key, redirectUri);
        api = Https.using(tls, httpsPort, Integer.getInteger("obkm.it.http.port", 9866));
    }

    @AfterClass
    public static void stopCallbackServer() throws IOException {
        if (callbackServer != null) {
            callbackServer.stop(0);
        }
        for (Path dir : PROFILE_DIRS) {
            deleteTree(dir);
        }
    }

    @Test
    public void signInConsentTokensUserinfoAndRefreshInChromium() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid profile accounts");
        String requestUri = client.push(a);
        WebDriver browser = newBrowser();
        try {
            browser.get(client.authorizeUri(requestUri).toString());
            waitForPath(browser, FlowClient.LOGIN);
            assertEquals(CLIENT_NAME, browser.findElement(By.id("client-name")).getText());

            signIn(browser, username, PASSWORD + "-wrong");
            WebElement message = new WebDriverWait(browser, WAIT)
                    .until(d -> d.findElements(By.id("message")).stream().findFirst().orElse(null));
            assertTrue("a message after the wrong password", !message.getText().isBlank());
            assertEquals(FlowClient.LOGIN, URI.create(browser.getCurrentUrl()).getPath());
            assertEquals("the typed name is kept", username,
                    browser.findElement(By.id("username")).getDomProperty("value"));

            signIn(browser, username, PASSWORD);
            waitForPath(browser, FlowClient.CONSENT);
            assertEquals(CLIENT_NAME, browser.findElement(By.id("client-name")).getText());
            List<String> codes = browser.findElements(By.cssSelector("li.permission[data-code]")).stream()
                    .map(e -> e.getDomAttribute("data-code")).toList();
            assertEquals(List.of("openid", "profile", "accounts"), codes);
            for (WebElement p : browser.findElements(By.cssSelector("li.permission"))) {
                assertTrue("a permission in plain words", !p.getText().isBlank());
            }

            CALLBACKS.clear();
            browser.findElement(By.id("approve")).click();
            URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl(), received);
            new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().startsWith(redirectUri));
            assertEquals("the browser's URL is what the client received", received.getRawQuery(),
                    URI.create(browser.getCurrentUrl()).getRawQuery());
            Map<String, String> q = Https.query(received);
            assertEquals(a.state(), q.get("state"));
            assertEquals(client.clientId() + " got iss", issuerOf(), q.get("iss"));
            assertNull(q.get("error"));

            Https.Response tokenResponse = client.redeem(q.get("code"), a);
            assertEquals("token response " + tokenResponse, 200, tokenResponse.status());
            Map<String, Object> tokens = tokenResponse.json();
            assertEquals("DPoP", tokens.get("token_type"));
            assertNotNull("ID token", tokens.get("id_token"));
            String accessToken = (String) tokens.get("access_token");
            String refreshToken = (String) tokens.get("refresh_token");
            assertNotNull("refresh token", refreshToken);

            Https.Response userinfo = client.userinfo(accessToken);
            assertEquals("userinfo " + userinfo, 200, userinfo.status());
            assertEquals("Bob Browser", userinfo.json().get("name"));
            assertEquals(username, userinfo.json().get("preferred_username"));

            // The default profile, fapi2-security-profile, does not rotate (FAPI 2.0 SP §5.3.2.1).
            Https.Response refreshed = client.refresh(refreshToken);
            assertEquals("refresh " + refreshed, 200, refreshed.status());
            assertNull("no new refresh token", refreshed.json().get("refresh_token"));
            String newAccess = (String) refreshed.json().get("access_token");
            assertNotEquals(accessToken, newAccess);
            assertEquals(Boolean.TRUE, client.introspect(newAccess).get("active"));

            Https.Response again = client.refresh(refreshToken);
            assertEquals("the same refresh token again " + again, 200, again.status());
            assertEquals("and the tokens before it stay active", Boolean.TRUE,
                    client.introspect(accessToken).get("active"));
        } finally {
            browser.quit();
        }
    }

    /**
     * Issue 14's end-to-end path: the TPP lodges an account-access consent with a client_credentials
     * token, pushes an authorization naming it as openbanking_intent_id; the PSU signs in, reads the
     * consent played back (its permissions and the demo bank's accounts), selects one and approves; the
     * tokens carry the consent, introspection shows it with the account; the TPP deletes the consent and
     * the token is inactive at once and its refresh token refused.
     */
    @Test
    public void accountConsentAuthorisedInChromiumBindsItsTokensUntilTheTppDeletesIt() throws Exception {
        Lodged lodged = lodgeAndPush();
        String cc = lodged.token();
        String consentId = lodged.consentId();
        FlowClient.Authorization a = lodged.auth();
        WebDriver browser = newBrowser();
        try {
            browser.get(tpp.authorizeUri(lodged.requestUri()).toString());
            waitForPath(browser, FlowClient.LOGIN);
            signIn(browser, username, PASSWORD);
            waitForPath(browser, FlowClient.CONSENT);
            assertEquals(TPP_NAME, browser.findElement(By.id("client-name")).getText());
            assertEquals(consentId, browser.findElement(By.id("consent-id")).getText());
            List<String> permissions = browser.findElements(By.cssSelector("li.permission[data-code]")).stream()
                    .map(e -> e.getDomAttribute("data-code")).toList();
            assertEquals(List.of("ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail",
                    "ReadTransactionsCredits", "ReadTransactionsDebits"), permissions);
            assertEquals("each permission in plain words", "Your balances",
                    browser.findElement(By.cssSelector("li.permission[data-code=ReadBalances] .permission-title"))
                            .getText());
            assertEquals("2 August 2099, 00:00 UTC", browser.findElement(By.id("fact-expires")).getText());
            List<String> offered = browser.findElements(By.cssSelector("li.account input")).stream()
                    .map(e -> e.getDomAttribute("value")).toList();
            assertEquals("the demo bank's accounts", List.of("22289", "31820", "40117"), offered);

            CALLBACKS.clear();
            browser.findElement(By.id("approve")).click();
            waitForPath(browser, FlowClient.CONSENT);
            assertTrue("approving without an account is refused on the page", browser.findElement(By.id("message"))
                    .getText().contains("at least one account"));
            browser.findElement(By.id("account-22289")).click();
            browser.findElement(By.id("approve")).click();
            URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl()
                    + " showing:\n" + browser.getPageSource(), received);
            Https.Response tokens = tpp.redeem(Https.query(received).get("code"), a);
            assertEquals("token response " + tokens, 200, tokens.status());
            String accessToken = tokens.string("access_token");
            assertEquals("the ID token names the consent", consentId, com.nimbusds.jwt.SignedJWT
                    .parse(tokens.string("id_token")).getJWTClaimsSet().getStringClaim("openbanking_intent_id"));

            Https.Response userinfo = tpp.userinfo(accessToken);
            assertEquals("userinfo " + userinfo, 200, userinfo.status());
            assertEquals(consentId, userinfo.json().get("openbanking_intent_id"));

            Map<String, Object> introspected = tpp.introspect(accessToken);
            assertEquals(Boolean.TRUE, introspected.get("active"));
            assertEquals(consentId, introspected.get("openbanking_intent_id"));
            @SuppressWarnings("unchecked")
            Map<String, Object> consent = (Map<String, Object>) introspected.get("consent");
            assertEquals("account-access", consent.get("type"));
            assertEquals("Authorised", consent.get("status"));
            assertEquals(List.of("22289"), consent.get("accounts"));
            assertEquals(permissions, consent.get("permissions"));
            assertEquals("Authorised", ConsentIT.statusOf(api.get(ConsentIT.AAC + "/" + consentId,
                    dpop(cc, "GET", ConsentIT.AAC + "/" + consentId))));

            Https.Response deleted = api.exchange(java.net.http.HttpRequest.newBuilder(api.uri(ConsentIT.AAC + "/"
                    + consentId)).DELETE(), dpop(cc, "DELETE", ConsentIT.AAC + "/" + consentId));
            assertEquals("TPP deletes the consent " + deleted, 204, deleted.status());
            assertEquals("the token died with its consent", Boolean.FALSE, tpp.introspect(accessToken).get("active"));
            Https.Response refreshed = tpp.refresh(tokens.string("refresh_token"));
            assertEquals("refresh after the delete " + refreshed, 400, refreshed.status());
            assertEquals("invalid_grant", refreshed.string("error"));
        } finally {
            browser.quit();
        }
    }

    /**
     * The FAPI 2.0 form of issue 14's path: the PAR names the account-access consent with RFC 9396
     * authorization_details (type account_information, consentId) and no openbanking_intent_id; the PSU
     * approves one account in Chromium; the token response and introspection carry the details with the
     * consent's status and the selected account, and a refresh keeps them.
     */
    @Test
    public void richAuthorizationRequestNamingAnAccountConsentIsAuthorisedInChromium() throws Exception {
        String cc = tppToken("accounts");
        String consentId = lodge(cc, ConsentIT.AAC, ConsentIT.ACCOUNT_BODY);
        FlowClient.Authorization a = tpp.newAuthorization("openid accounts");
        Https.Response pushed = tpp.par(a, b -> b.claim("authorization_details",
                List.of(Map.of("type", "account_information", "consentId", consentId))), true);
        assertEquals("PAR with authorization_details " + pushed, 201, pushed.status());
        WebDriver browser = newBrowser();
        try {
            browser.get(tpp.authorizeUri(pushed.string("request_uri")).toString());
            waitForPath(browser, FlowClient.LOGIN);
            signIn(browser, username, PASSWORD);
            waitForPath(browser, FlowClient.CONSENT);
            assertEquals("the consent page plays back the referenced consent", consentId,
                    browser.findElement(By.id("consent-id")).getText());
            CALLBACKS.clear();
            browser.findElement(By.id("account-31820")).click();
            browser.findElement(By.id("approve")).click();
            URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl(), received);
            Https.Response tokens = tpp.redeem(Https.query(received).get("code"), a);
            assertEquals("token response " + tokens, 200, tokens.status());
            Map<String, Object> granted = Map.of("type", "account_information", "consentId", consentId,
                    "status", "Authorised", "accounts", List.of("31820"));
            assertEquals("RFC 9396 section 7", List.of(granted), tokens.json().get("authorization_details"));
            Map<String, Object> introspected = tpp.introspect(tokens.string("access_token"));
            assertEquals(Boolean.TRUE, introspected.get("active"));
            assertEquals("RFC 9396 section 9.2", List.of(granted), introspected.get("authorization_details"));
            assertEquals(consentId, introspected.get("openbanking_intent_id"));
            Https.Response refreshed = tpp.refresh(tokens.string("refresh_token"));
            assertEquals("refresh " + refreshed, 200, refreshed.status());
            assertEquals("a refresh keeps them", List.of(granted), refreshed.json().get("authorization_details"));
        } finally {
            browser.quit();
        }
    }

    /** Deny on an open-banking consent: the consent is Rejected and the client hears access_denied. */
    @Test
    public void deniedAccountConsentIsRejectedAndTheClientHearsAccessDenied() throws Exception {
        Lodged lodged = lodgeAndPush();
        String cc = lodged.token();
        String consentId = lodged.consentId();
        URI received = answerInChromium(tpp, lodged.requestUri(), "deny");
        assertEquals("access_denied", Https.query(received).get("error"));
        assertEquals("Rejected", ConsentIT.statusOf(api.get(ConsentIT.AAC + "/" + consentId,
                dpop(cc, "GET", ConsentIT.AAC + "/" + consentId))));
        Https.Response again = tpp.par(tpp.newAuthorization("openid accounts"),
                b -> b.claim("claims", ConsentIT.intent(consentId)), true);
        assertEquals("a Rejected consent cannot be authorised again", 400, again.status());
    }

    /** An account-access consent the TPP lodged with its token, and an authorization pushed naming it. */
    private record Lodged(String token, String consentId, FlowClient.Authorization auth, String requestUri) {
    }

    private static Lodged lodgeAndPush() {
        String cc = tppToken("accounts");
        String consentId = lodge(cc, ConsentIT.AAC, ConsentIT.ACCOUNT_BODY);
        FlowClient.Authorization a = tpp.newAuthorization("openid accounts");
        Https.Response pushed = tpp.par(a, b -> b.claim("claims", ConsentIT.intent(consentId)), true);
        assertEquals("PAR naming the consent " + pushed, 201, pushed.status());
        return new Lodged(cc, consentId, a, pushed.string("request_uri"));
    }

    /** A DPoP-bound client_credentials token of the TPP. */
    private static String tppToken(String scope) {
        Https.Response r = tpp.token(true, "grant_type", "client_credentials", "scope", scope);
        assertEquals("client_credentials " + r, 200, r.status());
        return r.string("access_token");
    }

    /** The Authorization and DPoP headers of a consent resource request with the TPP's token. */
    private static String[] dpop(String token, String method, String path) {
        return new String[] {"Authorization", "DPoP " + token, "DPoP", tpp.dpopProof(method, api.uri(path).toString(),
                token)};
    }

    /** Creates a consent at the resource; its ConsentId. */
    private static String lodge(String token, String path, String body) {
        Https.Response r = api.post(path, ConsentIT.JSON, body, dpop(token, "POST", path));
        assertEquals("consent created " + r, 201, r.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) r.json().get("Data");
        return (String) data.get("ConsentId");
    }

    /**
     * A customer of the bank's directory (Debian slapd) signs in as {@code DOMAIN/username} in Chromium,
     * once a user store file for that domain is dropped into the node's user store folder.
     */
    @Test
    public void directoryCustomerSignsInWithDomainQualifiedNameInChromium() throws Exception {
        try (Slapd slapd = Slapd.start(Slapd.person("carol", "Carol Directory", "carol@example.com", "Carol-Dir-Pw-1"))) {
            Path folder = karafHome.resolve("repository/deployment/server/userstores");
            Files.createDirectories(folder);
            Path staged = Files.createTempFile(karafHome, ".userstore", ".tmp");
            Files.writeString(staged, UserStoreIT.ldapCfg("BROWSER.TEST", slapd.url(), Slapd.SERVICE_PASSWORD));
            Files.move(staged, folder.resolve("BROWSER_TEST.cfg"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Await.until("BROWSER.TEST/carol signs in once the file is read", WAIT,
                    () -> directoryUserSignsIn("BROWSER.TEST/carol", "Carol-Dir-Pw-1"));

            FlowClient.Authorization a = client.newAuthorization("openid profile accounts");
            WebDriver browser = newBrowser();
            try {
                browser.get(client.authorizeUri(client.push(a)).toString());
                waitForPath(browser, FlowClient.LOGIN);
                signIn(browser, "BROWSER.TEST/carol", "Carol-Dir-Pw-1");
                waitForPath(browser, FlowClient.CONSENT);
                CALLBACKS.clear();
                browser.findElement(By.id("approve")).click();
                URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl(), received);
                Https.Response tokens = client.redeem(Https.query(received).get("code"), a);
                assertEquals("token response " + tokens, 200, tokens.status());
                String sub = com.nimbusds.jwt.SignedJWT.parse((String) tokens.json().get("id_token")).getJWTClaimsSet()
                        .getSubject();
                assertTrue("sub of a directory customer: " + sub, sub.startsWith("BROWSER.TEST/") && !sub.endsWith("/carol"));
                Https.Response userinfo = client.userinfo((String) tokens.json().get("access_token"));
                assertEquals(sub, userinfo.json().get("sub"));
                assertEquals("BROWSER.TEST/carol", userinfo.json().get("preferred_username"));
                assertEquals("Carol Directory", userinfo.json().get("name"));
            } finally {
                browser.quit();
                Files.deleteIfExists(folder.resolve("BROWSER_TEST.cfg"));
            }
        }
    }

    /** The scripted login page (no browser): PAR, authorize, one sign-in POST; whether it reached consent. */
    private static boolean directoryUserSignsIn(String name, String password) {
        Browser b = client.browser();
        Https.Response authorize = b.get(client.authorizeUri(client.push(client.newAuthorization("openid accounts"))));
        Https.Response signedIn = b.signIn(b.get(authorize.location()), name, password);
        return signedIn.status() == 303;
    }

    @Test
    public void denyReturnsAccessDeniedWithIssToTheClient() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        String requestUri = client.push(a);
        WebDriver browser = newBrowser();
        try {
            browser.get(client.authorizeUri(requestUri).toString());
            waitForPath(browser, FlowClient.LOGIN);
            signIn(browser, username, PASSWORD);
            waitForPath(browser, FlowClient.CONSENT);
            CALLBACKS.clear();
            browser.findElement(By.id("deny")).click();
            URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl(), received);
            Map<String, String> q = Https.query(received);
            assertEquals("access_denied", q.get("error"));
            assertEquals(a.state(), q.get("state"));
            assertEquals(issuerOf(), q.get("iss"));
            assertNull("no code after a denial", q.get("code"));
        } finally {
            browser.quit();
        }
    }

    /** Every page and the error pages forbid framing and scripts: checked over plain HTTPS. */
    @Test
    public void pagesForbidFramingAndScripts() {
        Browser b = client.browser();
        Https.Response authorize = b.get(client.authorizeUri(client.push(client.newAuthorization("openid"))));
        assertEquals("authorization endpoint " + authorize, 303, authorize.status());
        Https.Response login = b.get(authorize.location());
        assertEquals("login page " + login, 200, login.status());
        Https.Response signedIn = b.signIn(login, username, PASSWORD);
        assertEquals("sign-in " + signedIn, 303, signedIn.status());
        Https.Response consent = b.get(signedIn.location());
        assertEquals("consent page " + consent, 200, consent.status());
        Https.Response pageError = client.browser().get(login.uri());
        assertEquals("login page in another browser " + pageError, 400, pageError.status());
        Https.Response authorizeError = b.get(URI.create(client.base() + FlowClient.AUTHORIZE));
        assertEquals("authorization endpoint without request " + authorizeError, 400, authorizeError.status());

        for (Https.Response r : List.of(authorize, login, consent, pageError, authorizeError)) {
            String where = r.status() + " " + r.uri().getPath();
            assertEquals(where, "DENY", r.header("X-Frame-Options"));
            String csp = String.valueOf(r.header("Content-Security-Policy"));
            assertTrue(where + " CSP " + csp, csp.contains("frame-ancestors 'none'"));
            assertTrue(where + " CSP " + csp, csp.contains("default-src 'none'"));
            assertTrue(where + " CSP allows no script: " + csp, !csp.contains("script-src"));
            assertEquals(where, "no-store", r.header("Cache-Control"));
        }
        for (Https.Response r : List.of(login, consent, pageError, authorizeError)) {
            assertTrue(r.uri() + " " + r.header("Content-Type"), r.header("Content-Type").startsWith("text/html"));
            assertEquals(r.uri().toString(), "nosniff", r.header("X-Content-Type-Options"));
            assertTrue("no script in " + r, !r.body().toLowerCase().contains("<script"));
        }
    }

    // --- JARM (JWT Secured Authorization Response Mode) -----------------------------------------

    /**
     * {@code response_mode=query.jwt}: the browser brings back one parameter, {@code response}, a JWT that
     * verifies with the node's JWK Set fetched over HTTPS (iss, aud, exp as JARM §4.1 and the conformance
     * suite check them), and its code is redeemed for tokens.
     */
    @Test
    public void jarmQueryJwtResponseVerifiesWithTheJwksAndItsCodeIsRedeemed() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        URI received = approveInChromium(client, pushWithResponseMode(client, a, "query.jwt"));
        Map<String, String> q = Https.query(received);
        assertEquals("only the response JWT comes back: " + received, Set.of("response"), q.keySet());
        JWTClaimsSet c = JarmResponses.verify(q.get("response"), serverKeys(), issuerOf(), client.clientId(), null);
        assertEquals(a.state(), c.getStringClaim("state"));
        assertNull(c.getStringClaim("error"));
        Https.Response tokens = client.redeem(c.getStringClaim("code"), a);
        assertEquals("token response " + tokens, 200, tokens.status());
        assertNotNull(tokens.json().get("access_token"));
    }

    /** {@code form_post.jwt}: Chromium posts {@code response} to the redirect URI by itself; its code is redeemed. */
    @Test
    public void jarmFormPostJwtIsPostedByTheBrowserAndItsCodeIsRedeemed() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        FORM_POSTS.clear();
        URI received = approveInChromium(client, pushWithResponseMode(client, a, "form_post.jwt"));
        assertNull("nothing in the URL: " + received, received.getRawQuery());
        String body = FORM_POSTS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull("the browser posted no form to the redirect URI", body);
        Map<String, String> form = Https.query(URI.create("http://x/?" + body));
        assertEquals(Set.of("response"), form.keySet());
        JWTClaimsSet c = JarmResponses.verify(form.get("response"), serverKeys(), issuerOf(), client.clientId(), null);
        assertEquals(a.state(), c.getStringClaim("state"));
        Https.Response tokens = client.redeem(c.getStringClaim("code"), a);
        assertEquals("token response " + tokens, 200, tokens.status());
    }

    /**
     * A client that registered {@code authorization_encrypted_response_alg} RSA-OAEP-256 with A256GCM and
     * ES256 signing (through obkm:client-create) gets its response encrypted to its key: the test holds the
     * private key, decrypts, verifies the inner JWT with the JWK Set and redeems the code.
     */
    @Test
    public void jarmEncryptedResponseDecryptsWithTheClientKeyAndItsCodeIsRedeemed() throws Exception {
        FlowClient.Authorization a = encryptingClient.newAuthorization("openid accounts");
        URI received = approveInChromium(encryptingClient, pushWithResponseMode(encryptingClient, a, "jwt"));
        String response = Https.query(received).get("response");
        assertNotNull("jwt is query.jwt for code (JARM section 4.3.4): " + received, response);
        assertEquals("a JWE", 5, response.split("\\.", -1).length);
        assertEquals("RSA-OAEP-256", com.nimbusds.jose.JWEObject.parse(response).getHeader().getAlgorithm().getName());
        JWTClaimsSet c = JarmResponses.verify(response, serverKeys(), issuerOf(), encryptingClient.clientId(),
                encryptionKey);
        Https.Response tokens = encryptingClient.redeem(c.getStringClaim("code"), a);
        assertEquals("token response " + tokens, 200, tokens.status());
    }

    /** A denial comes back as a JARM response too, once the redirect URI is known. */
    @Test
    public void jarmDenialIsAnErrorInsideTheResponseJwt() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        URI received = answerInChromium(client, pushWithResponseMode(client, a, "query.jwt"), "deny");
        JWTClaimsSet c = JarmResponses.verify(Https.query(received).get("response"), serverKeys(), issuerOf(),
                client.clientId(), null);
        assertEquals("access_denied", c.getStringClaim("error"));
        assertEquals(a.state(), c.getStringClaim("state"));
        assertNull(c.getStringClaim("code"));
    }

    // --- reloading the authorization URL (RFC 9126 section 4) -----------------------------------

    /**
     * The same browser loads the authorization URL again before signing in (as the conformance suite's
     * "reused request_uri prior to auth completion" does): the sign-in page again, the flow then completes
     * once, and the URL loaded after the code was issued is refused.
     */
    @Test
    public void reloadBeforeSignInShowsTheSignInPageAgainAndTheFlowCompletesOnce() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        URI authorize = client.authorizeUri(client.push(a));
        WebDriver browser = newBrowser();
        try {
            browser.get(authorize.toString());
            waitForPath(browser, FlowClient.LOGIN);
            String firstFlow = Https.query(URI.create(browser.getCurrentUrl())).get("flow");
            browser.get(authorize.toString());
            waitForPath(browser, FlowClient.LOGIN);
            assertEquals("the reload leads to the same flow", firstFlow,
                    Https.query(URI.create(browser.getCurrentUrl())).get("flow"));
            browser.navigate().refresh();
            waitForPath(browser, FlowClient.LOGIN);
            assertTrue("the sign-in form", !browser.findElements(By.id("sign-in")).isEmpty());

            URI received = answerIn(browser, "approve");
            Https.Response tokens = client.redeem(Https.query(received).get("code"), a);
            assertEquals("token response " + tokens, 200, tokens.status());

            browser.get(authorize.toString());
            assertRefused(browser, "after the code was issued");
        } finally {
            browser.quit();
        }
    }

    /**
     * A second Chromium (its own fresh profile: no cookie of the first) presenting the request_uri the first
     * has taken up is refused; the first browser's flow is untouched by it and completes.
     */
    @Test
    public void anotherBrowserPresentingATakenRequestUriIsRefused() throws Exception {
        FlowClient.Authorization a = client.newAuthorization("openid accounts");
        URI authorize = client.authorizeUri(client.push(a));
        WebDriver first = newBrowser();
        try {
            first.get(authorize.toString());
            waitForPath(first, FlowClient.LOGIN);
            WebDriver second = newBrowser();
            try {
                second.get(authorize.toString());
                assertRefused(second, "in another browser");
            } finally {
                second.quit();
            }
            first.get(authorize.toString());
            waitForPath(first, FlowClient.LOGIN);
            Https.Response tokens = client.redeem(Https.query(answerIn(first, "approve")).get("code"), a);
            assertEquals("token response " + tokens, 200, tokens.status());
        } finally {
            first.quit();
        }
    }

    private static void assertRefused(WebDriver browser, String when) {
        WebElement error = new WebDriverWait(browser, WAIT)
                .until(d -> d.findElements(By.id("error")).stream().findFirst().orElse(null));
        assertTrue("refused " + when + ": " + error.getText(), error.getText().contains("already in use"));
        assertEquals(FlowClient.AUTHORIZE, URI.create(browser.getCurrentUrl()).getPath());
    }

    /** PAR with this response mode in the request object; the request_uri. */
    private static String pushWithResponseMode(FlowClient c, FlowClient.Authorization a, String mode) {
        Https.Response r = c.par(a, b -> b.claim("response_mode", mode), true);
        assertEquals("PAR with response_mode " + mode + ": " + r, 201, r.status());
        return r.string("request_uri");
    }

    /** Signs in and approves in a fresh Chromium; what the redirect URI received. */
    private static URI approveInChromium(FlowClient c, String requestUri) throws Exception {
        return answerInChromium(c, requestUri, "approve");
    }

    /** Signs in and presses {@code approve} or {@code deny} in a fresh Chromium; what the redirect URI received. */
    private static URI answerInChromium(FlowClient c, String requestUri, String button) throws Exception {
        WebDriver browser = newBrowser();
        try {
            browser.get(c.authorizeUri(requestUri).toString());
            waitForPath(browser, FlowClient.LOGIN);
            return answerIn(browser, button);
        } finally {
            browser.quit();
        }
    }

    /** From the login page: signs in and presses {@code approve} or {@code deny}; what the redirect URI received. */
    private static URI answerIn(WebDriver browser, String button) throws InterruptedException {
        signIn(browser, username, PASSWORD);
        waitForPath(browser, FlowClient.CONSENT);
        CALLBACKS.clear();
        browser.findElement(By.id(button)).click();
        URI received = CALLBACKS.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull("the browser never reached the redirect_uri; it is at " + browser.getCurrentUrl()
                + " showing:\n" + browser.getPageSource(), received);
        return received;
    }

    /** The node's JWK Set as a client fetches it: over verified HTTPS. */
    private static JWKSet serverKeys() throws java.text.ParseException {
        Https.Response r = client.get("/oauth2/jwks");
        assertEquals("JWKS " + r, 200, r.status());
        return JWKSet.parse(r.body());
    }

    // --- the browser --------------------------------------------------------------------------

    /**
     * Headless Chromium with a fresh profile, the node's self-signed certificate accepted for this session,
     * and its own chromedriver (quit stops it); Debian's binaries named explicitly, so Selenium Manager never
     * looks for (or downloads) others.
     */
    private static WebDriver newBrowser() throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        // Selenium ships CDP bindings for a few Chrome versions only; these tests use WebDriver alone.
        CDP_LOG.setLevel(Level.SEVERE);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingPort(freePort(FIRST_PORT)).withLogFile(new File("target/chromedriver.log")).build();
        service.start();
        Path profileDir = Files.createTempDirectory("obkm-chromium-");
        PROFILE_DIRS.add(profileDir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.setAcceptInsecureCerts(true);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1024", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--user-data-dir=" + profileDir,
                "--remote-debugging-port=" + freePort(service.getUrl().getPort() + 1));
        return new ChromeDriver(service, options);
    }

    private static void signIn(WebDriver browser, String name, String password) {
        WebElement user = browser.findElement(By.id("username"));
        user.clear();
        user.sendKeys(name);
        WebElement pw = browser.findElement(By.id("password"));
        pw.clear();
        pw.sendKeys(password);
        browser.findElement(By.id("sign-in")).click();
    }

    private static void waitForPath(WebDriver browser, String path) {
        try {
            new WebDriverWait(browser, WAIT).until(d -> path.equals(URI.create(d.getCurrentUrl()).getPath())
                    && !d.findElements(By.tagName("main")).isEmpty());
        } catch (RuntimeException e) {
            throw new AssertionError("the browser did not reach " + path + "; it is at " + browser.getCurrentUrl()
                    + " showing:\n" + browser.getPageSource(), e);
        }
    }

    private static String issuerOf() {
        return "https://localhost:" + Integer.getInteger("obkm.it.https.port", 9546) + NodeTestSupport.TOKEN;
    }

    /** FAIL, never skip: .ci/run installs both, so their absence is a broken machine. */
    static void requireBrowser() {
        for (String binary : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!new File(binary).canExecute()) {
                fail(binary + " is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run does this)");
            }
        }
    }

    // --- the client's redirect endpoint -------------------------------------------------------

    /** Records every request to /cb and answers a small page, as a client's redirect endpoint would. */
    private static int startCallbackServer() throws IOException {
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            try {
                callbackServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            } catch (BindException e) {
                continue;
            }
            callbackServer.createContext("/cb", exchange -> {
                if ("POST".equals(exchange.getRequestMethod())) {
                    FORM_POSTS.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                }
                CALLBACKS.add(URI.create("http://127.0.0.1:" + exchange.getLocalAddress().getPort()
                        + exchange.getRequestURI()));
                byte[] page = "<!DOCTYPE html><title>client</title><p id=\"client\">back at the client</p>"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            });
            callbackServer.start();
            return port;
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + LAST_PORT + " for the callback server");
    }

    private static int freePort(int from) {
        for (int port = from; port <= LAST_PORT; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                // taken: the next one
            }
        }
        throw new IllegalStateException("no free port in " + from + "-" + LAST_PORT);
    }

    // --- the node, as an operator sees it -----------------------------------------------------

    /** The one Karaf home Pax Exam unpacked for this class. */
    private static Path findKarafHome() throws IOException {
        try (Stream<Path> dirs = Files.list(UNPACK.toPath())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("bin/obkm-shell")))
                    .max(Comparator.comparingLong(d -> d.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no Karaf home with bin/obkm-shell under " + UNPACK));
        }
    }

    /** Runs commands through the node's {@code bin/obkm-shell} (SSH to the node's shell); their output. */
    private static String obkmShell(String... commands) throws IOException, InterruptedException {
        String command = String.join("\n", commands) + "\n";
        int offset = Integer.getInteger("obkm.it.ssh.port", 8201) - 8101;
        for (String script : Set.of("karaf", "client", "obkm-shell", "setenv")) {
            karafHome.resolve("bin").resolve(script).toFile().setExecutable(true);
        }
        Path out = Files.createTempFile("obkm-shell", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", karafHome.resolve("bin/obkm-shell").toString())
                    .directory(karafHome.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.startsWith("OBKM_")
                    || k.equals("JAVA_OPTS") || k.equals("EXTRA_JAVA_OPTS") || k.equals("MAVEN_OPTS"));
            pb.environment().put("OBKM_PORT_OFFSET", Integer.toString(offset));
            long started = System.nanoTime();
            Process p = pb.start();
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(command.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("obkm-shell '" + command + "' did not finish in 90 s: " + Files.readString(out));
            }
            String text = Files.readString(out);
            System.out.printf("obkm-shell, %d commands: exit %d in %d ms%n", commands.length, p.exitValue(),
                    (System.nanoTime() - started) / 1_000_000);
            if (p.exitValue() != 0) {
                throw new AssertionError("obkm-shell '" + command + "' exited " + p.exitValue() + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
