package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.net.ssl.SSLContext;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.itests.support.FlowClient;
import org.obkm.itests.support.Https;
import org.obkm.itests.support.Tls;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The open-banking consent resources (UK Read/Write API v3.1) over real HTTPS with real client_credentials
 * tokens: each consent type created, read and deleted; the error statuses (401 without or with a dead
 * token, 403 for another TPP's consent or a token without the scope, 400 for an unknown ConsentId);
 * idempotency of payment consents; the interaction id echoed; the shell's view of the same consents.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsentIT extends NodeTestSupport {

    static final String BASE = "/open-banking/v3.1";
    static final String AAC = BASE + "/aisp/account-access-consents";
    static final String DPC = BASE + "/pisp/domestic-payment-consents";
    static final String FCC = BASE + "/cbpii/funds-confirmation-consents";
    static final String JSON = "application/json";
    /** The header parameters of UK message signing. */
    static final String IAT = "http://openbanking.org.uk/iat";
    static final String ISS = "http://openbanking.org.uk/iss";
    static final String TAN = "http://openbanking.org.uk/tan";
    static final String ACCOUNT_BODY = "{\"Data\":{\"Permissions\":[\"ReadAccountsDetail\",\"ReadBalances\","
            + "\"ReadTransactionsDetail\",\"ReadTransactionsCredits\",\"ReadTransactionsDebits\"],"
            + "\"ExpirationDateTime\":\"2099-08-02T00:00:00+00:00\"},\"Risk\":{}}";
    static final String PAYMENT_BODY = "{\"Data\":{\"Initiation\":{\"InstructionIdentification\":\"ACME412\","
            + "\"EndToEndIdentification\":\"FRESCO.21302.GFX.20\",\"InstructedAmount\":{\"Amount\":\"165.88\","
            + "\"Currency\":\"GBP\"},\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\","
            + "\"Identification\":\"08080021325698\",\"Name\":\"ACME Inc\",\"SecondaryIdentification\":\"0002\"},"
            + "\"RemittanceInformation\":{\"Reference\":\"FRESCO-101\",\"Unstructured\":\"Internal ops code 5120101\"}}},"
            + "\"Risk\":{\"PaymentContextCode\":\"EcommerceMerchantInitiatedPayment\"}}";
    static final String FUNDS_BODY = "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\","
            + "\"Identification\":\"GB76LOYD30949301273801\"},\"ExpirationDateTime\":\"2099-05-02T00:00:00+00:00\"}}";

    static final String ORG_ID = "0015800001041RbAAI";
    /** The TPP's signing key, registered with its clients (their jwks). */
    static final RSAKey TPP_KEY = rsa();

    @Inject
    @Filter(timeout = 90_000)
    protected SessionFactory sessionFactory;

    /** The node, with the bank's organisation id for its response signatures. */
    @Override
    @Configuration
    public Option[] config() {
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/org.obkm.consent.cfg", "signingIssuer", ORG_ID));
    }

    private static RSAKey rsa() {
        try {
            return new RSAKeyGenerator(2048).keyID("tpp-signing").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private CreatedClient tpp() {
        return createClient(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, new JWKSet(TPP_KEY.toPublicJWK()).toString(),
                "accounts", "payments", "fundsconfirmations");
    }

    /** The TPP's detached x-jws-signature of a body (Read/Write Data API profile, v3.1.4+ form). */
    static String signed(String body) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(TPP_KEY.getKeyID())
                    .type(JOSEObjectType.JOSE).contentType("application/json")
                    .customParam(IAT, System.currentTimeMillis() / 1000 - 1)
                    .customParam(ISS, ORG_ID + "/Qeyb9TC0IzLympA9mKoSQ0")
                    .customParam(TAN, "openbanking.org.uk")
                    .criticalParams(Set.of(IAT, ISS, TAN)).build(),
                    new Payload(body));
            jws.sign(new RSASSASigner(TPP_KEY));
            return jws.serialize(true);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Verifies the bank's x-jws-signature of a response with the node's published keys. */
    static void assertSignedByTheBank(Https.Response r) throws Exception {
        String jws = r.header("x-jws-signature");
        assertNotNull("no x-jws-signature on " + r, jws);
        JWSObject parsed = JWSObject.parse(jws, new Payload(r.body()));
        assertEquals(JWSAlgorithm.PS256, parsed.getHeader().getAlgorithm());
        assertEquals(ORG_ID, parsed.getHeader().getCustomParam(ISS));
        RSAKey bank = JWKSet.parse(https().get("/oauth2/jwks").body()).getKeyByKeyId(parsed.getHeader().getKeyID())
                .toRSAKey();
        assertTrue("the bank's signature verifies", parsed.verify(new RSASSAVerifier(bank.toRSAPublicKey(),
                Set.of(IAT, ISS, TAN))));
    }

    private String token(CreatedClient c, String scope) {
        return (String) tokenFor(c, "scope", scope).get("access_token");
    }

    private static String[] bearer(String token, String... more) {
        String[] h = new String[more.length + 2];
        h[0] = "Authorization";
        h[1] = "Bearer " + token;
        System.arraycopy(more, 0, h, 2, more.length);
        return h;
    }

    private static Https.Response delete(String path, String token) {
        return https().exchange(HttpRequest.newBuilder(https().uri(path)).DELETE(), bearer(token));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Https.Response r) {
        return (Map<String, Object>) r.json().get("Data");
    }

    @SuppressWarnings("unchecked")
    private static String errorCode(Https.Response r) {
        return (String) ((List<Map<String, Object>>) r.json().get("Errors")).get(0).get("ErrorCode");
    }

    private String create(String path, String token, String body, String... headers) {
        Https.Response r = https().post(path, JSON, body, bearer(token, headers));
        assertEquals("created " + r, 201, r.status());
        return (String) data(r).get("ConsentId");
    }

    @Test
    public void accountAccessConsentIsCreatedReadAndDeleted() {
        String token = token(tpp(), "accounts");
        Https.Response created = https().post(AAC, JSON, ACCOUNT_BODY, bearer(token));
        assertEquals(created.toString(), 201, created.status());
        Map<String, Object> d = data(created);
        String id = (String) d.get("ConsentId");
        assertEquals("AwaitingAuthorisation", d.get("Status"));
        assertEquals("2099-08-02T00:00:00+00:00", d.get("ExpirationDateTime"));
        assertEquals(Map.of("Self", "https://localhost:" + httpsPort() + AAC + "/" + id), created.json().get("Links"));
        assertNotNull(created.json().get("Meta"));

        Https.Response read = https().get(AAC + "/" + id, bearer(token));
        assertEquals(200, read.status());
        assertEquals(d.get("Permissions"), data(read).get("Permissions"));

        assertEquals(204, delete(AAC + "/" + id, token).status());
        Https.Response gone = https().get(AAC + "/" + id, bearer(token));
        assertEquals(400, gone.status());
        assertEquals("UK.OBIE.Resource.NotFound", errorCode(gone));
    }

    @Test
    public void fundsConfirmationConsentIsCreatedReadAndDeleted() {
        String token = token(tpp(), "fundsconfirmations");
        String id = create(FCC, token, FUNDS_BODY);
        Https.Response read = https().get(FCC + "/" + id, bearer(token));
        assertEquals(200, read.status());
        assertNull("no Risk for funds confirmation", read.json().get("Risk"));
        assertEquals(204, delete(FCC + "/" + id, token).status());
        assertEquals(400, https().get(FCC + "/" + id, bearer(token)).status());
    }

    @Test
    public void paymentConsentIsIdempotentAndRefusesAChangedBody() throws Exception {
        CreatedClient c = tpp();
        String token = token(c, "payments");
        String sig = signed(PAYMENT_BODY);
        Https.Response first = https().post(DPC, JSON, PAYMENT_BODY, bearer(token, "x-jws-signature", sig,
                "x-idempotency-key", "FRESCO.21302.GFX.20"));
        assertEquals(first.toString(), 201, first.status());
        assertSignedByTheBank(first);
        String id = (String) data(first).get("ConsentId");
        assertEquals("the same key and body within 24 h: the same consent", id,
                create(DPC, token, PAYMENT_BODY, "x-jws-signature", sig, "x-idempotency-key", "FRESCO.21302.GFX.20"));
        String changedBody = PAYMENT_BODY.replace("165.88", "1650.88");
        Https.Response changed = https().post(DPC, JSON, changedBody,
                bearer(token, "x-jws-signature", signed(changedBody), "x-idempotency-key", "FRESCO.21302.GFX.20"));
        assertEquals(400, changed.status());
        assertNotEquals(id, create(DPC, token, PAYMENT_BODY, "x-jws-signature", sig, "x-idempotency-key",
                "another-key"));
        Https.Response noKey = https().post(DPC, JSON, PAYMENT_BODY, bearer(token, "x-jws-signature", sig));
        assertEquals(400, noKey.status());
        assertEquals("UK.OBIE.Header.Missing", errorCode(noKey));
        assertEquals(400, https().post(DPC, JSON, PAYMENT_BODY, bearer(token, "x-jws-signature", sig,
                "x-idempotency-key", "k".repeat(41))).status());

        Https.Response read = https().get(DPC + "/" + id, bearer(token));
        assertEquals(200, read.status());
        assertSignedByTheBank(read);
        assertEquals("EcommerceMerchantInitiatedPayment",
                ((Map<?, ?>) read.json().get("Risk")).get("PaymentContextCode"));
        assertEquals("payment consents have no DELETE", 405, delete(DPC + "/" + id, token).status());
        assertEquals("funds confirmation takes the PSU's token, not client_credentials", 403,
                https().get(DPC + "/" + id + "/funds-confirmation", bearer(token)).status());
    }

    @Test
    public void paymentConsentNeedsTheTppsSignatureOfItsBody() {
        String token = token(tpp(), "payments");
        Https.Response unsigned = https().post(DPC, JSON, PAYMENT_BODY, bearer(token, "x-idempotency-key", "u-1"));
        assertEquals(400, unsigned.status());
        assertEquals("UK.OBIE.Signature.Missing", errorCode(unsigned));
        Https.Response tampered = https().post(DPC, JSON, PAYMENT_BODY.replace("165.88", "9165.88"),
                bearer(token, "x-jws-signature", signed(PAYMENT_BODY), "x-idempotency-key", "u-2"));
        assertEquals(400, tampered.status());
        assertEquals("UK.OBIE.Signature.Invalid", errorCode(tampered));
    }

    @Test
    public void invalidBodyIs400WithTheUkErrorStructure() {
        Https.Response r = https().post(AAC, JSON, "{\"Data\":{\"Permissions\":[\"ReadBalances\"]},\"Risk\":{}}",
                bearer(token(tpp(), "accounts")));
        assertEquals(400, r.status());
        assertEquals("400 BadRequest", r.json().get("Code"));
        assertNotNull(r.json().get("Id"));
        assertNotNull(r.json().get("Message"));
        assertEquals("Data.Permissions", ((List<Map<?, ?>>) (List<?>) r.json().get("Errors")).get(0).get("Path"));
    }

    @Test
    public void missingOrDeadTokenIs401() {
        Https.Response none = https().post(AAC, JSON, ACCOUNT_BODY);
        assertEquals(401, none.status());
        assertNotNull(none.header("WWW-Authenticate"));

        CreatedClient c = tpp();
        String token = token(c, "accounts");
        Https.Response revoked = https().postForm(REVOKE, Https.form("token", token),
                "Authorization", Https.basic(c.client().clientId(), c.secret()));
        assertEquals(200, revoked.status());
        Https.Response dead = https().post(AAC, JSON, ACCOUNT_BODY, bearer(token));
        assertEquals(401, dead.status());
        assertTrue(dead.header("WWW-Authenticate").contains("invalid_token"));
        assertEquals(401, https().get(AAC + "/x", bearer("not-a-token")).status());
    }

    @Test
    public void tokenWithoutTheResourcesScopeIs403() {
        String paymentsOnly = token(tpp(), "payments");
        assertEquals(403, https().post(AAC, JSON, ACCOUNT_BODY, bearer(paymentsOnly)).status());
        assertEquals(403, https().post(FCC, JSON, FUNDS_BODY, bearer(paymentsOnly)).status());
    }

    @Test
    public void anotherTppsConsentIs403AndAnUnknownOne400() {
        String mine = token(tpp(), "accounts");
        String theirs = token(tpp(), "accounts");
        String id = create(AAC, mine, ACCOUNT_BODY);
        assertEquals(403, https().get(AAC + "/" + id, bearer(theirs)).status());
        assertEquals(403, delete(AAC + "/" + id, theirs).status());
        assertEquals(200, https().get(AAC + "/" + id, bearer(mine)).status());
        Https.Response unknown = https().get(AAC + "/00000000-0000-0000-0000-000000000000", bearer(mine));
        assertEquals(400, unknown.status());
        assertEquals("UK.OBIE.Resource.NotFound", errorCode(unknown));
    }

    @Test
    public void interactionIdIsEchoed() {
        String token = token(tpp(), "accounts");
        Https.Response r = https().post(AAC, JSON, ACCOUNT_BODY, bearer(token, "x-fapi-interaction-id",
                "93bac548-d2de-4546-b106-880a5018460d"));
        assertEquals(201, r.status());
        assertEquals("93bac548-d2de-4546-b106-880a5018460d", r.header("x-fapi-interaction-id"));
    }

    /**
     * A FAPI 2.0 client (the default profile): its client_credentials token is DPoP-bound and must be
     * presented so at the consent resources; its pushed authorization request may name its own consent
     * awaiting authorisation as {@code openbanking_intent_id}, and no other.
     */
    @Test
    public void fapi2ClientUsesADpopBoundTokenAndNamesItsConsentAtPar() throws Exception {
        FlowClient fapi = registerFapi2Client(new Shell(sessionFactory));
        Https.Response tokenResponse = fapi.token(true, "grant_type", "client_credentials", "scope", "accounts");
        assertEquals(tokenResponse.toString(), 200, tokenResponse.status());
        assertEquals("DPoP", tokenResponse.string("token_type"));
        String at = tokenResponse.string("access_token");
        String url = "https://localhost:" + httpsPort() + AAC;
        Https.Response created = https().post(AAC, JSON, ACCOUNT_BODY, "Authorization", "DPoP " + at,
                "DPoP", fapi.dpopProof("POST", url, at));
        assertEquals(created.toString(), 201, created.status());
        String id = (String) data(created).get("ConsentId");
        assertEquals("a DPoP-bound token presented as Bearer", 401,
                https().post(AAC, JSON, ACCOUNT_BODY, bearer(at)).status());

        Https.Response pushed = fapi.par(fapi.newAuthorization("openid accounts"), b -> b.claim("claims", intent(id)),
                true);
        assertEquals(pushed.toString(), 201, pushed.status());
        Https.Response wrongScope = fapi.par(fapi.newAuthorization("openid payments"),
                b -> b.claim("claims", intent(id)), true);
        assertEquals(400, wrongScope.status());
        assertEquals("invalid_request", wrongScope.string("error"));
        String someoneElses = create(AAC, token(tpp(), "accounts"), ACCOUNT_BODY);
        Https.Response notTheirs = fapi.par(fapi.newAuthorization("openid accounts"),
                b -> b.claim("claims", intent(someoneElses)), true);
        assertEquals(400, notTheirs.status());
        assertTrue(notTheirs.toString(), notTheirs.string("error_description").contains("no consent"));
        assertEquals(204, https().exchange(HttpRequest.newBuilder(https().uri(AAC + "/" + id)).DELETE(),
                "Authorization", "DPoP " + at, "DPoP", fapi.dpopProof("DELETE", url + "/" + id, at)).status());
        Https.Response deleted = fapi.par(fapi.newAuthorization("openid accounts"), b -> b.claim("claims", intent(id)),
                true);
        assertEquals("a deleted consent cannot be authorised", 400, deleted.status());
    }

    /** The Data.Status of a consent resource read. */
    @SuppressWarnings("unchecked")
    static String statusOf(Https.Response read) {
        assertEquals("consent read " + read, 200, read.status());
        return (String) ((Map<String, Object>) read.json().get("Data")).get("Status");
    }

    static Map<String, Object> intent(String id) {
        return Map.of("id_token", Map.of("openbanking_intent_id", Map.of("value", id, "essential", true)),
                "userinfo", Map.of("openbanking_intent_id", Map.of("value", id, "essential", true)));
    }

    private FlowClient registerFapi2Client(Shell shell) throws Exception {
        RSAKey key = FlowClient.newClientKey();
        Path jwks = Files.createTempFile("consent-it-jwks", ".json");
        Files.writeString(jwks, FlowClient.publicJwks(key));
        Shell.Result created = shell.execute("obkm:client-create --name \"Consent IT FAPI App\""
                + " --grant-types authorization_code,refresh_token,client_credentials"
                + " --redirect-uri https://client.example.test/cb --auth-method private_key_jwt --jwks-file " + jwks
                + " --scopes accounts,payments --json");
        Files.delete(jwks);
        assertNull("client-create failed: " + created, created.failure());
        String out = created.output().trim();
        String clientId = (String) Https.Response.parseJson(out.substring(out.lastIndexOf('\n') + 1)).get("client_id");
        SSLContext tls = Tls.trusting(Tls.nodeCertificate(Path.of(System.getProperty("karaf.etc"), "obkm-tls.p12")));
        return new FlowClient("https://localhost:" + httpsPort(), issuer(), tls, clientId, key,
                "https://client.example.test/cb");
    }

    @Test
    public void shellListsShowsAndRevokesConsents() {
        CreatedClient c = tpp();
        String id = create(AAC, token(c, "accounts"), ACCOUNT_BODY);
        Shell shell = new Shell(sessionFactory);
        Shell.Result list = shell.execute("obkm:consent-list --client " + c.client().clientId());
        assertNull(list.errorMessage());
        assertTrue(list.output(), list.output().contains(id) && list.output().contains("AwaitingAuthorisation"));

        Shell.Result revoked = shell.execute("obkm:consent-revoke " + id);
        assertNull(revoked.errorMessage());
        assertTrue(revoked.output(), revoked.output().contains("Rejected"));

        Shell.Result shown = shell.execute("obkm:consent-show " + id);
        assertNull(shown.errorMessage());
        assertTrue(shown.output(), shown.output().contains("created") && shown.output().contains("revoked by an operator")
                && shown.output().contains("operator:"));
        Shell.Result again = shell.execute("obkm:consent-revoke " + id);
        assertTrue("a terminal consent never moves: " + again.output(), again.errorMessage() != null
                && again.errorMessage().contains("not revoked"));
        assertTrue(shell.execute("obkm:consent-list --status Bogus").errorMessage().contains("unknown status"));
    }
}
