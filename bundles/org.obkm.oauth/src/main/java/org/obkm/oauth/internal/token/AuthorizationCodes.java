package org.obkm.oauth.internal.token;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.obkm.api.cluster.ClusterUnavailableException;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.OneTimeUse;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.request.PushedRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization codes: 256 random bits, valid for at most 60 seconds, redeemable once. What a code
 * stands for lives in shared state under the code's hash (the fast path, encrypted by
 * {@link SharedState}); whether it was used is decided by one conditional update of its database row
 * (DESIGN rule 9), so a code cannot be redeemed twice even on both sides of a cluster split. A second
 * redemption revokes the grant and with it every token issued from the code (RFC 6749 §4.1.2,
 * OAuth 2.0 Security BCP §4.5).
 */
@Component(service = AuthorizationCodes.class)
public final class AuthorizationCodes {

    static final String MAP = "code";
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationCodes.class);

    private final SharedState state;
    private final GrantStore grants;
    private final ServerSettings settings;
    private final Clock clock;

    @Activate
    public AuthorizationCodes(@Reference SharedState state, @Reference GrantStore grants,
            @Reference ServerSettings settings) {
        this(state, grants, settings, Clock.systemUTC());
    }

    public AuthorizationCodes(SharedState state, GrantStore grants, ServerSettings settings, Clock clock) {
        this.state = state;
        this.grants = grants;
        this.settings = settings;
        this.clock = clock;
    }

    /** Issues a code for a grant; returns the code value for the redirect. */
    public String issue(String grantId, PushedRequest request, String subject, long authTime, String acr) {
        String code = Randoms.token();
        String hash = Randoms.hash(code);
        Instant expires = clock.instant().plus(settings.codeLifetime());
        IssuedCode issued = new IssuedCode(grantId, request, subject, authTime, acr, expires.toEpochMilli());
        grants.addCode(hash, grantId, expires);
        if (!state.putIfAbsent(MAP, hash, issued.toJson().getBytes(StandardCharsets.UTF_8), settings.codeLifetime())) {
            throw new IllegalStateException("authorization code collision");
        }
        return code;
    }

    /**
     * Redeems a code for this client: it is used up whatever comes next.
     *
     * @throws OAuthException {@code invalid_grant} for an unknown, expired, reused or foreign code
     */
    public IssuedCode redeem(String code, String clientId) throws OAuthException {
        if (!Randoms.isToken(code)) {
            throw invalidGrant("the authorization code is unknown, expired or used");
        }
        String hash = Randoms.hash(code);
        Optional<IssuedCode> issued;
        try {
            issued = state.consume(MAP, hash).flatMap(this::read);
        } catch (ClusterUnavailableException e) {
            throw Errors.temporarilyUnavailable("the node is joining its cluster; retry shortly");
        }
        OneTimeUse use = grants.useCode(hash, clock.instant());
        switch (use.outcome()) {
            case USED -> {
                if (issued.isEmpty()) {
                    // Used in the database but no longer in shared state: the data is lost (should not
                    // happen with a backup); refuse rather than guess.
                    LOG.warn("Authorization code of grant {} had no shared state left; refused", use.grantId());
                    throw invalidGrant("the authorization code is unknown, expired or used");
                }
            }
            case ALREADY_USED -> {
                boolean revoked = grants.revokeGrant(use.grantId(), clock.instant());
                LOG.warn("Authorization code of grant {} presented again (by client {}); grant {}", use.grantId(),
                        clientId, revoked ? "revoked with every token issued from it" : "already revoked");
                throw invalidGrant("the authorization code was already used; tokens issued from it are revoked");
            }
            default -> throw invalidGrant("the authorization code is unknown, expired or used");
        }
        IssuedCode c = issued.get();
        if (!c.request().clientId().equals(clientId)) {
            LOG.warn("Client {} presented an authorization code issued to client {}; the code is void", clientId,
                    c.request().clientId());
            throw invalidGrant("the authorization code was not issued to this client");
        }
        if (clock.millis() >= c.expiresAt()) {
            throw invalidGrant("the authorization code expired");
        }
        return c;
    }

    private Optional<IssuedCode> read(byte[] bytes) {
        try {
            return Optional.of(IssuedCode.parse(new String(bytes, StandardCharsets.UTF_8)));
        } catch (ParseException e) {
            LOG.warn("Unreadable authorization code state dropped: {}", e.getMessage());
            return Optional.empty();
        }
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(com.nimbusds.oauth2.sdk.OAuth2Error.INVALID_GRANT.setDescription(description));
    }
}
