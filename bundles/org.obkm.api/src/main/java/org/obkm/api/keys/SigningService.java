package org.obkm.api.keys;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Signs with the server's current key of an algorithm, inside the keys bundle: callers hand in claims
 * or a payload and get a JWS back, never a key (DESIGN rule 11; the model is Spring Security's
 * {@code JwtEncoder}). The keys bundle picks the key by algorithm and rotation state, and writes the
 * {@code alg} and {@code kid} header parameters (RFC 7515 §4.1.1, §4.1.4) so that verifiers find the
 * key in the published JWK Set ({@link KeyService#publicJwkSet()}).
 *
 * <p>Uses: ID tokens (OpenID Connect Core §2), access tokens (RFC 9068, {@code typ at+jwt}), JARM
 * responses, signed introspection responses (RFC 9701, {@code typ token-introspection+jwt}) and the
 * detached {@code x-jws-signature} of UK Open Banking (RFC 7515 Appendix F with RFC 7797
 * {@code b64=false}).
 */
@ProviderType
public interface SigningService {

    /**
     * A signed JWT (RFC 7519 §7.1) in compact serialization, with header {@code alg}, {@code kid} of
     * the current key and {@code typ}.
     *
     * @param type the {@code typ} header (RFC 8725 §3.11), e.g. {@code JWT} or {@code at+jwt}; may be null
     * @throws IllegalArgumentException when there is no key for the algorithm (see {@link #algorithms()})
     */
    String signJwt(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims);

    /**
     * A JWS over any payload in compact serialization (RFC 7515 §7.1). The header's algorithm selects the
     * key; its other parameters ({@code typ}, {@code cty}, {@code crit}, custom parameters) are kept, and
     * the keys bundle adds {@code kid}.
     *
     * @param header the header without key parameters: {@code kid}, {@code jwk}, {@code jku}, {@code x5u},
     *               {@code x5c}, {@code x5t} and {@code x5t#S256} are refused, since only the keys bundle
     *               knows the key; an unencoded payload ({@code b64=false}) is refused here, use
     *               {@link #signDetached}
     * @throws IllegalArgumentException for such a header or an algorithm without a key
     */
    String sign(JWSHeader header, Payload payload);

    /**
     * A JWS with detached content (RFC 7515 Appendix F): {@code header..signature}, the form of UK Open
     * Banking's {@code x-jws-signature} HTTP header. With {@code b64=false} in the header (RFC 7797 §3)
     * the payload is signed as it is sent, and {@code b64} is added to {@code crit} when missing
     * (RFC 7797 §6). Header rules as for {@link #sign}.
     *
     * @throws IllegalArgumentException for a header with key parameters or an algorithm without a key
     */
    String signDetached(JWSHeader header, Payload payload);

    /** The algorithms there is a current key for (PS256 with RSA-2048, ES256 with P-256). */
    Set<JWSAlgorithm> algorithms();
}
