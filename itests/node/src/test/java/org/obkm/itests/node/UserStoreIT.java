package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;

import org.obkm.itests.support.Await;
import org.obkm.itests.support.Browser;
import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Html;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.Tls;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStoreDeployments;
import org.obkm.api.user.UserStoreRegistry;
import org.obkm.api.user.UserStoreStatus;
import org.obkm.api.user.UserStoreStatus.State;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

/**
 * Secondary user stores end to end, against a real OpenLDAP {@code slapd} ({@link Slapd}): user store
 * files dropped into the node's user store folder (the original product's XML and the .cfg form), users
 * signing in through the real login page as {@code DOMAIN/username}, the file changed and removed, a
 * misnamed file refused, the directory stopped and started, a replica down, and a store type that
 * arrives as a bundle dropped into {@code deploy/}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UserStoreIT extends NodeTestSupport {

    private static final String ALICE_PASSWORD = "Alice-Directory-Pw-1";
    private static final String BOB_PASSWORD = "Bob-Directory-Pw-1";
    private static final Duration DEPLOY = Duration.ofSeconds(30);

    @Inject
    @Filter(timeout = 90_000)
    protected SessionFactory sessionFactory;

    @Inject
    @Filter(timeout = 90_000)
    protected UserStoreRegistry registry;

    @Inject
    @Filter(timeout = 90_000)
    protected UserStoreDeployments deployments;

    private static Slapd slapd;
    private static FlowClient client;
    private static Shell shell;

    @Override
    @Configuration
    public Option[] config() {
        return new Option[] {composite(super.config()),
            systemProperty("obkm.it.exampleBundle").value(System.getProperty("obkm.it.exampleBundle", ""))};
    }

    @Before
    public void startDirectoryAndClient() throws Exception {
        if (slapd != null) {
            return;
        }
        shell = new Shell(sessionFactory);
        slapd = Slapd.start(Slapd.person("alice", "Alice Directory", "alice@example.com", ALICE_PASSWORD)
                + Slapd.person("bob", "Bob Directory", "bob@example.com", BOB_PASSWORD)
                + Slapd.group("retail-customers", "alice"));
        client = register("User store IT App");
    }

    @Test
    public void directoryFileSignsInDomainUsersAndItsChangeAndRemovalTakeEffect() throws Exception {
        String ciphertext = encrypt(Slapd.SERVICE_PASSWORD);
        Path file = deploy("EXAMPLE_COM.xml", wso2Xml("EXAMPLE.COM", slapd.url(), ciphertext, "ou=Users," + Slapd.SUFFIX));
        awaitState("EXAMPLE.COM", State.ACTIVE);

        String aliceId = registry.resolve("EXAMPLE.COM/alice").flatMap(n -> n.as(UserLookup.class)).orElseThrow()
                .findByUsername("alice").orElseThrow().id();
        Map<String, Object> tokens = signInAndGetTokens("EXAMPLE.COM/alice", ALICE_PASSWORD);
        SignedJWT idToken = SignedJWT.parse((String) tokens.get("id_token"));
        assertEquals("sub of a directory user is DOMAIN/entryUUID", "EXAMPLE.COM/" + aliceId,
                idToken.getJWTClaimsSet().getSubject());
        Map<String, Object> introspection = client.introspect((String) tokens.get("access_token"));
        assertEquals(Boolean.TRUE, introspection.get("active"));
        assertEquals("EXAMPLE.COM/" + aliceId, introspection.get("sub"));
        Https.Response userinfo = client.userinfo((String) tokens.get("access_token"));
        assertEquals("userinfo " + userinfo, 200, userinfo.status());
        assertEquals("EXAMPLE.COM/" + aliceId, userinfo.json().get("sub"));
        assertEquals("alice@example.com", userinfo.json().get("email"));
        assertEquals("EXAMPLE.COM/alice", userinfo.json().get("preferred_username"));
        assertEquals("Alice Directory", userinfo.json().get("name"));

        Https.Response wrong = signIn("EXAMPLE.COM/alice", ALICE_PASSWORD + "x");
        assertLoginMessage(wrong, "incorrect");

        Shell.Result list = shell.execute("obkm:userstore-list");
        assertNull(list.toString(), list.failure());
        assertTrue(list.output(), list.output().contains("EXAMPLE.COM") && list.output().contains("ACTIVE")
                && list.output().contains("EXAMPLE_COM.xml"));
        Shell.Result test = shell.execute("obkm:userstore-test EXAMPLE.COM");
        assertNull(test.toString(), test.failure());
        assertTrue(test.output(), test.output().contains("all checks passed"));
        Shell.Result find = shell.execute("obkm:user-find --groups EXAMPLE.COM/ali");
        assertNull(find.toString(), find.failure());
        assertTrue(find.output(), find.output().contains("EXAMPLE.COM/" + aliceId)
                && find.output().contains("retail-customers") && !find.output().contains("bob"));

        // The file changes: users are now searched where there are none.
        Instant since = status("EXAMPLE.COM").since();
        replace(file, wso2Xml("EXAMPLE.COM", slapd.url(), ciphertext, "ou=Groups," + Slapd.SUFFIX));
        await("the changed file applied", () -> {
            UserStoreStatus s = status("EXAMPLE.COM");
            return s != null && s.state() == State.ACTIVE && s.since().isAfter(since);
        });
        assertLoginMessage(signIn("EXAMPLE.COM/alice", ALICE_PASSWORD), "incorrect");

        // The file goes: so does the domain.
        Files.delete(file);
        await("the removed file's store gone", () -> registry.store("EXAMPLE.COM").isEmpty() && status("EXAMPLE.COM") == null);
        assertLoginMessage(signIn("EXAMPLE.COM/alice", ALICE_PASSWORD), "incorrect");
    }

    @Test
    public void plainNamesStayWithThePrimaryStoreAndSubjectsDiffer() throws Exception {
        deploy("PLAIN_TEST.cfg", ldapCfg("PLAIN.TEST", slapd.url(), "ENC(" + encrypt(Slapd.SERVICE_PASSWORD) + ")"));
        awaitState("PLAIN.TEST", State.ACTIVE);
        String username = "bob";
        String primaryPassword = "Primary-Bob-Pw-12";
        Shell.Result add = shell.execute("obkm:user-add --password " + primaryPassword + " " + username);
        assertTrue("user-add " + add, add.failure() == null || add.errorMessage().contains("exists"));

        String primarySub = SignedJWT.parse((String) signInAndGetTokens(username, primaryPassword).get("id_token"))
                .getJWTClaimsSet().getSubject();
        String directorySub = SignedJWT.parse((String) signInAndGetTokens("PLAIN.TEST/bob", BOB_PASSWORD)
                .get("id_token")).getJWTClaimsSet().getSubject();
        assertTrue(primarySub, !primarySub.contains("/"));
        assertTrue(directorySub, directorySub.startsWith("PLAIN.TEST/"));
        assertLoginMessage(signIn(username, BOB_PASSWORD), "incorrect");
        assertLoginMessage(signIn("PLAIN.TEST/bob", primaryPassword), "incorrect");
        remove("PLAIN_TEST.cfg", "PLAIN.TEST");
    }

    @Test
    public void misnamedFileIsRefusedAndOtherDomainsKeepWorking() throws Exception {
        deploy("GOOD_TEST.cfg", ldapCfg("GOOD.TEST", slapd.url(), "ENC(" + encrypt(Slapd.SERVICE_PASSWORD) + ")"));
        deploy("WRONG_NAME.xml", wso2Xml("OTHER.TEST", slapd.url(), encrypt(Slapd.SERVICE_PASSWORD), "ou=Users," + Slapd.SUFFIX));
        awaitState("GOOD.TEST", State.ACTIVE);
        await("the misnamed file failed", () -> deployments.list().stream().anyMatch(
                s -> s.source().endsWith("WRONG_NAME.xml") && s.state() == State.FAILED));
        UserStoreStatus failed = deployments.list().stream().filter(s -> s.source().endsWith("WRONG_NAME.xml"))
                .findFirst().orElseThrow();
        assertTrue(failed.lastError(), failed.lastError().contains("OTHER_TEST.xml"));
        assertTrue(registry.store("OTHER.TEST").isEmpty());
        Shell.Result list = shell.execute("obkm:userstore-list");
        assertTrue(list.output(), list.output().contains("WRONG_NAME.xml") && list.output().contains("FAILED"));
        Https.Response health = https().get("/health");
        assertEquals("a broken shared file leaves the node in the load balancer: " + health, 200, health.status());
        String userstores = String.valueOf(health.json().get("userstores"));
        assertTrue(userstores, userstores.contains("failed") && userstores.contains("OTHER.TEST"));
        signInAndGetTokens("GOOD.TEST/alice", ALICE_PASSWORD);
        remove("WRONG_NAME.xml", null);
        remove("GOOD_TEST.cfg", "GOOD.TEST");
    }

    @Test
    public void directoryOutageFailsOnlyItsDomainFastAndRecovers() throws Exception {
        // The first replica refuses connections: sign-ins go to the second without the user noticing.
        String urls = "ldap://127.0.0.1:" + Slapd.freeClosedPort() + " " + slapd.url();
        deploy("OUTAGE_TEST.cfg", ldapCfg("OUTAGE.TEST", urls, Slapd.SERVICE_PASSWORD)
                + "LDAPConnectionTimeout = 2000\nReadTimeout = 2000\nCacheTimeToLive = 0\n");
        awaitState("OUTAGE.TEST", State.ACTIVE);
        signInAndGetTokens("OUTAGE.TEST/alice", ALICE_PASSWORD);

        String primaryUser = "carol" + UUID.randomUUID().toString().substring(0, 8);
        String primaryPassword = "Primary-Carol-Pw-1";
        assertNull(shell.execute("obkm:user-add --password " + primaryPassword + " " + primaryUser).failure());
        slapd.stop();
        try {
            long start = System.nanoTime();
            Https.Response down = signIn("OUTAGE.TEST/alice", ALICE_PASSWORD);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertLoginMessage(down, "temporarily unavailable");
            assertTrue("a directory outage answers within the timeouts, took " + millis + " ms", millis < 10_000);
            signInAndGetTokens(primaryUser, primaryPassword);
        } finally {
            slapd.start();
        }
        await("sign-ins recover when the directory returns", () -> {
            Https.Response r = signIn("OUTAGE.TEST/alice", ALICE_PASSWORD);
            return r.status() == 303;
        });
        remove("OUTAGE_TEST.cfg", "OUTAGE.TEST");
    }

    @Test
    public void storeTypeFromABundleDroppedIntoDeploy() throws Exception {
        String bundle = System.getProperty("obkm.it.exampleBundle", "");
        assertTrue("obkm.it.exampleBundle names the example store type's jar: '" + bundle + "'",
                !bundle.isEmpty() && Files.isRegularFile(Path.of(bundle)));
        deploy("SAMPLE_TEST.cfg", "type = example\nUser.dave = Dave Sample\nPassword.dave = "
                + ExamplePasswords.hash("Dave-Sample-Pw-1".toCharArray(), 10_000) + "\n");
        awaitState("SAMPLE.TEST", State.WAITING_FOR_TYPE);
        Path deployed = Path.of(System.getProperty("karaf.home"), "deploy", "example-userstore.jar");
        Path staged = Files.createTempFile(deployed.getParent(), ".example", ".tmp");
        Files.copy(Path.of(bundle), staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, deployed, StandardCopyOption.ATOMIC_MOVE);
        try {
            awaitState("SAMPLE.TEST", State.ACTIVE);
            signInAndGetTokens("SAMPLE.TEST/dave", "Dave-Sample-Pw-1");
        } finally {
            Files.delete(deployed);
        }
        awaitState("SAMPLE.TEST", State.WAITING_FOR_TYPE);
        assertTrue(status("SAMPLE.TEST").lastError(), status("SAMPLE.TEST").lastError().contains("example"));
        assertLoginMessage(signIn("SAMPLE.TEST/dave", "Dave-Sample-Pw-1"), "incorrect");
        remove("SAMPLE_TEST.cfg", "SAMPLE.TEST");
    }

    /**
     * Lookups are cached per node (CacheTimeToLive); a change made in the directory shows after
     * obkm:userstore-cache-clear, which reaches every node through the invalidation bus.
     */
    @Test
    public void directoryChangeShowsAfterTheCacheIsCleared() throws Exception {
        deploy("CACHE_TEST.cfg", ldapCfg("CACHE.TEST", slapd.url(), "ENC(" + encrypt(Slapd.SERVICE_PASSWORD) + ")")
                + "CacheTimeToLive = 600\n");
        awaitState("CACHE.TEST", State.ACTIVE);
        String accessToken = (String) signInAndGetTokens("CACHE.TEST/bob", BOB_PASSWORD).get("access_token");
        assertEquals("bob@example.com", client.userinfo(accessToken).json().get("email"));
        String dn = "dn: uid=bob,ou=Users," + Slapd.SUFFIX + "\nchangetype: modify\nreplace: mail\nmail: ";
        slapd.modify(dn + "bob.new@example.com\n");
        try {
            assertEquals("served from the cache until it is cleared", "bob@example.com",
                    client.userinfo(accessToken).json().get("email"));
            Shell.Result cleared = shell.execute("obkm:userstore-cache-clear CACHE.TEST");
            assertNull(cleared.toString(), cleared.failure());
            assertTrue(cleared.output(), cleared.output().contains("on every node"));
            assertEquals("bob.new@example.com", client.userinfo(accessToken).json().get("email"));
        } finally {
            slapd.modify(dn + "bob@example.com\n");
        }
        remove("CACHE_TEST.cfg", "CACHE.TEST");
    }

    @Test
    public void jdbcTypeDomainKeepsItsOwnUsersManagedFromTheShell() throws Exception {
        deploy("BRANCH_TEST.cfg", "class = org.wso2.carbon.user.core.jdbc.UniqueIDJDBCUserStoreManager\n"
                + "DomainName = BRANCH.TEST\nminPasswordLength = 12\n");
        awaitState("BRANCH.TEST", State.ACTIVE);
        String name = "erin" + UUID.randomUUID().toString().substring(0, 6);
        Shell.Result added = shell.execute("obkm:user-add --password Branch-Erin-Pw-1 BRANCH.TEST/" + name);
        assertNull("user-add into the jdbc domain: " + added, added.failure());
        assertTrue(added.output(), added.output().contains("sub BRANCH.TEST/"));
        assertNull(shell.execute("obkm:user-add --password Primary-Erin-Pw-1 " + name).failure());

        String branchSub = SignedJWT.parse((String) signInAndGetTokens("BRANCH.TEST/" + name, "Branch-Erin-Pw-1")
                .get("id_token")).getJWTClaimsSet().getSubject();
        assertTrue(branchSub, branchSub.startsWith("BRANCH.TEST/"));
        assertLoginMessage(signIn("BRANCH.TEST/" + name, "Primary-Erin-Pw-1"), "incorrect");
        Shell.Result find = shell.execute("obkm:user-find BRANCH.TEST/" + name);
        assertTrue(find.output(), find.output().contains(branchSub));
        Shell.Result selfTest = shell.execute("obkm:userstore-test BRANCH.TEST");
        assertTrue(selfTest.output(), selfTest.output().contains("users in BRANCH.TEST")
                && selfTest.output().contains("all checks passed"));

        assertNull(shell.execute("obkm:user-lock BRANCH.TEST/" + name).failure());
        assertLoginMessage(signIn("BRANCH.TEST/" + name, "Branch-Erin-Pw-1"), "locked");
        signInAndGetTokens(name, "Primary-Erin-Pw-1");
        Shell.Result readOnly = shell.execute("obkm:user-add --password Whatever-Pw-123 PLAIN.TEST/x");
        assertNotNull("a user in a domain that is not up, or read-only, is refused", readOnly.failure());
        remove("BRANCH_TEST.cfg", "BRANCH.TEST");
    }

    // --- files ---------------------------------------------------------------------------------

    static String wso2Xml(String domain, String url, String encryptedPassword, String userSearchBase) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <UserStoreManager class="org.wso2.carbon.user.core.ldap.UniqueIDReadOnlyLDAPUserStoreManager">
                    <Property name="ConnectionURL">%s</Property>
                    <Property name="ConnectionName">%s</Property>
                    <Property name="ConnectionPassword" encrypted="true">%s</Property>
                    <Property name="UserSearchBase">%s</Property>
                    <Property name="UserEntryObjectClass">inetOrgPerson</Property>
                    <Property name="UserNameAttribute">uid</Property>
                    <Property name="UserNameSearchFilter">(&amp;(objectClass=inetOrgPerson)(uid=?))</Property>
                    <Property name="UserNameListFilter">(objectClass=inetOrgPerson)</Property>
                    <Property name="ReadGroups">true</Property>
                    <Property name="GroupSearchBase">ou=Groups,%s</Property>
                    <Property name="GroupEntryObjectClass">groupOfNames</Property>
                    <Property name="GroupNameAttribute">cn</Property>
                    <Property name="GroupNameSearchFilter">(&amp;(objectClass=groupOfNames)(cn=?))</Property>
                    <Property name="MembershipAttribute">member</Property>
                    <Property name="DomainName">%s</Property>
                    <Property name="Disabled">false</Property>
                    <Property name="MaxUserNameListLength">100</Property>
                    <Property name="Description">Retail customers in the bank's directory</Property>
                </UserStoreManager>
                """.formatted(url, Slapd.SERVICE_DN, encryptedPassword, userSearchBase, Slapd.SUFFIX, domain);
    }

    static String ldapCfg(String domain, String urls, String password) {
        return "type = ldap\nDomainName = " + domain + "\nConnectionURL = " + urls + "\nConnectionName = "
                + Slapd.SERVICE_DN + "\nConnectionPassword = " + password + "\nUserSearchBase = ou=Users,"
                + Slapd.SUFFIX + "\nGroupSearchBase = ou=Groups," + Slapd.SUFFIX + "\n";
    }

    private static Path folder() {
        return Path.of(System.getProperty("karaf.home"), "repository", "deployment", "server", "userstores");
    }

    /** Writes the file beside the folder and moves it in, so the watcher never reads half a file. */
    private static Path deploy(String name, String content) throws Exception {
        Files.createDirectories(folder());
        Path file = folder().resolve(name);
        replace(file, content);
        return file;
    }

    private static void replace(Path file, String content) throws Exception {
        Path staged = Files.createTempFile(file.getParent().getParent(), ".userstore", ".tmp");
        Files.writeString(staged, content, StandardCharsets.UTF_8);
        Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void remove(String name, String domain) throws Exception {
        Files.deleteIfExists(folder().resolve(name));
        if (domain != null) {
            await(domain + " gone", () -> registry.store(domain).isEmpty());
        }
    }

    private String encrypt(String secret) {
        Shell.Result r = shell.execute("obkm:encrypt --secret " + secret);
        assertNull("encrypt " + r, r.failure());
        String first = r.output().lines().filter(l -> !l.isBlank() && !l.startsWith("Warning") && !l.startsWith(" "))
                .findFirst().orElseThrow();
        assertTrue("the secret is not echoed", !r.output().contains(secret));
        return first.strip();
    }

    // --- waiting -------------------------------------------------------------------------------

    private UserStoreStatus status(String domain) {
        return deployments.list().stream().filter(s -> s.domain().equalsIgnoreCase(domain)).findFirst().orElse(null);
    }

    private void awaitState(String domain, State state) {
        await(domain + " " + state, () -> {
            UserStoreStatus s = status(domain);
            return s != null && s.state() == state && (state != State.ACTIVE || registry.store(domain).isPresent());
        });
    }

    private void await(String what, BooleanSupplier condition) {
        Await.until(what, DEPLOY, condition::getAsBoolean, () -> "user stores: " + deployments.list());
    }

    // --- flows ---------------------------------------------------------------------------------

    /** PAR, authorize, the login page, one sign-in POST: 303 to consent, or the login page again. */
    private static Https.Response signIn(String name, String password) {
        Browser b = client.browser();
        Https.Response authorize = b.get(client.authorizeUri(client.push(client.newAuthorization("openid accounts"))));
        assertEquals("authorization endpoint " + authorize, 303, authorize.status());
        Https.Response login = b.get(authorize.location());
        assertEquals("login page " + login, 200, login.status());
        return b.signIn(login, name, password);
    }

    private static Map<String, Object> signInAndGetTokens(String name, String password) {
        Browser b = client.browser();
        FlowClient.Authorization a = client.newAuthorization("openid profile email accounts");
        Https.Response authorize = b.get(client.authorizeUri(client.push(a)));
        Https.Response login = b.get(authorize.location());
        Https.Response signedIn = b.signIn(login, name, password);
        assertEquals("sign-in as " + name + ": " + signedIn, 303, signedIn.status());
        Https.Response consent = b.get(signedIn.location());
        Https.Response approved = b.decide(consent, "approve");
        assertEquals("approve " + approved, 303, approved.status());
        String code = Https.query(approved.location()).get("code");
        Https.Response token = client.redeem(code, a);
        assertEquals("token " + token, 200, token.status());
        return token.json();
    }

    private static void assertLoginMessage(Https.Response r, String expected) {
        assertEquals("the login page again: " + r, 200, r.status());
        String message = Html.textById(r.body(), "message");
        assertNotNull("#message on " + r, message);
        assertTrue("'" + expected + "' in: " + message, message.toLowerCase().contains(expected));
    }

    private FlowClient register(String name) throws Exception {
        RSAKey key = FlowClient.newClientKey();
        Path jwks = Files.createTempFile("userstore-it-jwks", ".json");
        Files.writeString(jwks, FlowClient.publicJwks(key));
        Shell.Result created = shell.execute("obkm:client-create --name \"" + name + "\""
                + " --grant-types authorization_code,refresh_token --redirect-uri " + AuthorizationFlowIT.REDIRECT_URI
                + " --auth-method private_key_jwt --jwks-file " + jwks + " --scopes accounts,profile,email --json");
        Files.delete(jwks);
        assertNull("client-create failed: " + created, created.failure());
        String out = created.output().trim();
        String clientId = (String) Https.Response.parseJson(out.substring(out.lastIndexOf('\n') + 1)).get("client_id");
        SSLContext tls = Tls.trusting(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12")));
        return new FlowClient("https://localhost:" + httpsPort(), issuer(), tls, clientId, key,
                AuthorizationFlowIT.REDIRECT_URI);
    }
}
