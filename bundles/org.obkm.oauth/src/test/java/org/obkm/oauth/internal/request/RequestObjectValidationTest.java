package org.obkm.oauth.internal.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.obkm.oauth.internal.ParFixture.CLIENT;
import static org.obkm.oauth.internal.ParFixture.NOW;
import static org.obkm.oauth.internal.ParFixture.claims;
import static org.obkm.oauth.internal.ParFixture.es256;
import static org.obkm.oauth.internal.ParFixture.form;
import static org.obkm.oauth.internal.ParFixture.ps256;
import static org.obkm.oauth.internal.ParFixture.refused;
import static org.obkm.oauth.internal.ParFixture.request;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestSettings;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** The request object rules of RFC 9101 and FAPI 2.0 Message Signing, each a named test, for a fapi2 client. */
public class RequestObjectValidationTest {

    private final AuthorizationRequestValidator validator = ParFixture.validator(Map.of());

    private PushedRequest accepted(String requestObject) throws OAuthException {
        return validator.validate(CLIENT, request(requestObject));
    }

    private void rejected(String requestObject, String descriptionPart) {
        refused("invalid_request_object", descriptionPart, () -> validator.validate(CLIENT, request(requestObject)));
    }

    private void rejected(Consumer<JWTClaimsSet.Builder> change, String descriptionPart) {
        rejected(ps256(claims(change)), descriptionPart);
    }

    private static Date at(Duration fromNow) {
        return Date.from(NOW.plus(fromNow));
    }

    @Test
    public void acceptsPs256RequestObjectAndKeepsItsParameters() throws Exception {
        PushedRequest r = accepted(ps256(claims().build()));
        assertEquals(new PushedRequest(ParFixture.CLIENT_ID, ParFixture.REDIRECT_URI, "code", "openid accounts", "st-1",
                "n-1", ParFixture.CHALLENGE, "S256", null, "fapi2-message-signing", null), r);
    }

    /** Found by OAuthParsersFuzzTest: Nimbus's parser threw a NullPointerException, answered 500. */
    @Test
    public void rejectsARequestObjectWhoseHeaderIsTheJsonNull() {
        rejected("bnVsbA.e30.c2ln", "not a JWT");
    }

    @Test
    public void acceptsEs256RequestObject() throws Exception {
        assertEquals("fapi2-message-signing", accepted(es256(claims().build())).profile());
    }

    @Test
    public void acceptsTypOauthAuthzReqJwt() throws Exception {
        accepted(ParFixture.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa")
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(), claims().build(), ParFixture.RSA));
    }

    @Test
    public void rejectsRequestObjectSignedWithRs256() {
        rejected(ParFixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims().build(),
                ParFixture.RSA), "RS256");
    }

    @Test
    public void rejectsRequestObjectSignedWithHs256() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        jwt.sign(new MACSigner(new byte[32]));
        rejected(jwt.serialize(), "HS256");
    }

    @Test
    public void rejectsUnsignedRequestObject() {
        rejected(new PlainJWT(claims().build()).serialize(), "alg none");
    }

    @Test
    public void rejectsEncryptedRequestObject() throws Exception {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                claims().build());
        jwt.encrypt(new RSAEncrypter(ParFixture.RSA.toRSAPublicKey()));
        rejected(jwt.serialize(), "encrypted");
    }

    @Test
    public void rejectsRequestObjectThatIsNoJwt() {
        rejected("not-a-jwt", "not a JWT");
    }

    @Test
    public void rejectsRequestObjectSignedByAnotherKey() {
        rejected(ParFixture.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa").build(), claims().build(),
                ParFixture.OTHER_RSA), "signature");
    }

    @Test
    public void rejectsRequestObjectOfAnotherJwtType() {
        rejected(ParFixture.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa")
                .type(new JOSEObjectType("client-authentication+jwt")).build(), claims().build(), ParFixture.RSA), "typ");
    }

    @Test
    public void rejectsRequestObjectWithoutExp() {
        rejected(b -> b.expirationTime(null), "no exp");
    }

    @Test
    public void rejectsRequestObjectWithoutNbf() {
        rejected(b -> b.notBeforeTime(null), "no nbf");
    }

    @Test
    public void rejectsExpiredRequestObject() {
        rejected(b -> b.notBeforeTime(at(Duration.ofMinutes(-10))).expirationTime(at(Duration.ofSeconds(-11))),
                "expired");
    }

    @Test
    public void acceptsExpWithinTheClockSkew() throws Exception {
        accepted(ps256(claims(b -> b.notBeforeTime(at(Duration.ofMinutes(-10)))
                .expirationTime(at(Duration.ofSeconds(-9))))));
    }

    @Test
    public void rejectsNbfInTheFutureBeyondTheClockSkew() {
        rejected(b -> b.notBeforeTime(at(Duration.ofSeconds(11))), "not valid yet");
    }

    @Test
    public void acceptsNbfInTheFutureWithinTheClockSkew() throws Exception {
        accepted(ps256(claims(b -> b.notBeforeTime(at(Duration.ofSeconds(9))))));
    }

    @Test
    public void rejectsNbfOlderThan60Minutes() {
        rejected(b -> b.notBeforeTime(at(Duration.ofMinutes(-61))).expirationTime(at(Duration.ofMinutes(1))),
                "60 minutes in the past");
    }

    @Test
    public void acceptsNbf59MinutesOld() throws Exception {
        accepted(ps256(claims(b -> b.notBeforeTime(at(Duration.ofMinutes(-59))).expirationTime(at(Duration.ofMinutes(1))))));
    }

    @Test
    public void rejectsLifetimeOver60Minutes() {
        rejected(b -> b.notBeforeTime(at(Duration.ZERO)).expirationTime(at(Duration.ofMinutes(60).plusSeconds(1))),
                "exceeds 60 minutes");
    }

    @Test
    public void rejectsExpBeforeNbf() {
        rejected(b -> b.notBeforeTime(at(Duration.ofSeconds(5))).expirationTime(at(Duration.ZERO)), "after nbf");
    }

    @Test
    public void acceptsLifetimeOfExactly60Minutes() throws Exception {
        accepted(ps256(claims(b -> b.notBeforeTime(at(Duration.ZERO)).expirationTime(at(Duration.ofMinutes(60))))));
    }

    @Test
    public void rejectsAudienceOtherThanTheIssuer() {
        rejected(b -> b.audience("https://as.bank.example/oauth2/par"), "aud");
    }

    @Test
    public void rejectsMissingAudience() {
        rejected(b -> b.audience((String) null), "aud");
    }

    @Test
    public void acceptsAudienceArrayContainingTheIssuer() throws Exception {
        accepted(ps256(claims(b -> b.audience(List.of("https://other.example", TestSettings.ISSUER)))));
    }

    @Test
    public void rejectsIssuerOtherThanTheClient() {
        rejected(b -> b.issuer("someone-else"), "iss");
    }

    @Test
    public void rejectsRequestObjectWithoutClientId() {
        rejected(b -> b.claim("client_id", null), "client_id");
    }

    @Test
    public void rejectsClientIdOfAnotherClient() {
        rejected(b -> b.claim("client_id", "tpp-2"), "client_id");
    }

    @Test
    public void rejectsRequestUriInsideTheRequestObject() {
        rejected(b -> b.claim("request_uri", "https://tpp.example/ro"), "request_uri");
    }

    @Test
    public void rejectsClientWithoutRegisteredKeys() {
        var keyless = new org.obkm.api.client.Client(ParFixture.CLIENT_ID, "TPP", CLIENT.grantTypes(), CLIENT.scopes(),
                CLIENT.authMethod(), null, null, null, CLIENT.redirectUris(), null, NOW);
        refused("invalid_request_object", "no registered keys",
                () -> validator.validate(keyless, request(ps256(claims().build()))));
    }

    @Test
    public void ignoresParametersBesideTheRequestObject() throws Exception {
        PushedRequest r = validator.validate(CLIENT, form(Map.of("request", ps256(claims().build()),
                "scope", "payments", "redirect_uri", "https://tpp.example/other", "state", "outside")));
        assertEquals("openid accounts", r.scope());
        assertEquals(ParFixture.REDIRECT_URI, r.redirectUri());
        assertEquals("st-1", r.state());
    }

    @Test
    public void acceptsFormClientIdOfTheAuthenticatedClient() throws Exception {
        accepted(ps256(claims().build()));
        validator.validate(CLIENT, form(Map.of("request", ps256(claims().build()), "client_id", ParFixture.CLIENT_ID)));
    }

    @Test
    public void rejectsFormClientIdOfAnotherClient() {
        refused("invalid_request", "client_id", () -> validator.validate(CLIENT,
                form(Map.of("request", ps256(claims().build()), "client_id", "tpp-2"))));
    }

    @Test
    public void rejectsRequestUriParameterAtThePushEndpoint() {
        refused("invalid_request", "request_uri", () -> validator.validate(CLIENT,
                form(Map.of("request_uri", "urn:ietf:params:oauth:request_uri:abc"))));
    }

    @Test
    public void rejectsPlainParametersForFapi2() {
        refused("invalid_request", "signed request object",
                () -> validator.validate(CLIENT, form(ParFixture.plainParameters())));
    }

    @Test
    public void rejectsPlainParametersForFapi1Advanced() {
        refused("invalid_request", "signed request object", () -> ParFixture.validator(Map.of(), "fapi1-advanced")
                .validate(CLIENT, form(ParFixture.plainParameters())));
    }

    @Test
    public void acceptsPlainParametersForProfileNone() throws Exception {
        PushedRequest r = ParFixture.validator(Map.of("profile.client." + ParFixture.CLIENT_ID, "none"))
                .validate(CLIENT, form(ParFixture.plainParameters()));
        assertEquals("none", r.profile());
        assertEquals("openid accounts", r.scope());
        assertNull(r.nonce());
    }

    @Test
    public void holdsARequestObjectOfProfileNoneToTheSameRules() {
        AuthorizationRequestValidator none = ParFixture.validator(Map.of(), "none");
        refused("invalid_request_object", "RS256", () -> none.validate(CLIENT, request(ParFixture.sign(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa").build(), claims().build(), ParFixture.RSA))));
        refused("invalid_request_object", "no exp", () -> none.validate(CLIENT,
                request(ps256(claims(b -> b.expirationTime(null))))));
    }
}
