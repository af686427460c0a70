package org.obkm.consent.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.consent.Consent;
import org.obkm.api.resource.MessageSignatureException;
import org.obkm.api.resource.MessageSignatures;
import org.obkm.api.resource.ResourceAccess;
import org.obkm.api.resource.ResourceTokenException;
import org.obkm.api.resource.ResourceTokens;
import org.obkm.consent.internal.ConsentSchema;
import org.obkm.consent.internal.TestConsents;
import org.obkm.persistence.internal.SchemaMigrator;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The consent resources' HTTP rules, one servlet on a real H2 consent store, with the token check
 * replaced by a table of tokens (the real one is the OAuth bundle's, tested there and in ConsentIT).
 */
class ConsentServletTest {

    static final String BASE = "/open-banking/v3.1";
    static final String AAC = "/aisp/account-access-consents";
    static final String DPC = "/pisp/domestic-payment-consents";
    static final String FCC = "/cbpii/funds-confirmation-consents";
    static final String ACCOUNT_BODY = "{\"Data\":{\"Permissions\":[\"ReadAccountsBasic\"]},\"Risk\":{}}";
    static final String PAYMENT_BODY = "{\"Data\":{\"Initiation\":{\"InstructionIdentification\":\"ACME412\","
            + "\"EndToEndIdentification\":\"E2E\",\"InstructedAmount\":{\"Amount\":\"1.00\",\"Currency\":\"GBP\"},"
            + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":"
            + "\"08080021325698\",\"Name\":\"ACME Inc\"}}},\"Risk\":{}}";

    final Map<String, ResourceAccess> tokens = new HashMap<>();
    ConsentServlet servlet;
    org.obkm.api.consent.ConsentService consents;

    /** A recorded answer. */
    static final class Answer {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Map<String, Object> json() throws Exception {
            return JSONObjectUtils.parse(body.toString(StandardCharsets.UTF_8));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> data() throws Exception {
            return (Map<String, Object>) json().get("Data");
        }

        @SuppressWarnings("unchecked")
        String errorCode() throws Exception {
            return (String) ((List<Map<String, Object>>) json().get("Errors")).get(0).get("ErrorCode");
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:servlet" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        new SchemaMigrator(ds).migrate(new ConsentSchema());
        consents = TestConsents.service(ds, Clock.systemUTC());
        ResourceTokens check = request -> {
            String auth = request.header("Authorization");
            ResourceAccess a = auth == null ? null : tokens.get(auth.substring(auth.indexOf(' ') + 1));
            if (a == null) {
                throw new ResourceTokenException(401, "invalid_token", "the access token is not active",
                        Map.of("WWW-Authenticate", "Bearer realm=\"obkm\", error=\"invalid_token\""));
            }
            return a;
        };
        MessageSignatures signatures = (client, jws, body, anchors) -> {
            if (!jws.equals("good..sig")) {
                throw new MessageSignatureException(MessageSignatureException.Kind.INVALID, "does not verify");
            }
        };
        servlet = new ConsentServlet(consents, check, signatures, body -> "bank..sig",
                new ConsentServlet.Settings(BASE, "", 16384, Set.of("openbanking.org.uk")), Clock.systemUTC());
        tokens.put("cc-tpp", cc("tpp", "accounts payments fundsconfirmations"));
        tokens.put("cc-other", cc("other", "accounts payments fundsconfirmations"));
        tokens.put("cc-payments-only", cc("tpp", "payments"));
    }

    static ResourceAccess cc(String client, String scope) {
        return new ResourceAccess(client, client, Set.of(scope.split(" ")), false, "jti", Instant.now().plusSeconds(60),
                Map.of());
    }

    Answer call(String method, String path, String token, String body, String... headers) throws Exception {
        Map<String, String> h = new HashMap<>();
        if (token != null) {
            h.put("authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        ServletInputStream sin = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener l) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read() {
                return in.read();
            }
        };
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getPathInfo" -> path;
                    case "getRequestURI" -> BASE + path;
                    case "getRequestURL" -> new StringBuffer("https://as.bank.example" + BASE + path);
                    case "getContextPath" -> "";
                    case "getHeader" -> h.get(((String) a[0]).toLowerCase());
                    case "getHeaders" -> Collections.enumeration(h.containsKey(((String) a[0]).toLowerCase())
                            ? List.of(h.get(((String) a[0]).toLowerCase())) : List.<String>of());
                    case "getContentType" -> body == null ? null : h.getOrDefault("content-type", "application/json");
                    case "getContentLengthLong" -> (long) bytes.length;
                    case "getInputStream" -> sin;
                    case "getRemoteAddr" -> "127.0.0.1";
                    default -> null;
                });
        Answer answer = new Answer();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener l) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(int b) {
                answer.body.write(b);
            }
        };
        HttpServletResponse resp = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "setStatus" -> answer.status = (Integer) a[0];
                        case "setHeader" -> answer.headers.put((String) a[0], (String) a[1]);
                        case "getOutputStream" -> {
                            return out;
                        }
                        default -> {
                            // content type and length: not looked at here
                        }
                    }
                    return null;
                });
        servlet.service(req, resp);
        return answer;
    }

    String created(String path, String token, String body, String... headers) throws Exception {
        Answer a = call("POST", path, token, body, headers);
        assertEquals(201, a.status, a.body.toString());
        return (String) a.data().get("ConsentId");
    }

    @Test
    void createsAnAccountAccessConsentAwaitingAuthorisationWithLinksAndMeta() throws Exception {
        Answer a = call("POST", AAC, "cc-tpp", ACCOUNT_BODY);
        assertEquals(201, a.status);
        Map<String, Object> data = a.data();
        assertEquals("AwaitingAuthorisation", data.get("Status"));
        assertEquals(List.of("ReadAccountsBasic"), data.get("Permissions"));
        assertTrue(((String) data.get("CreationDateTime")).endsWith("+00:00"));
        assertEquals(Map.of("Self", "https://as.bank.example" + BASE + AAC + "/" + data.get("ConsentId")),
                a.json().get("Links"));
        assertEquals(Map.of(), a.json().get("Meta"));
        assertEquals(Map.of(), a.json().get("Risk"));
    }

    @Test
    void readsItsOwnConsent() throws Exception {
        String id = created(AAC, "cc-tpp", ACCOUNT_BODY);
        Answer a = call("GET", AAC + "/" + id, "cc-tpp", null);
        assertEquals(200, a.status);
        assertEquals(id, a.data().get("ConsentId"));
    }

    @Test
    void missingTokenIs401WithChallengeAndNoBody() throws Exception {
        Answer a = call("POST", AAC, null, ACCOUNT_BODY);
        assertEquals(401, a.status);
        assertTrue(a.headers.get("WWW-Authenticate").startsWith("Bearer"));
        assertEquals(0, a.body.size());
    }

    @Test
    void inactiveTokenIs401() throws Exception {
        assertEquals(401, call("GET", AAC + "/x", "revoked", null).status);
    }

    @Test
    void tokenWithoutTheResourcesScopeIs403() throws Exception {
        Answer a = call("POST", AAC, "cc-payments-only", ACCOUNT_BODY);
        assertEquals(403, a.status);
        assertTrue(a.headers.get("WWW-Authenticate").contains("insufficient_scope"));
    }

    @Test
    void authorizationCodeTokenCannotCreateConsents() throws Exception {
        tokens.put("psu", new ResourceAccess("tpp", "alice", Set.of("accounts"), true, "j", Instant.now(), Map.of()));
        assertEquals(403, call("POST", AAC, "psu", ACCOUNT_BODY).status);
    }

    @Test
    void unknownConsentIs400ResourceNotFound() throws Exception {
        Answer a = call("GET", AAC + "/no-such-consent", "cc-tpp", null);
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Resource.NotFound", a.errorCode());
        assertEquals("400 BadRequest", a.json().get("Code"));
        assertTrue(a.json().get("Id") instanceof String);
    }

    @Test
    void anotherTppsConsentIs403() throws Exception {
        String id = created(AAC, "cc-tpp", ACCOUNT_BODY);
        assertEquals(403, call("GET", AAC + "/" + id, "cc-other", null).status);
        assertEquals(403, call("DELETE", AAC + "/" + id, "cc-other", null).status);
        assertEquals(200, call("GET", AAC + "/" + id, "cc-tpp", null).status, "the other's DELETE changed nothing");
    }

    @Test
    void consentOfAnotherTypeIsUnknownAtThisResource() throws Exception {
        String id = created(AAC, "cc-tpp", ACCOUNT_BODY);
        assertEquals(400, call("GET", FCC + "/" + id, "cc-tpp", null).status);
    }

    @Test
    void deleteIs204AndTheConsentReadsAsUnknownAfter() throws Exception {
        String id = created(FCC, "cc-tpp", "{\"Data\":{\"DebtorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\","
                + "\"Identification\":\"GB76LOYD30949301273801\"}}}");
        assertEquals(204, call("DELETE", FCC + "/" + id, "cc-tpp", null).status);
        assertEquals(400, call("GET", FCC + "/" + id, "cc-tpp", null).status);
        assertEquals(400, call("DELETE", FCC + "/" + id, "cc-tpp", null).status);
    }

    @Test
    void invalidBodyIs400WithEveryProblemAndItsPath() throws Exception {
        Answer a = call("POST", AAC, "cc-tpp", "{\"Data\":{\"Permissions\":[\"ReadBalances\"]}}");
        assertEquals(400, a.status);
        assertEquals(2, ((List<?>) a.json().get("Errors")).size(), a.body.toString());
    }

    @Test
    void bodyThatIsNoJsonIs400InvalidFormat() throws Exception {
        Answer a = call("POST", AAC, "cc-tpp", "{not json");
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Resource.InvalidFormat", a.errorCode());
    }

    @Test
    void bodyThatIsNotJsonTypedIs415() throws Exception {
        assertEquals(415, call("POST", AAC, "cc-tpp", ACCOUNT_BODY, "Content-Type", "text/plain").status);
    }

    @Test
    void paymentConsentWithoutIdempotencyKeyIs400HeaderMissing() throws Exception {
        Answer a = call("POST", DPC, "cc-tpp", PAYMENT_BODY);
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Header.Missing", a.errorCode());
    }

    @Test
    void idempotencyKeyOver40CharactersIs400() throws Exception {
        Answer a = call("POST", DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "k".repeat(41));
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Header.Invalid", a.errorCode());
    }

    @Test
    void sameIdempotencyKeyAndBodyReturnsTheSameConsent() throws Exception {
        String first = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "FRESCO.21302.GFX.20");
        String again = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "FRESCO.21302.GFX.20");
        assertEquals(first, again);
        assertNotEquals(first, created(DPC, "cc-other", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "FRESCO.21302.GFX.20"));
    }

    @Test
    void changedBodyUnderTheSameIdempotencyKeyIsRefused() throws Exception {
        created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "key-1");
        Answer a = call("POST", DPC, "cc-tpp", PAYMENT_BODY.replace("1.00", "1000.00"), "x-jws-signature", "good..sig", "x-idempotency-key", "key-1");
        assertEquals(400, a.status);
        assertEquals(1, consents.list(new org.obkm.api.consent.ConsentQuery("tpp", null, 10)).size());
    }

    @Test
    void paymentConsentWithoutSignatureIs400SignatureMissing() throws Exception {
        Answer a = call("POST", DPC, "cc-tpp", PAYMENT_BODY, "x-idempotency-key", "key-6");
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Signature.Missing", a.errorCode());
    }

    @Test
    void paymentConsentWithARefusedSignatureIs400AndNothingIsCreated() throws Exception {
        Answer a = call("POST", DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "bad..sig", "x-idempotency-key", "key-7");
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Signature.Invalid", a.errorCode());
        assertTrue(consents.list(new org.obkm.api.consent.ConsentQuery("tpp", null, 10)).isEmpty());
    }

    @Test
    void paymentConsentAnswersAreSignedByTheBankAndAccountConsentAnswersNot() throws Exception {
        Answer p = call("POST", DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "k8");
        assertEquals("bank..sig", p.headers.get("x-jws-signature"));
        assertEquals("bank..sig", call("GET", DPC + "/" + p.data().get("ConsentId"), "cc-tpp", null).headers
                .get("x-jws-signature"));
        assertEquals(null, call("POST", AAC, "cc-tpp", ACCOUNT_BODY).headers.get("x-jws-signature"));
    }

    @Test
    void paymentConsentsHaveNoDelete() throws Exception {
        String id = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "key-2");
        Answer a = call("DELETE", DPC + "/" + id, "cc-tpp", null);
        assertEquals(405, a.status);
        assertEquals("GET", a.headers.get("Allow"));
    }

    @Test
    void fundsConfirmationRefusesAClientCredentialsToken() throws Exception {
        String id = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "key-3");
        assertEquals(403, call("GET", DPC + "/" + id + "/funds-confirmation", "cc-tpp", null).status);
    }

    @Test
    void fundsConfirmationOnAConsentNotAuthorisedIs400InvalidConsentStatus() throws Exception {
        String id = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "key-4");
        tokens.put("psu", new ResourceAccess("tpp", "alice", Set.of("payments"), true, "j", Instant.now(),
                Map.of("openbanking_intent_id", id)));
        Answer a = call("GET", DPC + "/" + id + "/funds-confirmation", "psu", null);
        assertEquals(400, a.status);
        assertEquals("UK.OBIE.Resource.InvalidConsentStatus", a.errorCode());
    }

    @Test
    void fundsConfirmationOnAnAuthorisedConsentIs200() throws Exception {
        String id = created(DPC, "cc-tpp", PAYMENT_BODY, "x-jws-signature", "good..sig", "x-idempotency-key", "key-5");
        Consent c = consents.authorise(id, "alice", List.of("acc-1"), "psu:alice");
        tokens.put("psu", new ResourceAccess("tpp", "alice", Set.of("payments"), true, "j", Instant.now(),
                Map.of("openbanking_intent_id", c.id())));
        Answer a = call("GET", DPC + "/" + id + "/funds-confirmation", "psu", null);
        assertEquals(200, a.status);
        assertTrue(a.json().containsKey("Links"));
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertEquals(404, call("GET", "/aisp/accounts", "cc-tpp", null).status);
        assertEquals(404, call("GET", AAC + "/a/b", "cc-tpp", null).status);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        Answer a = call("PUT", AAC, "cc-tpp", ACCOUNT_BODY);
        assertEquals(405, a.status);
        assertEquals("POST", a.headers.get("Allow"));
    }
}
