package org.obkm.oauth.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of {@code org.obkm.oauth}: issuer, token lifetimes, client authentication policy, client profiles. */
@ObjectClassDefinition(name = "OBKM OAuth", description = "Issuer, tokens and client authentication")
public @interface OAuthConfig {

    @AttributeDefinition(description = "Issuer identifier (RFC 8414 §2). In a cluster: the load balancer's URL")
    public String issuer() default "https://localhost:9446/oauth2/token";

    @AttributeDefinition(description = "Public base URL of the endpoints; empty: the issuer's scheme, host and port")
    public String baseUrl() default "";

    @AttributeDefinition(description = "Access token lifetime, seconds")
    public int accessTokenLifetimeSeconds() default 3600;

    @AttributeDefinition(description = "Access token signing algorithm: PS256 or ES256")
    public String accessTokenSigningAlgorithm() default "PS256";

    @AttributeDefinition(description = "Access token audience (aud); empty: the issuer")
    public String accessTokenAudience() default "";

    @AttributeDefinition(description = "JWS algorithms accepted for private_key_jwt client assertions")
    public String[] clientAssertionAlgorithms() default {"PS256", "ES256"};

    @AttributeDefinition(description = "Longest accepted client assertion lifetime (exp - now, exp - iat), seconds")
    public int clientAssertionMaxLifetimeSeconds() default 300;

    @AttributeDefinition(description = "Tolerated clock skew, seconds")
    public int clockSkewSeconds() default 10;

    @AttributeDefinition(description = "Largest accepted request body, bytes")
    public int maxRequestBytes() default 65536;

    @AttributeDefinition(description = "Authorization code lifetime, seconds (at most 60)")
    public int authorizationCodeLifetimeSeconds() default 60;

    @AttributeDefinition(description = "How long a sign-in and consent may take, from the authorization request, seconds")
    public int loginFlowLifetimeSeconds() default 600;

    @AttributeDefinition(description = "Wrong passwords tolerated within one authorization before it ends with access_denied")
    public int maxSignInAttemptsPerFlow() default 5;

    @AttributeDefinition(description = "Refresh token lifetime, and of the grant they refresh, seconds (90 days)")
    public int refreshTokenLifetimeSeconds() default 7776000;

    @AttributeDefinition(description = "ID token lifetime, seconds")
    public int idTokenLifetimeSeconds() default 300;

    @AttributeDefinition(description = "ID token signing algorithm: PS256 or ES256")
    public String idTokenSigningAlgorithm() default "PS256";

    @AttributeDefinition(description = "Signing algorithm of JWT introspection responses (RFC 9701), asked for"
            + " with Accept: application/token-introspection+jwt: PS256 or ES256")
    public String introspectionSigningAlgorithm() default "PS256";

    @AttributeDefinition(description = "Authentication context class reference (acr) of a password sign-in")
    public String acr() default "urn:openbanking:psd2:sca";

    @AttributeDefinition(description = "RFC 9396 authorization_details types accepted at PAR and advertised as"
            + " authorization_details_types_supported, comma-separated; empty: none (authorization_details refused)")
    public String authorizationDetailsTypes() default "account_information,payment_initiation,funds_confirmation";

    @AttributeDefinition(description = "Client profile (named list of checks, asked at every event) a client"
            + " is registered with when its registration names none: fapi2-security-profile, fapi2-message-signing,"
            + " fapi1-advanced, none, or one defined as profile.<name> = check,check,... Each client record stores"
            + " its own (obkm:client-update --profile)")
    public String defaultProfile() default "fapi2-security-profile";
}
