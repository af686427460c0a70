package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import org.obkm.itests.support.Https;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * What a well-behaved client and operator see: the token lifecycle (RFC 6749 §4.4, RFC 7662,
 * RFC 7009, RFC 9068), metadata (RFC 8414) and keys (RFC 7517), health, and the shell commands.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TokenFlowIT extends NodeTestSupport {

    @Inject
    @Filter(timeout = 90_000)
    protected SessionFactory sessionFactory;

    /**
     * Declarative Services wired every component of ours without complaint. SCR logged an ERROR at each
     * start for {@code AuthorizationRequestValidator}'s public test constructor (its {@code Clock}
     * parameter), which it tried because it had as many parameters as the activation constructor.
     */
    @Test
    public void declarativeServicesLogsNoErrorForAComponentOfOurs() throws Exception {
        Path log = Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log");
        List<String> errors = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("| ERROR |") && l.contains("SCR Component Actor") && l.contains("org.obkm."))
                .toList();
        assertTrue("SCR errors of OBKM components: " + errors, errors.isEmpty());
    }

    @Test
    public void tokenIsActiveUntilRevoked() {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts", "payments");
        Map<String, Object> token = tokenFor(c, "scope", "accounts");
        String accessToken = (String) token.get("access_token");
        assertEquals("accounts", token.get("scope"));
        long expiresIn = ((Number) token.get("expires_in")).longValue();
        assertTrue("expires_in " + expiresIn, expiresIn > 3500 && expiresIn <= 3600);

        Map<String, Object> active = introspect(c, accessToken);
        assertEquals(Boolean.TRUE, active.get("active"));
        assertEquals("accounts", active.get("scope"));
        assertEquals(c.client().clientId(), active.get("client_id"));
        assertEquals(issuer(), active.get("iss"));
        long exp = ((Number) active.get("exp")).longValue();
        long now = System.currentTimeMillis() / 1000;
        assertTrue("exp " + exp, exp > now + 3500 && exp <= now + 3601);

        Https.Response revoked = https().postForm(REVOKE, Https.form("token", accessToken),
                "Authorization", Https.basic(c.client().clientId(), c.secret()));
        assertEquals("revocation " + revoked, 200, revoked.status());

        Map<String, Object> inactive = introspect(c, accessToken);
        assertEquals(Boolean.FALSE, inactive.get("active"));
        assertNull("an inactive token tells nothing more (RFC 7662 §2.2)", inactive.get("scope"));
    }

    /** RFC 7009 §2.1: a client may revoke only its own tokens; the refusal is a silent 200. */
    @Test
    public void anotherClientCannotRevokeTheToken() {
        CreatedClient owner = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        CreatedClient other = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        String accessToken = (String) tokenFor(owner).get("access_token");
        Https.Response r = https().postForm(REVOKE, Https.form("token", accessToken),
                "Authorization", Https.basic(other.client().clientId(), other.secret()));
        assertEquals("revocation " + r, 200, r.status());
        assertEquals(Boolean.TRUE, introspect(owner, accessToken).get("active"));
    }

    @Test
    public void defaultScopeIsEveryRegisteredScope() {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts", "payments");
        Map<String, Object> token = tokenFor(c);
        assertEquals(Set.of("accounts", "payments"), Set.of(((String) token.get("scope")).split(" ")));
    }

    @Test
    public void accessTokenIsAtJwtSignedByAPublishedPs256Key() throws Exception {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        SignedJWT jwt = SignedJWT.parse((String) tokenFor(c).get("access_token"));
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertEquals(JWSAlgorithm.PS256, jwt.getHeader().getAlgorithm());
        String kid = jwt.getHeader().getKeyID();
        assertNotNull("kid", kid);

        JWK key = JWKSet.parse(https().get("/oauth2/jwks").body()).getKeyByKeyId(kid);
        assertNotNull("kid " + kid + " is not in /oauth2/jwks", key);
        assertTrue("the signature verifies with the published key",
                jwt.verify(new RSASSAVerifier((RSAKey) key)));

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(issuer(), claims.getIssuer());
        assertEquals(List.of(issuer()), claims.getAudience());
        assertEquals(c.client().clientId(), claims.getSubject());
        assertEquals(c.client().clientId(), claims.getClaim("client_id"));
        assertNotNull(claims.getJWTID());
        assertTrue(claims.getExpirationTime().after(new Date()));
    }

    @Test
    public void clientSecretPostGetsToken() {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_POST, null, "accounts");
        Https.Response r = https().postForm(TOKEN, Https.form("grant_type", "client_credentials",
                "client_id", c.client().clientId(), "client_secret", c.secret()));
        assertEquals("token response " + r, 200, r.status());
        assertNotNull(r.json().get("access_token"));
    }

    @Test
    public void rejectsSecretPostFromClientRegisteredForBasic() {
        CreatedClient c = createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, "accounts");
        Https.Response r = https().postForm(TOKEN, Https.form("grant_type", "client_credentials",
                "client_id", c.client().clientId(), "client_secret", c.secret()));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    public void discoveryAtBothUrlsNamesTheConfiguredIssuer() {
        Https.Response root = https().get("/.well-known/openid-configuration");
        Https.Response underIssuer = https().get("/oauth2/token/.well-known/openid-configuration");
        for (Https.Response r : List.of(root, underIssuer)) {
            assertEquals("discovery " + r, 200, r.status());
            Map<String, Object> m = r.json();
            assertEquals(issuer(), m.get("issuer"));
            String base = "https://localhost:" + httpsPort();
            assertEquals(base + TOKEN, m.get("token_endpoint"));
            assertEquals(base + INTROSPECT, m.get("introspection_endpoint"));
            assertEquals(base + REVOKE, m.get("revocation_endpoint"));
            assertEquals(base + "/oauth2/jwks", m.get("jwks_uri"));
            assertEquals(Set.of("authorization_code", "refresh_token", "client_credentials"),
                    new HashSet<>((List<?>) m.get("grant_types_supported")));
            assertEquals(Set.of("client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth",
                    "self_signed_tls_client_auth"), new HashSet<>((List<?>) m.get("token_endpoint_auth_methods_supported")));
            assertEquals(Set.of("PS256", "ES256"),
                    new HashSet<>((List<?>) m.get("token_endpoint_auth_signing_alg_values_supported")));
        }
        assertEquals(root.body(), underIssuer.body());
    }

    @Test
    public void jwksPublishesPs256AndEs256PublicKeysOnly() {
        Https.Response r = https().get("/oauth2/jwks");
        assertEquals("jwks " + r, 200, r.status());
        List<?> keys = (List<?>) r.json().get("keys");
        assertEquals("keys " + keys, 2, keys.size());
        Set<String> kinds = new HashSet<>();
        for (Object k : keys) {
            Map<?, ?> key = (Map<?, ?>) k;
            for (String privatePart : List.of("d", "p", "q", "dp", "dq", "qi", "k")) {
                assertFalse("private member " + privatePart + " published: " + key, key.containsKey(privatePart));
            }
            assertNotNull("kid", key.get("kid"));
            kinds.add(key.get("kty") + "/" + key.get("alg"));
        }
        assertEquals(Set.of("RSA/PS256", "EC/ES256"), kinds);
    }

    @Test
    public void healthIsUpOnHttpsAndPlainHttp() {
        for (Https.Response r : List.of(https().get("/health"), https().getPlain("/health"))) {
            assertEquals("health " + r, 200, r.status());
            assertTrue(r.header("Content-Type").startsWith("application/json"));
            assertEquals("UP", r.json().get("status"));
            // Each bundle's tables are a schema module of their own, migrated before its components start.
            String database = String.valueOf(r.json().get("database"));
            assertTrue(database, database.matches(".*schema consents v1, core v[0-9]+, settings v1, users v2.*"));
        }
    }

    @Test
    public void plainHttpRefusesTokenEndpoint() {
        Https.Response r = https().postPlain(TOKEN, Https.form("grant_type", "client_credentials"));
        assertEquals("plain HTTP " + r, 403, r.status());
        assertEquals("invalid_request", r.json().get("error"));
    }

    @Test
    public void shellCreatedClientGetsToken() throws Exception {
        Shell.Result created = new Shell(sessionFactory)
                .execute("obkm:client-create --name shell-it --scopes accounts,payments --profile none --json");
        assertNull("client-create failed: " + created, created.failure());
        Map<String, Object> json = Https.Response.parseJson(created.output().trim());
        String clientId = (String) json.get("client_id");
        String secret = (String) json.get("client_secret");
        assertNotNull(clientId);
        assertNotNull(secret);
        assertEquals("shell-it", json.get("client_name"));
        assertEquals("client_secret_basic", json.get("token_endpoint_auth_method"));
        assertEquals(List.of("client_credentials"), json.get("grant_types"));
        assertEquals("accounts payments", json.get("scope"));

        Https.Response r = https().postForm(TOKEN, Https.form("grant_type", "client_credentials", "scope", "payments"),
                "Authorization", Https.basic(clientId, secret));
        assertEquals("token for the shell-made client " + r, 200, r.status());
        assertEquals("payments", r.json().get("scope"));
    }

    @Test
    public void shellDeletedClientIsRefused() throws Exception {
        Shell shell = new Shell(sessionFactory);
        Map<String, Object> json = Https.Response.parseJson(
                shell.execute("obkm:client-create --name doomed --scopes accounts --profile none --json").output().trim());
        String clientId = (String) json.get("client_id");
        String secret = (String) json.get("client_secret");
        String form = Https.form("grant_type", "client_credentials");
        assertEquals(200, https().postForm(TOKEN, form, "Authorization", Https.basic(clientId, secret)).status());

        Shell.Result deleted = shell.execute("obkm:client-delete " + clientId);
        assertNull("client-delete failed: " + deleted, deleted.failure());
        assertTrue(deleted.output(), deleted.output().contains(clientId));

        assertOAuthError(https().postForm(TOKEN, form, "Authorization", Https.basic(clientId, secret)),
                401, "invalid_client");
    }

    /** Issue 9: the default profile (fapi2-security-profile) is asked at registration; a shared secret is refused. */
    @Test
    public void shellRefusesAClientSecretForTheDefaultFapi2Profile() {
        int before = clients.list().size();
        Shell.Result r = new Shell(sessionFactory).execute("obkm:client-create --name secret-fapi2 --json");
        assertNotNull("a fapi2 client with a client secret was registered: " + r.output(), r.failure());
        assertTrue(r.errorMessage(), r.errorMessage().contains("allows only [private_key_jwt"));
        assertTrue("says what to do: " + r.errorMessage(), r.errorMessage().contains("another profile"));
        assertEquals("no client registered", before, clients.list().size());
    }

    /** Issue 9: the profile and its requirements are on the record, shown, and changed with client-update. */
    @Test
    public void profileIsStoredShownAndUpdatedFromTheShell() throws Exception {
        Shell shell = new Shell(sessionFactory);
        Map<String, Object> json = Https.Response.parseJson(shell.execute(
                "obkm:client-create --name strict-none --scopes accounts --profile none --sender-constrained true --json")
                .output().trim());
        String clientId = (String) json.get("client_id");
        String secret = (String) json.get("client_secret");
        Map<String, Object> shown = Https.Response.parseJson(shell.execute("obkm:client-show " + clientId).output().trim());
        assertEquals("none", shown.get("profile"));
        assertEquals(Boolean.TRUE, shown.get("sender_constrained_tokens"));
        assertEquals(Boolean.FALSE, shown.get("require_pushed_authorization_requests"));
        // The record's own requirement holds at the token endpoint: no unbound token for it.
        String form = Https.form("grant_type", "client_credentials");
        assertOAuthError(https().postForm(TOKEN, form, "Authorization", Https.basic(clientId, secret)),
                400, "invalid_request");

        Shell.Result toFapi2 = shell.execute("obkm:client-update --profile fapi2-message-signing " + clientId);
        assertNotNull("a client secret client moved to fapi2: " + toFapi2.output(), toFapi2.failure());
        Shell.Result relaxed = shell.execute("obkm:client-update --sender-constrained false " + clientId);
        assertNull("client-update failed: " + relaxed, relaxed.failure());
        assertEquals(Boolean.FALSE, Https.Response.parseJson(relaxed.output().trim()).get("sender_constrained_tokens"));
        assertEquals("every node's cache sees the change", 200,
                https().postForm(TOKEN, form, "Authorization", Https.basic(clientId, secret)).status());
    }

    /** Issue 10 item 10: the former name fapi2 is refused, and the message names the profiles it became. */
    @Test
    public void shellRefusesTheFormerFapi2ProfileNameNamingTheNewOnes() {
        int before = clients.list().size();
        Shell.Result r = new Shell(sessionFactory).execute("obkm:client-create --name old-name --profile fapi2"
                + " --auth-method tls_client_auth --tls-subject-dn CN=old-name --json");
        assertNotNull("a client with profile fapi2 was registered: " + r.output(), r.failure());
        assertTrue(r.errorMessage(), r.errorMessage().contains("renamed")
                && r.errorMessage().contains("fapi2-message-signing") && r.errorMessage().contains("fapi2-security-profile"));
        assertEquals("no client registered", before, clients.list().size());
    }

    @Test
    public void shellRejectsUnknownAuthMethodWithClearError() {
        int before = clients.list().size();
        Shell.Result r = new Shell(sessionFactory)
                .execute("obkm:client-create --name bad-method --auth-method client_secret_jwt --json");
        assertNotNull("client-create accepted an unknown auth method: " + r.output(), r.failure());
        String message = r.errorMessage();
        assertTrue(message, message.contains("client_secret_jwt"));
        assertTrue("names the accepted methods: " + message,
                message.contains("client_secret_basic") && message.contains("private_key_jwt"));
        assertEquals("no client registered", before, clients.list().size());
    }

    private Map<String, Object> introspect(CreatedClient caller, String token) {
        Https.Response r = https().postForm(INTROSPECT, Https.form("token", token),
                "Authorization", Https.basic(caller.client().clientId(), caller.secret()));
        assertEquals("introspection " + r, 200, r.status());
        return r.json();
    }
}
