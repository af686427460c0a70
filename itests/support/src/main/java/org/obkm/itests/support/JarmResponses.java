package org.obkm.itests.support;

import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * What a client checks in a JWT Secured Authorization Response (JARM §4.4, the checks the conformance
 * suite makes: ValidateJARMResponse, ValidateJARMExpRecommendations, ValidateJARMSigningAlg): decrypted
 * with the client's own key when it is a JWE, the signature verified with the server's JWK Set as the
 * client fetched it, {@code iss} the issuer, {@code aud} the client, {@code exp} at least 10 seconds and
 * at most 10 minutes ahead.
 */
public final class JarmResponses {

    private JarmResponses() {
    }

    /**
     * The response's claims, every check passed.
     *
     * @param serverKeys the server's JWK Set, fetched by the test over HTTPS
     * @param clientKey the client's private key to decrypt an encrypted response with, or null
     */
    public static JWTClaimsSet verify(String response, JWKSet serverKeys, String issuer, String clientId,
            JWK clientKey) {
        try {
            String signed = response;
            if (response.split("\\.", -1).length == 5) {
                if (clientKey == null) {
                    throw new AssertionError("an encrypted response, but the client registered no encryption: " + response);
                }
                EncryptedJWT jwe = EncryptedJWT.parse(response);
                jwe.decrypt(clientKey instanceof RSAKey rsa ? new RSADecrypter(rsa) : new ECDHDecrypter((ECKey) clientKey));
                signed = jwe.getPayload().toString();
            } else if (clientKey != null) {
                throw new AssertionError("the client registered encryption, but the response is not encrypted");
            }
            SignedJWT jws = SignedJWT.parse(signed);
            JWK key = serverKeys.getKeyByKeyId(jws.getHeader().getKeyID());
            if (key == null) {
                throw new AssertionError("no key " + jws.getHeader().getKeyID() + " in the server's JWK Set");
            }
            JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
            if (!jws.verify(verifier)) {
                throw new AssertionError("the response's signature does not verify with the server's key " + key.getKeyID());
            }
            JWTClaimsSet c = jws.getJWTClaimsSet();
            check(issuer.equals(c.getIssuer()), "iss " + c.getIssuer());
            check(List.of(clientId).equals(c.getAudience()), "aud " + c.getAudience());
            long left = c.getExpirationTime() == null ? -1 : c.getExpirationTime().getTime() - System.currentTimeMillis();
            check(left >= 10_000 && left <= 600_000, "exp " + left + " ms from now");
            return c;
        } catch (ParseException | JOSEException e) {
            throw new AssertionError("not a valid JARM response: " + response, e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("JARM response: " + what);
        }
    }
}
