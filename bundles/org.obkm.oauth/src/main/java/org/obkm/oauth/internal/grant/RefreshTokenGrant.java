package org.obkm.oauth.internal.grant;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.OneTimeUse;
import org.obkm.api.token.RefreshToken;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.obkm.oauth.internal.endpoint.FormEndpoint;
import org.obkm.oauth.internal.endpoint.HttpIO;
import org.obkm.oauth.internal.endpoint.TokenServlet;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.policy.PolicyEvent;
import org.obkm.oauth.internal.sender.Confirmation;
import org.obkm.oauth.internal.sender.SenderBinding;
import org.obkm.oauth.internal.token.AuthorizationCodes;
import org.obkm.oauth.internal.token.Randoms;
import org.obkm.oauth.internal.token.UserTokens;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The refresh token grant (RFC 6749 §6), rotating or not as the client's profile says
 * ({@code refresh-rotation}, {@link org.obkm.oauth.internal.policy.ProfileSettings}).
 *
 * <p>With rotation (RFC 9700 §4.14.2) every use hands out a new refresh token and retires the old one in one
 * conditional database update, so of two concurrent uses exactly one wins, even within the same millisecond
 * and on different nodes. Presenting a retired refresh token is taken as theft: the whole grant (every
 * access and refresh token from the same authorization) is revoked.
 *
 * <p>Without rotation (FAPI 2.0 Security Profile §5.3.2.1) the refresh token stays valid until it expires or
 * its grant is revoked, and the response carries no new one (RFC 6749 §6 makes it optional): nothing is
 * written, so there is no one-time decision to make. A token retired by rotation before the client's
 * profile changed is still a replay.
 */
@Component(service = GrantHandler.class, property = GrantHandler.GRANT_TYPE + "=refresh_token")
public final class RefreshTokenGrant implements GrantHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenGrant.class);

    private final GrantStore grants;
    private final SenderBinding binding;
    private final UserTokens tokens;
    private final ClientProfiles profiles;
    private final ServerSettings settings;
    private final ConsentBinding consents;
    private final Clock clock = Clock.systemUTC();

    @Activate
    public RefreshTokenGrant(@Reference GrantStore grants, @Reference SenderBinding binding,
            @Reference UserTokens tokens, @Reference ClientProfiles profiles, @Reference ServerSettings settings,
            @Reference ConsentBinding consents) {
        this.consents = consents;
        this.grants = grants;
        this.binding = binding;
        this.tokens = tokens;
        this.profiles = profiles;
        this.settings = settings;
    }

    /** Without open-banking consents: for tests. */
    public RefreshTokenGrant(GrantStore grants, SenderBinding binding, UserTokens tokens, ClientProfiles profiles,
            ServerSettings settings) {
        this(grants, binding, tokens, profiles, settings, new ConsentBinding(null, Clock.systemUTC()));
    }

    @Override
    public String handle(Client client, HTTPRequest request) throws OAuthException {
        String value = FormEndpoint.required(request, "refresh_token");
        String requestedScope = HttpIO.param(request, "scope");
        Confirmation cnf = binding.of(request, settings.endpoint(TokenServlet.PATH));
        if (!Randoms.isToken(value)) {
            throw AuthorizationCodes.invalidGrant("the refresh token is unknown, expired or revoked");
        }
        String hash = Randoms.hash(value);
        Optional<RefreshToken> stored = grants.findRefreshToken(hash);
        Optional<Grant> grant = stored.flatMap(t -> grants.findGrant(t.grantId()));
        if (grant.isEmpty() || grant.get().isRevoked()) {
            throw AuthorizationCodes.invalidGrant("the refresh token is unknown, expired or revoked");
        }
        Grant g = grant.get();
        if (!g.clientId().equals(client.clientId())) {
            LOG.warn("Client {} presented a refresh token of client {}; refused", client.clientId(), g.clientId());
            throw AuthorizationCodes.invalidGrant("the refresh token was not issued to this client");
        }
        Scope scope = narrowed(g.scope().isBlank() ? new Scope() : Scope.parse(g.scope()), requestedScope);
        Map<String, Object> details = details(g);
        // A refresh token of a consent revoked, deleted or expired is dead with it (no rotation is spent on it).
        String consentId = ConsentBinding.intentOf(details).orElse(null);
        Optional<org.obkm.api.consent.Consent> consent = consentId == null ? Optional.empty()
                : consents.active(consentId);
        if (consentId != null && consent.isEmpty()) {
            throw AuthorizationCodes.invalidGrant("the consent " + consentId + " is no longer authorised");
        }
        // the grant keeps the details as requested; each refresh reports them with the consent as it is now
        List<Object> rar = details.get("authorization_details") instanceof String s
                ? ConsentBinding.enrich(s, consent.orElse(null)) : null;
        profiles.enforce(PolicyContext.token(PolicyEvent.TOKEN_REFRESH_TOKEN, client, null, cnf, null));
        Instant now = clock.instant();
        if (!profiles.profileOf(client).settings().refreshRotation()) {
            RefreshToken current = stored.get();
            if (current.usedAt() != null) {
                replayed(g, client, now);
            }
            if (!now.isBefore(current.expiresAt()) || !now.isBefore(g.expiresAt())) {
                throw AuthorizationCodes.invalidGrant("the refresh token is unknown, expired or revoked");
            }
            return tokens.respond(client, g.subject(), scope, cnf, g.grantId(), null, authentication(g, details, rar));
        }
        String next = Randoms.token();
        OneTimeUse use = grants.rotateRefreshToken(hash, new RefreshToken(Randoms.hash(next), g.grantId(), now,
                g.expiresAt(), null), now);
        switch (use.outcome()) {
            case USED -> {
                // rotated: go on
            }
            case ALREADY_USED -> replayed(g, client, now);
            default -> throw AuthorizationCodes.invalidGrant("the refresh token is unknown, expired or revoked");
        }
        return tokens.respond(client, g.subject(), scope, cnf, g.grantId(), next, authentication(g, details, rar));
    }

    private void replayed(Grant g, Client client, Instant now) throws OAuthException {
        boolean revoked = grants.revokeGrant(g.grantId(), now);
        LOG.warn("Rotated-out refresh token of grant {} replayed (client {}); grant {}", g.grantId(),
                client.clientId(), revoked ? "revoked with every token issued from it" : "already revoked");
        throw AuthorizationCodes.invalidGrant("the refresh token was already used; the grant is revoked");
    }

    private static UserTokens.Authentication authentication(Grant g, Map<String, Object> details, List<Object> rar) {
        Object authTime = details.get("auth_time");
        return new UserTokens.Authentication(authTime instanceof Number n ? n.longValue() : g.createdAt().getEpochSecond(),
                string(details, "acr"), null, ConsentBinding.intentOf(details).orElse(null), rar);
    }

    /** RFC 6749 §6: a requested scope must lie within the granted one; none means all of it. */
    private static Scope narrowed(Scope granted, String requested) throws OAuthException {
        if (requested == null) {
            return granted.isEmpty() ? null : granted;
        }
        Scope asked = Scope.parse(requested);
        if (asked == null || asked.isEmpty() || !granted.containsAll(asked)) {
            throw Errors.invalidScope("the requested scope exceeds what was granted");
        }
        return asked;
    }

    private static Map<String, Object> details(Grant g) {
        try {
            return JSONObjectUtils.parse(g.details());
        } catch (ParseException e) {
            return Map.of();
        }
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof String s ? s : null;
    }
}
