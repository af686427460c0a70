package org.obkm.oauth.internal.fuzz;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestDpop;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.clientauth.ClientAssertionVerifier;
import org.obkm.oauth.internal.endpoint.HttpIO;
import org.obkm.oauth.internal.policy.AssertionAudiences;
import org.obkm.oauth.internal.request.AuthorizationRequestValidator;
import org.obkm.oauth.internal.request.OpenBankingIntents;
import org.obkm.oauth.internal.sender.DpopProofs;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * Coverage-guided fuzzing of what the OAuth endpoints parse (issue 16): request objects and plain PAR
 * parameters (with {@code claims} and {@code authorization_details}), client assertions, DPoP proofs
 * and form bodies. Each target may refuse its input with an {@link OAuthException} only; anything else
 * thrown (a parser's unchecked exception, which an endpoint would answer with a 500) is a finding.
 * The build replays the committed inputs under {@code src/test/resources/.../OAuthParsersFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes one target for {@code maxDuration} (see the README, "Fuzzing").
 * Signed inputs carry the fuzzer's header and claims under a valid signature, so the checks behind
 * the signature are reached too.
 */
class OAuthParsersFuzzTest {

    private static final String TOKEN = TestSettings.ISSUER;

    /**
     * Made at the first input, not when the class loads: Jazzer instruments for coverage only the
     * classes loaded after its agent, which comes with the first fuzz test.
     */
    private static final class Targets {
        static final AuthorizationRequestValidator SIGNED_ONLY = ParFixture.validator(Map.of());
        static final AuthorizationRequestValidator PLAIN_ALLOWED = ParFixture.validator(Map.of(), "none");
        static final ClientAssertionVerifier ASSERTIONS =
                new ClientAssertionVerifier(TestSettings.defaults(), new InMemorySharedState());
        static final DpopProofs DPOP = TestDpop.proofs(new InMemorySharedState());
        static final ECKey DPOP_KEY = ec();
    }

    @FuzzTest(maxDuration = "20s")
    void requestObjects(FuzzedDataProvider data) {
        String request = data.consumeBoolean() ? signed(data, ParFixture.RSA.getKeyID()) : data.consumeRemainingAsString();
        refusedOnlyWithOAuthError(() -> Targets.SIGNED_ONLY.validate(ParFixture.CLIENT, ParFixture.request(request)));
    }

    @FuzzTest(maxDuration = "20s")
    void plainParameters(FuzzedDataProvider data) {
        Map<String, String> params = ParFixture.plainParameters();
        params.put("claims", data.consumeString(2000));
        params.put("authorization_details", data.consumeString(2000));
        params.put(data.consumeString(30), data.consumeString(200));
        params.put(data.pickValue(params.keySet().toArray(new String[0])), data.consumeRemainingAsString());
        refusedOnlyWithOAuthError(() -> Targets.PLAIN_ALLOWED.validate(ParFixture.CLIENT, ParFixture.form(params)));
        refusedOnlyWithOAuthError(() -> OpenBankingIntents.intentId(params.get("claims")));
    }

    @FuzzTest(maxDuration = "20s")
    void clientAssertions(FuzzedDataProvider data) {
        String compact = data.consumeBoolean() ? signed(data, ParFixture.RSA.getKeyID()) : data.consumeRemainingAsString();
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(compact);
        } catch (java.text.ParseException | RuntimeException e) {
            // ClientAuthenticator answers invalid_client for an unparseable assertion; Nimbus throws a
            // NullPointerException for a header that is the JSON null (this target's first finding)
            return;
        }
        refusedOnlyWithOAuthError(() -> Targets.ASSERTIONS.verify(ParFixture.CLIENT, jwt, TOKEN, AssertionAudiences.RFC7523));
    }

    @FuzzTest(maxDuration = "20s")
    void dpopProofs(FuzzedDataProvider data) {
        String proof;
        if (data.consumeBoolean()) {
            // A well-signed proof of the fuzzer's claims, with a header the verifier accepts
            try {
                JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                        .jwk(Targets.DPOP_KEY.toPublicJWK()).build();
                // The payload as the fuzzer wrote it (the JSON null, an array: what no claims set object holds)
                com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(header,
                        new com.nimbusds.jose.Payload(data.consumeRemainingAsString()));
                jws.sign(new ECDSASigner(Targets.DPOP_KEY));
                proof = jws.serialize();
            } catch (com.nimbusds.jose.JOSEException | RuntimeException e) {
                return;
            }
        } else {
            proof = data.consumeRemainingAsString();
        }
        HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(TOKEN));
        r.setHeader("DPoP", proof);
        refusedOnlyWithOAuthError(() -> Targets.DPOP.verify(r, "POST", TOKEN));
    }

    @FuzzTest(maxDuration = "20s")
    void formBodies(FuzzedDataProvider data) {
        String body = data.consumeRemainingAsString();
        refusedOnlyWithOAuthError(() -> {
            HttpIO.checkFormEncoding(body);
            HTTPRequest r = new HTTPRequest(HTTPRequest.Method.POST, URI.create(TOKEN));
            r.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_URLENCODED);
            r.setBody(body);
            HttpIO.param(r, "grant_type");
            HttpIO.param(r, "client_assertion");
        });
    }

    /** header.claims.signature: JSON of the fuzzer's, signed with the client's registered key when it parses. */
    private static String signed(FuzzedDataProvider data, String kid) {
        String header = data.consumeString(300);
        String claims = data.consumeRemainingAsString();
        try {
            JWSHeader h = JWSHeader.parse(header);
            return ParFixture.sign(new JWSHeader.Builder(h).keyID(kid).build(), JWTClaimsSet.parse(claims), ParFixture.RSA);
        } catch (java.text.ParseException | RuntimeException e) {
            // not a header this key can sign: send the parts as they are
            return b64(header) + "." + b64(claims) + ".c2ln";
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ECKey ec() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Call {
        void run() throws OAuthException;
    }

    private static void refusedOnlyWithOAuthError(Call call) {
        try {
            call.run();
        } catch (OAuthException e) {
            // the refusal every endpoint renders as an RFC 6749 error
        }
    }
}
