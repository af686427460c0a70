package org.obkm.client.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

class ClientRegistrationValidatorTest {

    private static final Set<String> CC = Set.of("client_credentials");

    private static ClientRegistration basic(String name, Set<String> grants, Set<String> scopes, List<String> redirects) {
        return new ClientRegistration(name, grants, scopes, TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, null,
                redirects, null);
    }

    private static void rejected(ClientRegistration r, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientRegistrationValidator.validate(r));
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }

    @Test
    void acceptsMinimalSecretClient() {
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(basic("tpp", CC, Set.of("accounts"), List.of())));
    }

    @Test
    void rejectsBlankName() {
        rejected(basic(" ", CC, Set.of(), List.of()), "name");
    }

    @Test
    void rejectsMissingGrantTypes() {
        rejected(basic("tpp", Set.of(), Set.of(), List.of()), "grant type");
    }

    @Test
    void rejectsUnknownGrantType() {
        rejected(basic("tpp", Set.of("password"), Set.of(), List.of()), "unknown grant type 'password'");
    }

    @Test
    void rejectsScopeWithIllegalCharacter() {
        rejected(basic("tpp", CC, Set.of("acc\"ounts"), List.of()), "invalid scope");
    }

    @Test
    void rejectsAuthorizationCodeWithoutRedirectUri() {
        rejected(basic("tpp", Set.of("authorization_code"), Set.of(), List.of()), "redirect URI");
    }

    @Test
    void rejectsPlainHttpRedirectUri() {
        rejected(basic("tpp", Set.of("authorization_code"), Set.of(), List.of("http://tpp.example/cb")), "https");
    }

    @Test
    void rejectsRedirectUriWithFragment() {
        rejected(basic("tpp", Set.of("authorization_code"), Set.of(), List.of("https://tpp.example/cb#x")), "fragment");
    }

    @Test
    void acceptsLoopbackHttpRedirectUri() {
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(
                basic("tpp", Set.of("authorization_code"), Set.of(), List.of("http://127.0.0.1:8080/cb"))));
    }

    @Test
    void rejectsPrivateKeyJwtWithoutKeys() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, null,
                List.of(), null), "jwks or jwks_uri");
    }

    @Test
    void rejectsBothJwksAndJwksUri() throws Exception {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT,
                publicJwks(), "https://tpp.example/jwks", List.of(), null), "not both");
    }

    @Test
    void rejectsJwksWithPrivateKey() throws Exception {
        RSAKey k = new RSAKeyGenerator(2048).keyID("k1").generate();
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(k).toString(false), null, List.of(), null), "private part");
    }

    @Test
    void rejectsMalformedJwks() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT, "{not json",
                null, List.of(), null), "not a valid JWK Set");
    }

    @Test
    void rejectsEncryptionKeyInJwks() throws Exception {
        RSAKey k = new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate().toPublicJWK();
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT,
                new JWKSet(k).toString(), null, List.of(), null), "not for signatures");
    }

    private static ClientRegistration jarm(String jwks, String jwksUri, JarmAlgorithms algs) {
        return new ClientRegistration("tpp", Set.of("authorization_code"), Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT,
                jwks, jwksUri, List.of("https://tpp.example/cb"), null, null, null, null, algs);
    }

    @Test
    void acceptsJarmSigningAndEncryptionToARegisteredEncryptionKey() throws Exception {
        RSAKey sig = new RSAKeyGenerator(2048).keyID("sig").keyUse(KeyUse.SIGNATURE).generate().toPublicJWK();
        RSAKey enc = new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate().toPublicJWK();
        String jwks = new JWKSet(List.of(sig, enc)).toString();
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(jarm(jwks, null,
                new JarmAlgorithms("ES256", "RSA-OAEP-256", "A256GCM"))));
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(jarm(null, "https://tpp.example/jwks",
                new JarmAlgorithms(null, "ECDH-ES", null))));
    }

    @Test
    void rejectsJarmAlgorithmsTheServerDoesNotOffer() throws Exception {
        String jwks = new JWKSet(new RSAKeyGenerator(2048).keyID("k").generate().toPublicJWK()).toString();
        rejected(jarm(jwks, null, new JarmAlgorithms("none", null, null)), "authorization_signed_response_alg");
        rejected(jarm(jwks, null, new JarmAlgorithms("RS256", null, null)), "PS256");
        rejected(jarm(jwks, null, new JarmAlgorithms(null, "RSA1_5", null)), "authorization_encrypted_response_alg");
        rejected(jarm(jwks, null, new JarmAlgorithms(null, "RSA-OAEP-256", "A128KW")), "authorization_encrypted_response_enc");
    }

    @Test
    void rejectsJarmContentEncryptionWithoutItsAlgorithm() throws Exception {
        String jwks = new JWKSet(new RSAKeyGenerator(2048).keyID("k").generate().toPublicJWK()).toString();
        rejected(jarm(jwks, null, new JarmAlgorithms(null, null, "A256GCM")), "needs authorization_encrypted_response_alg");
    }

    @Test
    void rejectsJarmEncryptionWithoutAKeyOfItsType() throws Exception {
        RSAKey sig = new RSAKeyGenerator(2048).keyID("sig").keyUse(KeyUse.SIGNATURE).generate().toPublicJWK();
        rejected(jarm(new JWKSet(sig).toString(), null, new JarmAlgorithms(null, "RSA-OAEP-256", null)), "to encrypt to");
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa").generate().toPublicJWK();
        rejected(jarm(new JWKSet(rsa).toString(), null, new JarmAlgorithms(null, "ECDH-ES", null)), "EC key");
    }

    @Test
    void rejectsHttpJwksUri() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null,
                "http://tpp.example/jwks", List.of(), null), "https");
    }

    @Test
    void rejectsTlsClientAuthWithoutSubjectDn() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, null,
                List.of(), null), "subject DN");
    }

    @Test
    void rejectsTlsClientAuthWithMalformedSubjectDn() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, null,
                List.of(), "CN=tpp,=broken"), "invalid certificate subject DN");
    }

    @Test
    void acceptsTlsClientAuthWithSubjectDn() {
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(new ClientRegistration("tpp", CC, Set.of(),
                TokenEndpointAuthMethod.TLS_CLIENT_AUTH, null, null, List.of(), "CN=tpp.example,O=TPP Ltd,C=GB")));
    }

    @Test
    void rejectsSelfSignedTlsClientAuthWithoutKeys() {
        rejected(new ClientRegistration("tpp", CC, Set.of(), TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH,
                null, null, List.of(), null), "jwks or jwks_uri");
    }

    @Test
    void acceptsSelfSignedTlsClientAuthWithJwksOrJwksUri() throws Exception {
        String jwks = publicJwks();
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(new ClientRegistration("tpp", CC, Set.of(),
                TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, jwks, null, List.of(), null)));
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(new ClientRegistration("tpp", CC, Set.of(),
                TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, null, "https://tpp.example/jwks", List.of(),
                null)));
    }

    @Test
    void acceptsPrivateKeyJwtWithPublicJwks() throws Exception {
        String jwks = publicJwks();
        assertDoesNotThrow(() -> ClientRegistrationValidator.validate(new ClientRegistration("tpp", CC, Set.of(),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, jwks, null, List.of(), null)));
    }

    private static String publicJwks() throws Exception {
        return new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString();
    }
}
