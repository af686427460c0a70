package org.obkm.api.client;

import java.util.List;

/**
 * How a client's JWT Secured Authorization Responses (JARM, OpenID Foundation final, §5 client metadata)
 * are protected: the JWS algorithm they are signed with and, when the client registered one, the JWE
 * algorithm and content encryption they are encrypted to its key with. Values are JOSE algorithm names
 * (RFC 7518); {@code null} where the client registered nothing.
 *
 * <p>JARM §5 makes RS256 the signing default; FAPI 1 Advanced §8.6 and FAPI 2.0 Security Profile §5.4
 * allow PS256 and ES256 only, and this server signs with those, so the default here is
 * {@value #DEFAULT_SIGNING_ALG}. The content encryption defaults to {@value #DEFAULT_ENCRYPTION_ENC} when
 * only the algorithm is registered (JARM §5).
 *
 * @param signingAlg {@code authorization_signed_response_alg}, or {@code null} for the default
 * @param encryptionAlg {@code authorization_encrypted_response_alg}, or {@code null} for signed only
 * @param encryptionEnc {@code authorization_encrypted_response_enc}, or {@code null} for the default
 */
public record JarmAlgorithms(String signingAlg, String encryptionAlg, String encryptionEnc) {

    /** What a client that registered no JARM metadata gets: signed with the default, not encrypted. */
    public static final JarmAlgorithms DEFAULT = new JarmAlgorithms(null, null, null);
    public static final String DEFAULT_SIGNING_ALG = "PS256";
    public static final String DEFAULT_ENCRYPTION_ENC = "A128CBC-HS256";
    /** The signing algorithms this server offers ({@code authorization_signing_alg_values_supported}). */
    public static final List<String> SIGNING_ALGS = List.of("PS256", "ES256");
    /** Key management to the client's RSA or EC key ({@code authorization_encryption_alg_values_supported}). */
    public static final List<String> ENCRYPTION_ALGS = List.of("RSA-OAEP-256", "ECDH-ES", "ECDH-ES+A128KW",
            "ECDH-ES+A256KW");
    /** Content encryption ({@code authorization_encryption_enc_values_supported}). */
    public static final List<String> ENCRYPTION_ENCS = List.of("A128CBC-HS256", "A256CBC-HS512", "A128GCM",
            "A256GCM");

    /** The algorithm responses are signed with. */
    public String signingAlgOrDefault() {
        return signingAlg == null ? DEFAULT_SIGNING_ALG : signingAlg;
    }

    /** Whether responses are encrypted to the client's key. */
    public boolean encrypted() {
        return encryptionAlg != null;
    }

    /** The content encryption of encrypted responses. */
    public String encryptionEncOrDefault() {
        return encryptionEnc == null ? DEFAULT_ENCRYPTION_ENC : encryptionEnc;
    }
}
