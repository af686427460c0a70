package org.obkm.dcr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;

/** Each rule of issue 13 point 3, in its order, with the RFC 7591 error code it answers. */
class RegistrationRequestValidatorTest {

    private static DcrFixture f;
    private RegistrationRequestValidator validator;
    private final Set<String> usedJtis = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void directory() throws Exception {
        f = new DcrFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void bank() {
        validator = validator(f.config());
    }

    private RegistrationRequestValidator validator(Map<String, Object> config) {
        DcrSettings s = DcrSettings.parse(config);
        return new RegistrationRequestValidator(s, new JwksFetcher(s, Clock.systemUTC()),
                new TransportCertificates(s.transportCaFile()), (jti, until) -> usedJtis.add(jti), Clock.systemUTC());
    }

    private String aisp(UnaryOperator<JWTClaimsSet.Builder> request) {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        return f.sign(request.apply(f.request("softAISP1", ssa)).build());
    }

    private X509Certificate[] aispCert() {
        return f.transport("softAISP1", "org1");
    }

    private void refused(String error, String body) {
        refused(error, body, aispCert());
    }

    private void refused(String error, String body, X509Certificate[] chain) {
        DcrException e = assertThrows(DcrException.class, () -> validator.validate(body, chain));
        assertEquals(error, e.error(), e.getMessage());
        assertEquals(400, e.status());
    }

    @Test
    void registersAnAispWithPrivateKeyJwt() {
        ClientRegistration r = validator.validate(aisp(b -> b), aispCert()).registration();
        assertEquals(TokenEndpointAuthMethod.PRIVATE_KEY_JWT, r.authMethod());
        assertEquals(DcrFixture.BASE + "/tpp/jwks", r.jwksUri(), "jwks_uri is the SSA's software_jwks_endpoint");
        assertEquals(Set.of("openid", "accounts"), r.scopes());
        assertEquals(List.of("https://tpp.example/cb"), r.redirectUris());
        assertEquals("softAISP1", r.software().softwareId());
        assertEquals("org1", r.software().organisationId());
        assertEquals(Set.of("AISP"), r.software().softwareRoles());
        assertEquals(DcrFixture.DIRECTORY, r.software().ssaIssuer());
        assertEquals("sandbox", r.software().softwareEnvironment());
        assertEquals("PS256", r.software().tokenEndpointAuthSigningAlg());
        assertEquals(Set.of("code id_token"), r.software().responseTypes());
    }

    @Test
    void registersAPispWithTlsClientAuth() {
        String ssa = f.signSsa(f.ssa("softPISP1", "PISP").build());
        String dn = "CN=softPISP1,OU=org1,O=OpenBanking,C=GB";
        String body = f.sign(f.request("softPISP1", ssa).claim("scope", "openid payments")
                .claim("token_endpoint_auth_method", "tls_client_auth").claim("token_endpoint_auth_signing_alg", null)
                .claim("tls_client_auth_subject_dn", dn).build());
        ClientRegistration r = validator.validate(body, f.transport("softPISP1", "org1")).registration();
        assertEquals(TokenEndpointAuthMethod.TLS_CLIENT_AUTH, r.authMethod());
        assertEquals(dn, r.tlsSubjectDn());
        assertEquals(Set.of("openid", "payments"), r.scopes());
    }

    @Test
    void substitutesOmittedRedirectUrisResponseTypesAndAlgorithms() {
        ClientRegistration r = validator.validate(aisp(b -> b.claim("redirect_uris", null).claim("response_types", null)
                .claim("id_token_signed_response_alg", null).claim("request_object_signing_alg", null)), aispCert())
                .registration();
        assertEquals(List.of("https://tpp.example/cb", "https://tpp.example/cb2"), r.redirectUris());
        assertEquals(Set.of("code id_token"), r.software().responseTypes());
        assertEquals("PS256", r.software().idTokenSignedResponseAlg());
        assertEquals("PS256", r.software().requestObjectSigningAlg());
    }

    @Test
    void refusesWithoutTransportCertificate() {
        refused("invalid_client_metadata", aisp(b -> b), null);
    }

    @Test
    void refusesATransportCertificateOfAnotherCa() throws Exception {
        X509Certificate[] foreign = new X509Certificate[] {TestCerts.selfSigned("CN=softAISP1,OU=org1,O=OpenBanking,C=GB")};
        refused("invalid_client_metadata", aisp(b -> b), foreign);
    }

    @Test
    void refusesRs256Request() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        refused("invalid_client_metadata", f.sign(f.request("softAISP1", ssa).build(), JWSAlgorithm.RS256, f.tppKey));
    }

    @Test
    void refusesAnUnsignedRequest() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        refused("invalid_client_metadata", new PlainJWT(new PlainHeader(), f.request("softAISP1", ssa).build()).serialize());
    }

    @Test
    void refusesAnExpiredRequest() {
        refused("invalid_client_metadata", aisp(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(120)))));
    }

    @Test
    void refusesARequestIssuedInTheFuture() {
        refused("invalid_client_metadata", aisp(b -> b.issueTime(Date.from(Instant.now().plusSeconds(600)))));
    }

    @Test
    void refusesAJtiThatIsNoUuid() {
        refused("invalid_client_metadata", aisp(b -> b.jwtID("not-a-uuid")));
    }

    @Test
    void refusesAReusedJti() {
        String jti = java.util.UUID.randomUUID().toString();
        validator.validate(aisp(b -> b.jwtID(jti)), aispCert());
        refused("invalid_client_metadata", aisp(b -> b.jwtID(jti)));
    }

    @Test
    void refusesIssFooIsInvalid() {
        refused("invalid_client_metadata", aisp(b -> b.issuer("foo.is/invalid")));
    }

    @Test
    void refusesAnEmptyIss() {
        refused("invalid_client_metadata", aisp(b -> b.issuer("")));
    }

    @Test
    void refusesAThirtyCharacterIss() {
        refused("invalid_client_metadata", aisp(b -> b.issuer("a".repeat(30))));
    }

    @Test
    void refusesAnotherBanksAudience() {
        refused("invalid_client_metadata", aisp(b -> b.audience("otherbank")));
    }

    @Test
    void refusesAnSsaOfAnUntrustedDirectory() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").issuer("Rogue Directory").build());
        refused("unapproved_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesAMalformedSsa() {
        refused("invalid_software_statement", aisp(b -> b.claim("software_statement", "not.a.jws")));
    }

    @Test
    void refusesAnSsaSignedByAnotherKeyWithTheDirectorysKid() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build(), f.otherKey);
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesAnExpiredSsa() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").issueTime(Date.from(Instant.now().minusSeconds(3600))).build());
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesAnSsaOfARevokedOrganisation() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").claim("org_status", "Revoked").build());
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesAnSsaOfAnotherEnvironment() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").claim("software_environment", "production").build());
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesARequestNotSignedByTheSoftwaresKey() throws Exception {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        var stranger = new RSAKeyGenerator(2048).keyID("tpp-1").generate();
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build(), JWSAlgorithm.PS256, stranger));
    }

    @Test
    void refusesAKeyFetchOutsideTheAllowedHosts() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP")
                .claim("software_jwks_endpoint", "https://169.254.169.254/latest/meta-data").build());
        refused("invalid_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void refusesAnotherSoftwareId() {
        refused("invalid_client_metadata", aisp(b -> b.claim("software_id", "softOTHER")));
    }

    @Test
    void refusesAnIssOtherThanTheSoftwareId() {
        refused("invalid_client_metadata", aisp(b -> b.issuer("softOTHER")));
    }

    @Test
    void refusesTheTransportCertificateOfAnotherSoftware() {
        refused("invalid_client_metadata", aisp(b -> b), f.transport("softOTHER", "org1"));
    }

    @Test
    void acceptsAnEidasCertificateOfTheOrganisation() {
        validator.validate(aisp(b -> b), f.eidas("org1"));
    }

    @Test
    void refusesAnHttpRedirectUri() {
        refused("invalid_redirect_uri", aisp(b -> b.claim("redirect_uris", List.of("http://tpp.example/cb"))));
    }

    @Test
    void refusesALocalhostRedirectUri() {
        refused("invalid_redirect_uri", aisp(b -> b.claim("redirect_uris", List.of("https://localhost/cb"))));
    }

    @Test
    void refusesARedirectUriOutsideTheSsa() {
        refused("invalid_redirect_uri", aisp(b -> b.claim("redirect_uris", List.of("https://evil.example/cb"))));
    }

    @Test
    void refusesAScopeOutsideTheSoftwaresRoles() {
        refused("invalid_client_metadata", aisp(b -> b.claim("scope", "openid accounts payments")));
    }

    @Test
    void refusesClientSecretBasic() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", "client_secret_basic")
                .claim("token_endpoint_auth_signing_alg", null)));
    }

    @Test
    void refusesTlsClientAuthWithoutSubjectDn() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", "tls_client_auth")
                .claim("token_endpoint_auth_signing_alg", null)));
    }

    @Test
    void refusesPrivateKeyJwtWithoutSigningAlg() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_signing_alg", null)));
    }

    @Test
    void refusesASubjectDnWithPrivateKeyJwt() {
        refused("invalid_client_metadata", aisp(b -> b.claim("tls_client_auth_subject_dn", "CN=x")));
    }

    @Test
    void refusesResponseTypeIdTokenToken() {
        refused("invalid_client_metadata", aisp(b -> b.claim("response_types", List.of("id_token", "token"))));
    }

    @Test
    void refusesAnUnsupportedGrantType() {
        refused("invalid_client_metadata", aisp(b -> b.claim("grant_types", List.of("password"))));
    }

    @Test
    void refusesSelfSignedSsasByDefault() {
        String ssa = f.sign(f.ssa("softAISP1", "AISP").issuer("softAISP1").build());
        refused("unapproved_software_statement", f.sign(f.request("softAISP1", ssa).build()));
    }

    @Test
    void acceptsSelfSignedSsasWhenConfigured() {
        Map<String, Object> config = new java.util.HashMap<>(f.config());
        config.put("selfSignedSsaAllowed", "true");
        validator = validator(config);
        String ssa = f.sign(f.ssa("softAISP1", "AISP").issuer("softAISP1").build());
        assertTrue(validator.validate(f.sign(f.request("softAISP1", ssa).build()), aispCert()).registration()
                .software().hasSoftwareStatement());
    }

    @Test
    void refusesAnRs256IdTokenSigningAlg() {
        refused("invalid_client_metadata", aisp(b -> b.claim("id_token_signed_response_alg", "RS256")));
    }

    @Test
    void refusesRequestObjectSigningAlgNone() {
        refused("invalid_client_metadata", aisp(b -> b.claim("request_object_signing_alg", "none")));
    }

    @Test
    void refusesAnHs256TokenEndpointAuthSigningAlg() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_signing_alg", "HS256")));
    }

    @Test
    void keepsTheRegisteredEs256Algorithms() {
        ClientRegistration r = validator.validate(aisp(b -> b.claim("id_token_signed_response_alg", "ES256")
                .claim("request_object_signing_alg", "ES256").claim("token_endpoint_auth_signing_alg", "ES256")),
                aispCert()).registration();
        assertEquals("ES256", r.software().idTokenSignedResponseAlg());
        assertEquals("ES256", r.software().requestObjectSigningAlg());
        assertEquals("ES256", r.software().tokenEndpointAuthSigningAlg());
    }

    @Test
    void refusesResponseTypeToken() {
        refused("invalid_client_metadata", aisp(b -> b.claim("response_types", List.of("code token"))));
    }

    @Test
    void refusesResponseTypeIdTokenTokenAsOneValue() {
        refused("invalid_client_metadata", aisp(b -> b.claim("response_types", List.of("id_token token"))));
    }

    @Test
    void acceptsResponseTypeCodeIdTokenInEitherOrder() {
        assertEquals(Set.of("code id_token", "code"), validator.validate(aisp(b -> b.claim("response_types",
                List.of("id_token code", "code"))), aispCert()).registration().software().responseTypes());
    }

    @Test
    void refusesResponseTypesWithoutTheAuthorizationCodeGrant() {
        refused("invalid_client_metadata", aisp(b -> b.claim("grant_types", List.of("client_credentials"))));
    }

    @Test
    void registersAClientCredentialsClientWithoutResponseTypes() {
        ClientRegistration r = validator.validate(aisp(b -> b.claim("grant_types", List.of("client_credentials"))
                .claim("response_types", null)), aispCert()).registration();
        assertEquals(Set.of("client_credentials"), r.grantTypes());
        assertEquals(Set.of(), r.software().responseTypes());
    }

    @Test
    void refusesMissingGrantTypes() {
        refused("invalid_client_metadata", aisp(b -> b.claim("grant_types", null)));
    }

    @Test
    void refusesTheImplicitAndCibaGrantTypes() {
        refused("invalid_client_metadata", aisp(b -> b.claim("grant_types", List.of("authorization_code", "implicit"))));
        refused("invalid_client_metadata", aisp(b -> b.claim("grant_types",
                List.of("authorization_code", "urn:openid:params:grant-type:ciba"))));
    }

    @Test
    void refusesAMissingTokenEndpointAuthMethod() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", null)
                .claim("token_endpoint_auth_signing_alg", null)));
    }

    @Test
    void refusesSelfSignedTlsClientAuthUnlessConfigured() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method",
                "self_signed_tls_client_auth").claim("token_endpoint_auth_signing_alg", null)));
    }

    @Test
    void acceptsSelfSignedTlsClientAuthWhenConfigured() {
        Map<String, Object> config = new java.util.HashMap<>(f.config());
        config.put("tokenEndpointAuthMethods", "private_key_jwt, tls_client_auth, self_signed_tls_client_auth");
        validator = validator(config);
        assertEquals(TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH, validator.validate(aisp(b -> b.claim(
                "token_endpoint_auth_method", "self_signed_tls_client_auth").claim("token_endpoint_auth_signing_alg",
                null)), aispCert()).registration().authMethod());
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", "self_signed_tls_client_auth")
                .claim("token_endpoint_auth_signing_alg", null).claim("tls_client_auth_subject_dn", "CN=softAISP1")));
    }

    @Test
    void refusesASigningAlgWithTlsClientAuth() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", "tls_client_auth")
                .claim("tls_client_auth_subject_dn", "CN=softAISP1,OU=org1,O=OpenBanking,C=GB")));
    }

    @Test
    void refusesASubjectDnThatIsNoDistinguishedName() {
        refused("invalid_client_metadata", aisp(b -> b.claim("token_endpoint_auth_method", "tls_client_auth")
                .claim("token_endpoint_auth_signing_alg", null).claim("tls_client_auth_subject_dn", "not a DN")));
    }

    @Test
    void refusesAMissingScope() {
        refused("invalid_client_metadata", aisp(b -> b.claim("scope", null)));
    }

    @Test
    void grantsTheScopesOfEachRoleOnly() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP", "PISP", "CBPII").build());
        assertEquals(Set.of("openid", "accounts", "payments", "fundsconfirmations"), validator.validate(f.sign(
                f.request("softAISP1", ssa).claim("scope", "openid accounts payments fundsconfirmations").build()),
                aispCert()).registration().scopes());
        String pisp = f.signSsa(f.ssa("softAISP1", "PISP").build());
        refused("invalid_client_metadata", f.sign(f.request("softAISP1", pisp).claim("scope", "openid accounts").build()));
        String unknownRole = f.signSsa(f.ssa("softAISP1", "ASPSP").build());
        refused("invalid_client_metadata", f.sign(f.request("softAISP1", unknownRole).build()));
    }

    @Test
    void refusesAnEidasCertificateOfAnotherOrganisation() {
        refused("invalid_client_metadata", aisp(b -> b), f.eidas("org2"));
        refused("invalid_client_metadata", aisp(b -> b), f.eidas("PSDGB-OB-org2"));
    }

    @Test
    void acceptsAnObEidasCertificateNamingTheOrgId() {
        validator.validate(aisp(b -> b), f.eidas("PSDGB-OB-org1"));
    }

    private String withCompetentAuthority(Object claims) {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").claim("organisation_competent_authority_claims", claims)
                .build());
        return f.sign(f.request("softAISP1", ssa).build());
    }

    @Test
    void acceptsAnEidasCertificateOfTheOrganisationsNcaRegistration() {
        validator.validate(withCompetentAuthority(List.of(Map.of("authority_id", "FCAGBR", "registration_id", "123456",
                "status", "Active"))), f.eidas("PSDGB-FCA-123456"));
    }

    @Test
    void refusesAnEidasCertificateWhoseNumberOnlyEndsWithTheRegistration() {
        refused("invalid_client_metadata", withCompetentAuthority(List.of(Map.of("authority_id", "FCAGBR",
                "registration_id", "123456", "status", "Active"))), f.eidas("PSDGB-FCA-9-123456"));
    }

    @Test
    void refusesAnEidasCertificateOfAnotherNcaOrARevokedAuthorisation() {
        refused("invalid_client_metadata", withCompetentAuthority(List.of(Map.of("authority_id", "FCAGBR",
                "registration_id", "123456", "status", "Active"))), f.eidas("PSDDE-BAFIN-123456"));
        refused("invalid_client_metadata", withCompetentAuthority(List.of(Map.of("authority_id", "FCAGBR",
                "registration_id", "123456", "status", "Revoked"))), f.eidas("PSDGB-FCA-123456"));
    }

    @Test
    void recordsTheJtiOnlyAfterTheRequestsOwnChecks() {
        String jti = java.util.UUID.randomUUID().toString();
        refused("invalid_client_metadata", aisp(b -> b.jwtID(jti).audience("anotherbank")));
        validator.validate(aisp(b -> b.jwtID(jti)), aispCert());
        refused("invalid_client_metadata", aisp(b -> b.jwtID(jti)));
    }
}
