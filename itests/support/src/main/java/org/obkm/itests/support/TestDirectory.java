package org.obkm.itests.support;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An open-banking directory for the registration tests (issue 13): its CA issues the TPPs' transport
 * certificates ({@code CN=<software_id>, OU=itorg1}) and the certificate of a local {@link JwksServer}
 * serving its signing key ({@code /directory.jwks}, ES256) and one TPP key ({@code /tpp.jwks}, PS256); it
 * signs SSAs for software with the AISP and PISP roles and redirect URIs {@code https://tpp.example/cb},
 * {@code /cb2}. {@link #request} is a tls_client_auth registration request of UK OB DCR 3.3.
 */
public final class TestDirectory implements AutoCloseable {

    public static final String ISSUER = "OBKM IT Directory";
    public static final String ORG_ID = "itorg1";
    public static final String REDIRECT_URI = "https://tpp.example/cb";

    private final TestCertificates.Issued ca = TestCertificates.ca("CN=IT DCR Directory CA,O=OBKM IT");
    private final ECKey directoryKey;
    private final RSAKey tppKey;
    private final JwksServer server;
    private final String jwksBase;
    private final String bank;

    /**
     * @param port the JWKS server's port on 127.0.0.1
     * @param bank the bank's organisation id, the requests' {@code aud}
     */
    public TestDirectory(int port, String bank) throws IOException, GeneralSecurityException, JOSEException {
        this.bank = bank;
        directoryKey = new ECKeyGenerator(Curve.P_256).keyID("it-dir-1").generate();
        tppKey = new RSAKeyGenerator(2048).keyID("it-tpp-1").generate();
        jwksBase = "https://localhost:" + port;
        server = new JwksServer(port, TestCertificates.server(ca, "localhost"), ca);
        server.put("/directory.jwks", new JWKSet(directoryKey.toPublicJWK()).toString());
        server.put("/tpp.jwks", new JWKSet(tppKey.toPublicJWK()).toString());
    }

    /** The CA certificate as PEM: the node's trustedCaFile (transport certificates) and jwksTrustedCaFile. */
    public String caPem() {
        return X509CertUtils.toPEMString(ca.cert()) + "\n";
    }

    public String jwksBase() {
        return jwksBase;
    }

    /** etc/org.obkm.dcr.cfg of a bank trusting this directory, {@code caFile} holding {@link #caPem}. */
    public Map<String, String> dcrConfig(String caFile) {
        return Map.of("directory.it.issuer", ISSUER, "directory.it.jwksUri", jwksBase + "/directory.jwks",
                "directory.it.audience", bank, "directory.it.environments", "sandbox",
                "allowedJwksHosts", "localhost", "jwksTrustedCaFile", caFile);
    }

    /** The subject of the transport certificate of a software of {@link #ORG_ID}, as OB's directory writes it. */
    public static String dn(String softwareId) {
        return "CN=" + softwareId + ",OU=" + ORG_ID + ",O=OpenBanking,C=GB";
    }

    /** A transport certificate of this directory's CA with this subject. */
    public TestCertificates.Issued transport(String dn) {
        return TestCertificates.client(ca, dn);
    }

    /** A certificate as a load balancer forwards it: URL-encoded PEM (nginx {@code $ssl_client_escaped_cert}). */
    public static String headerValue(TestCertificates.Issued cert) {
        return URLEncoder.encode(X509CertUtils.toPEMString(cert.cert()), StandardCharsets.UTF_8);
    }

    /** An SSA of the software, signed by the directory now. */
    public String ssa(String softwareId, String orgStatus) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(directoryKey.getKeyID()).build(), new JWTClaimsSet.Builder().issuer(ISSUER)
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString()).claim("software_id", softwareId)
                .claim("software_client_name", "IT TPP").claim("software_environment", "sandbox")
                .claim("software_roles", List.of("AISP", "PISP")).claim("software_jwks_endpoint", jwksBase + "/tpp.jwks")
                .claim("software_redirect_uris", List.of(REDIRECT_URI, "https://tpp.example/cb2"))
                .claim("org_id", ORG_ID).claim("org_status", orgStatus).build());
        try {
            jwt.sign(new ECDSASigner(directoryKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A tls_client_auth registration request of the software with subject {@code dn}, valid for 5 minutes. */
    public JWTClaimsSet.Builder request(String softwareId, String dn) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(softwareId).audience(bank).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                .claim("software_id", softwareId).claim("software_statement", ssa(softwareId, "Active"))
                .claim("redirect_uris", List.of(REDIRECT_URI))
                .claim("token_endpoint_auth_method", "tls_client_auth").claim("tls_client_auth_subject_dn", dn)
                .claim("grant_types", List.of("client_credentials", "authorization_code", "refresh_token"))
                .claim("response_types", List.of("code")).claim("scope", "openid accounts payments")
                .claim("application_type", "web").claim("id_token_signed_response_alg", "PS256")
                .claim("request_object_signing_alg", "PS256");
    }

    /** The request signed by the TPP's key of the SSA's software_jwks_endpoint. */
    public String sign(JWTClaimsSet claims, JWSAlgorithm alg) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(tppKey.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(tppKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
