package org.obkm.oauth.internal.token;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.obkm.api.client.Client;
import org.obkm.api.keys.SigningService;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.obkm.oauth.internal.sender.Confirmation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.Scope;

/**
 * Issues access tokens as signed JWTs (RFC 9068 profile: {@code typ at+jwt}) with the current key.
 * Tokens are self-contained: no database row is written per token, so issuance runs at the signing
 * limit; revocation and introspection work from the token itself plus the revocation table.
 */
@Component(service = AccessTokenIssuer.class)
public final class AccessTokenIssuer {

    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** Private claim naming the grant a token descends from; a revoked grant deactivates the token. */
    public static final String GRANT_ID = "grant_id";

    /** An issued token and what the token response reports of it. */
    public record Issued(String value, String jti, Instant issuedAt, Instant expiresAt, Scope scope) {
    }

    private final SigningService signing;
    private final ServerSettings settings;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public AccessTokenIssuer(@Reference SigningService signing, @Reference ServerSettings settings) {
        this.signing = signing;
        this.settings = settings;
    }

    public Issued issue(Client client, String subject, Scope scope) {
        return issue(client, subject, scope, Confirmation.NONE, null);
    }

    /**
     * Issues a token bound to {@code cnf} (none, a certificate or a DPoP key), descending from an
     * authorization grant ({@code grant_id} claim, checked by introspection) or from none (null).
     */
    public Issued issue(Client client, String subject, Scope scope, Confirmation cnf, String grantId) {
        return issue(client, subject, scope, cnf, grantId, null);
    }

    /**
     * As {@link #issue(Client, String, Scope, Confirmation, String)}, bound to an open-banking consent
     * ({@code openbanking_intent_id} claim; introspection honours the token only while the consent is active).
     *
     * @param consentId the ConsentId, or null
     */
    public Issued issue(Client client, String subject, Scope scope, Confirmation cnf, String grantId,
            String consentId) {
        return issue(client, subject, scope, cnf, grantId, consentId, null);
    }

    /**
     * As above, carrying RFC 9396 authorization details as granted (§9.1: the JWT access token's
     * {@code authorization_details} claim, which introspection returns, §9.2).
     *
     * @param authorizationDetails the details, or null
     */
    public Issued issue(Client client, String subject, Scope scope, Confirmation cnf, String grantId,
            String consentId, java.util.List<Object> authorizationDetails) {
        Instant now = Instant.now();
        Instant exp = now.plusSeconds(settings.accessTokenLifetimeSeconds());
        String jti = newId();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(settings.accessTokenAudience())
                .claim("client_id", client.clientId())
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(exp));
        if (scope != null && !scope.isEmpty()) {
            claims.claim("scope", scope.toString());
        }
        if (!cnf.isNone()) {
            claims.claim("cnf", cnf.toClaim());
        }
        if (grantId != null) {
            claims.claim(GRANT_ID, grantId);
        }
        if (consentId != null) {
            claims.claim(ConsentBinding.CLAIM, consentId);
        }
        if (authorizationDetails != null) {
            claims.claim("authorization_details", authorizationDetails);
        }
        String jwt = signing.signJwt(settings.signingAlgorithm(), AT_JWT, claims.build());
        return new Issued(jwt, jti, now, exp, scope);
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
