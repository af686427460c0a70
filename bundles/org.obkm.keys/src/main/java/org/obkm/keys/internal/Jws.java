package org.obkm.keys.internal;

import java.util.HashSet;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Headers and signatures for {@link KeyServiceImpl}'s signing service, all of it Nimbus JOSE. */
final class Jws {

    /**
     * Header parameters that name or carry a key (RFC 7515 §4.1.2-4.1.8): only this bundle knows which
     * key signs, so a caller's value could only make the header lie.
     */
    private static final Set<String> KEY_PARAMETERS = Set.of("kid", "jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256");
    private static final String B64 = "b64";

    private Jws() {
    }

    static String jwt(SigningKey key, JOSEObjectType type, JWTClaimsSet claims) {
        if (claims == null) {
            throw new IllegalArgumentException("no claims to sign");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(type).build(),
                claims);
        sign(jwt, key);
        return jwt.serialize();
    }

    /**
     * A compact JWS, or with {@code detached} its RFC 7515 Appendix F form. An unencoded payload
     * (RFC 7797) goes only detached: inline, its bytes would sit unencoded in the compact form, which
     * breaks on a '.' (RFC 7797 §5.2).
     */
    static String jws(SigningKey key, JWSHeader template, Payload payload, boolean detached) {
        if (payload == null) {
            throw new IllegalArgumentException("no payload to sign");
        }
        Set<String> named = new HashSet<>(template.getIncludedParams());
        named.retainAll(KEY_PARAMETERS);
        if (!named.isEmpty()) {
            throw new IllegalArgumentException("the keys bundle sets the key of a signature; header must not carry "
                    + named);
        }
        JWSHeader.Builder header = new JWSHeader.Builder(template).keyID(key.kid());
        if (!template.isBase64URLEncodePayload()) {
            if (!detached) {
                throw new IllegalArgumentException("an unencoded payload (b64=false) is signed only detached");
            }
            Set<String> crit = template.getCriticalParams() == null ? new HashSet<>()
                    : new HashSet<>(template.getCriticalParams());
            crit.add(B64); // RFC 7797 §6: b64 MUST be critical
            header.criticalParams(crit);
        }
        JWSObject jws = new JWSObject(header.build(), payload);
        sign(jws, key);
        return jws.serialize(detached);
    }

    private static void sign(JWSObject jws, SigningKey key) {
        try {
            jws.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with key " + key.kid() + " failed", e);
        }
    }
}
