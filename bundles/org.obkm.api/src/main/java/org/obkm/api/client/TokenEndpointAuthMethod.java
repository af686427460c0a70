package org.obkm.api.client;

import java.util.Arrays;

/** Client authentication methods at the token endpoint (RFC 6749 §2.3, OIDC Core §9, RFC 8705 §2). */
public enum TokenEndpointAuthMethod {
    CLIENT_SECRET_BASIC("client_secret_basic", true),
    CLIENT_SECRET_POST("client_secret_post", true),
    PRIVATE_KEY_JWT("private_key_jwt", false),
    /** RFC 8705 §2.1: a certificate from a trusted CA with the registered subject DN. */
    TLS_CLIENT_AUTH("tls_client_auth", false),
    /** RFC 8705 §2.2: a certificate whose public key is one of the client's registered keys. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth", false);

    private final String value;
    private final boolean usesSecret;

    TokenEndpointAuthMethod(String value, boolean usesSecret) {
        this.value = value;
        this.usesSecret = usesSecret;
    }

    /** The registered metadata value, as in RFC 7591 {@code token_endpoint_auth_method}. */
    public String value() {
        return value;
    }

    /** Whether clients using this method are issued a shared secret. */
    public boolean usesSecret() {
        return usesSecret;
    }

    /** Whether the client authenticates with its certificate on the TLS connection (RFC 8705 §2). */
    public boolean usesClientCertificate() {
        return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
    }

    /** Parses a registered value; fails with the list of accepted values. */
    public static TokenEndpointAuthMethod parse(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown token endpoint auth method '" + value
                        + "'; use one of " + Arrays.stream(values()).map(TokenEndpointAuthMethod::value).toList()));
    }
}
