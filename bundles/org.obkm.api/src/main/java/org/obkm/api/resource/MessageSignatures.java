package org.obkm.api.resource;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies a TPP's detached JWS over a request body (UK Open Banking Read/Write Data API profile,
 * "Message Signing"; RFC 7515 Appendix F) with the public keys the TPP registered (its client's
 * {@code jwks} or {@code jwks_uri}), found by the header's {@code kid}. The header must carry the
 * {@code http://openbanking.org.uk/iat}, {@code iss} and {@code tan} parameters, all critical and no
 * other critical one; {@code alg} PS256; {@code b64} absent (v3.1.4 and later) or false (before).
 */
@ProviderType
public interface MessageSignatures {

    /** The trust anchor parameters: signing time, signer, trust anchor domain. */
    String IAT = "http://openbanking.org.uk/iat";
    String ISS = "http://openbanking.org.uk/iss";
    String TAN = "http://openbanking.org.uk/tan";

    /**
     * @param clientId the TPP's client (from its access token)
     * @param detachedJws the {@code x-jws-signature} header: {@code header..signature}
     * @param body the request body as received
     * @param trustAnchors the {@code tan} values accepted
     * @throws MessageSignatureException the signature is malformed, lacks or has a wrong parameter, or
     *         does not verify with a key of the client
     */
    void verify(String clientId, String detachedJws, byte[] body, java.util.Set<String> trustAnchors)
            throws MessageSignatureException;
}
