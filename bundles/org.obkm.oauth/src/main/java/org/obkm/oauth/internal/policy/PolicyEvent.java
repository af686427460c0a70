package org.obkm.oauth.internal.policy;

/**
 * The events at which a client's profile is asked (DESIGN rule 10), as Keycloak's client policies are
 * triggered at client registration, authorization, token and resource requests. A check declares the
 * events it applies to; at each event the profile runs exactly those.
 */
public enum PolicyEvent {
    /** A client is registered or its registration changes (shell, later RFC 7591/7592). */
    REGISTRATION,
    /** A client authenticated at a client-authenticated endpoint (PAR, token, introspection, revocation). */
    CLIENT_AUTHENTICATION,
    /** A pushed authorization request (RFC 9126 §2). */
    PAR,
    /** The authorization endpoint, with the pushed request taken up (RFC 9126 §4). */
    AUTHORIZATION,
    /** The token endpoint, authorization code grant (RFC 6749 §4.1.3), after the code was redeemed. */
    TOKEN_AUTHORIZATION_CODE,
    /** The token endpoint, refresh token grant (RFC 6749 §6). */
    TOKEN_REFRESH_TOKEN,
    /** The token endpoint, client credentials grant (RFC 6749 §4.4). */
    TOKEN_CLIENT_CREDENTIALS,
    /** A resource request with an access token at userinfo (OIDC Core §5.3). */
    USERINFO,
    /** An access token presented for introspection (RFC 7662), judged by its client's profile. */
    INTROSPECTION,
    /** A resource request with an access token at another OBKM resource (the open-banking consent resources). */
    RESOURCE;

    /** The token event of a grant type, or {@code null} for a grant no profile knows. */
    public static PolicyEvent ofGrant(String grantType) {
        return switch (grantType) {
            case "authorization_code" -> TOKEN_AUTHORIZATION_CODE;
            case "refresh_token" -> TOKEN_REFRESH_TOKEN;
            case "client_credentials" -> TOKEN_CLIENT_CREDENTIALS;
            default -> null;
        };
    }

    public boolean isToken() {
        return this == TOKEN_AUTHORIZATION_CODE || this == TOKEN_REFRESH_TOKEN || this == TOKEN_CLIENT_CREDENTIALS;
    }
}
