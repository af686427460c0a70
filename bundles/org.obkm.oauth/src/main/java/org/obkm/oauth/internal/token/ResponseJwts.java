package org.obkm.oauth.internal.token;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

import org.obkm.api.client.Client;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.clientauth.ClientKeys;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.jarm.JARMUtils;

/**
 * JWT Secured Authorization Responses (JARM, OpenID Foundation final, §4.1-4.2): the response parameters
 * with {@code iss}, {@code aud} (the client) and a short {@code exp}, signed through {@link SigningService}
 * with the client's {@code authorization_signed_response_alg}, then, when the client registered
 * {@code authorization_encrypted_response_alg}, encrypted to its public key (nested JWT, JARM §4.2:
 * signed, then encrypted, {@code cty JWT}).
 */
@Component(service = ResponseJwts.class)
public final class ResponseJwts {

    /**
     * JARM §4.1 asks for a short life ("recommended ... 10 minutes" at most, which the conformance suite
     * checks, with at least 10 s); a minute covers the browser's redirect and a slow client.
     */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    private final SigningService signing;
    private final ClientKeys keys = new ClientKeys();
    private final Clock clock;

    @Activate
    public ResponseJwts(@Reference SigningService signing) {
        this(signing, Clock.systemUTC());
    }

    public ResponseJwts(SigningService signing, Clock clock) {
        this.signing = signing;
        this.clock = clock;
    }

    /**
     * The response JWT for the client.
     *
     * @throws IllegalStateException when the client's registered keys hold none to encrypt to, or they cannot
     *         be fetched: no response is better than one the client did not ask for
     */
    public JWT of(Client client, String issuer, AuthorizationResponse response) {
        JarmAlgorithms algs = client.jarm();
        var claims = JARMUtils.toJWTClaimsSet(new Issuer(issuer), new ClientID(client.clientId()),
                Date.from(clock.instant().plus(LIFETIME)), response);
        String signed = signing.signJwt(JWSAlgorithm.parse(algs.signingAlgOrDefault()), null, claims);
        try {
            return JWTParser.parse(algs.encrypted() ? encrypt(client, algs, signed) : signed);
        } catch (ParseException e) {
            throw new IllegalStateException("a response JWT of ours did not parse", e);
        }
    }

    private String encrypt(Client client, JarmAlgorithms algs, String signed) {
        JWEAlgorithm alg = JWEAlgorithm.parse(algs.encryptionAlg());
        JWK key = encryptionKey(client, alg);
        JWEHeader header = new JWEHeader.Builder(alg, EncryptionMethod.parse(algs.encryptionEncOrDefault()))
                .contentType("JWT").keyID(key.getKeyID()).build();
        JWEObject jwe = new JWEObject(header, new Payload(signed));
        try {
            JWEEncrypter encrypter = key instanceof RSAKey rsa ? new RSAEncrypter(rsa) : new ECDHEncrypter((ECKey) key);
            jwe.encrypt(encrypter);
        } catch (JOSEException e) {
            throw new IllegalStateException("encrypting the authorization response to client " + client.clientId()
                    + " failed: " + e.getMessage(), e);
        }
        return jwe.serialize();
    }

    /** The client's key for the algorithm: RSA for RSA-OAEP, EC for ECDH-ES; one marked for encryption first. */
    private JWK encryptionKey(Client client, JWEAlgorithm alg) {
        KeyType type = JWEAlgorithm.Family.RSA.contains(alg) ? KeyType.RSA : KeyType.EC;
        JWKMatcher matcher = new JWKMatcher.Builder().keyType(type).keyUses(KeyUse.ENCRYPTION, null)
                .algorithms(alg, null).build();
        List<JWK> found;
        try {
            found = keys.of(client, m -> new OAuthException(OAuth2Error.INVALID_CLIENT.setDescription(m)))
                    .get(new JWKSelector(matcher), null);
        } catch (OAuthException | com.nimbusds.jose.KeySourceException e) {
            throw new IllegalStateException("the keys of client " + client.clientId() + " cannot be read: "
                    + e.getMessage(), e);
        }
        return found.stream().filter(k -> !k.isPrivate())
                .min(Comparator.comparing(k -> k.getKeyUse() == KeyUse.ENCRYPTION ? 0 : 1))
                .orElseThrow(() -> new IllegalStateException("client " + client.clientId() + " registered "
                        + alg + " for its authorization responses but has no " + type + " key to encrypt to"));
    }
}
