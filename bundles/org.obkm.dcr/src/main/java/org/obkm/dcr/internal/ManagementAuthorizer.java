package org.obkm.dcr.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.keys.KeyService;
import org.obkm.api.token.RevocationStore;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Who may read, change or delete a registration ({@code /register/{ClientId}}): the client itself, with a
 * client_credentials access token of this server issued to that very client and bound to the certificate
 * on the connection (UK OB DCR 3.3 §GET, PUT and DELETE; RFC 8705 §3 {@code cnf x5t#S256}), or with its
 * RFC 7592 registration access token (compared by hash in constant time). An unknown or deleted client
 * answers 401 and the presented access token is revoked (DCR 3.3 "immediately revokes the access token").
 */
final class ManagementAuthorizer {

    private static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final KeyService keys;
    private final RevocationStore revocations;

    ManagementAuthorizer(KeyService keys, RevocationStore revocations) {
        this.keys = keys;
        this.revocations = revocations;
    }

    /**
     * @param client the client of the path, or empty when there is none
     * @return the client, when the token is one of the two kinds above
     */
    Client authorize(String clientId, Optional<Client> client, String bearer, X509Certificate[] chain) {
        if (bearer == null || bearer.isEmpty() || bearer.length() > 8192) {
            throw DcrException.unauthorized("a Bearer token is required");
        }
        Optional<JWTClaimsSet> accessToken = accessToken(bearer);
        if (client.isEmpty()) {
            accessToken.ifPresent(c -> revocations.revoke(c.getJWTID(), String.valueOf(c.getClaim("client_id")),
                    c.getExpirationTime().toInstant()));
            throw DcrException.unauthorized("no such client");
        }
        Client c = client.get();
        String hash = c.software().registrationTokenHash();
        if (hash != null && MessageDigest.isEqual(hash.getBytes(StandardCharsets.US_ASCII),
                Registrations.hash(bearer).getBytes(StandardCharsets.US_ASCII))) {
            return c;
        }
        JWTClaimsSet at = accessToken.orElseThrow(() -> DcrException.unauthorized("the token is not valid"));
        if (!clientId.equals(at.getClaim("client_id"))) {
            throw DcrException.unauthorized("the token was not issued to this client");
        }
        if (chain == null || chain.length == 0 || !thumbprint(chain[0]).equals(certificateThumbprint(at))) {
            throw DcrException.unauthorized("the token must be bound to the certificate on this connection");
        }
        return c;
    }

    /** One of this server's access tokens (RFC 9068), unexpired and not revoked; empty otherwise. */
    private Optional<JWTClaimsSet> accessToken(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!AT_JWT.equals(jwt.getHeader().getType()) || jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            Optional<JWK> key = keys.verificationKey(jwt.getHeader().getKeyID());
            if (key.isEmpty() || !(key.get() instanceof AsymmetricJWK pub)
                    || !jwt.getHeader().getAlgorithm().equals(key.get().getAlgorithm())
                    || !jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), pub.toPublicKey()))) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (c.getJWTID() == null || c.getExpirationTime() == null
                    || c.getExpirationTime().toInstant().isBefore(Instant.now()) || revocations.isRevoked(c.getJWTID())) {
                return Optional.empty();
            }
            return Optional.of(c);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String certificateThumbprint(JWTClaimsSet c) {
        return c.getClaim("cnf") instanceof Map<?, ?> cnf && cnf.get("x5t#S256") instanceof String t ? t : "-";
    }

    static String thumbprint(X509Certificate cert) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return "";
        }
    }
}
