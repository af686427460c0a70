package org.obkm.oauth.internal.token;

import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.RevocationStore;
import org.obkm.oauth.internal.consent.ConsentBinding;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Whether an access token is active, and revoking one. Active: issued by us, not expired, not
 * revoked. The revocation check reads the shared database, so a revocation holds on every node the
 * moment its row commits.
 */
@Component(service = TokenState.class)
public final class TokenState {

    private static final Logger LOG = LoggerFactory.getLogger(TokenState.class);

    private final AccessTokenVerifier verifier;
    private final RevocationStore revocations;
    private final GrantStore grants;
    /** A deleted or disabled client's tokens are all inactive (the node cache, invalidated on every member). */
    private final org.obkm.api.client.ClientService clients;
    private final ConsentBinding consents;

    @Activate
    public TokenState(@Reference AccessTokenVerifier verifier, @Reference RevocationStore revocations,
            @Reference GrantStore grants, @Reference org.obkm.api.client.ClientService clients,
            @Reference ConsentBinding consents) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.grants = grants;
        this.clients = clients;
        this.consents = consents;
    }

    /** Without open-banking consents (a token bound to one is never active): for tests. */
    public TokenState(AccessTokenVerifier verifier, RevocationStore revocations, GrantStore grants,
            org.obkm.api.client.ClientService clients) {
        this(verifier, revocations, grants, clients, new ConsentBinding(null, java.time.Clock.systemUTC()));
    }

    private boolean clientActive(String clientId) {
        return clientId != null && clients.find(clientId).filter(c -> !c.disabled()).isPresent();
    }

    /**
     * The claims of an active token; empty for anything else. A token from a user's grant is inactive
     * once the grant is revoked (a reused code, a replayed refresh token, a withdrawn consent), and every
     * token of a client once it is deleted (RFC 7592 §2.3, UK OB DCR 3.3 §DELETE) or disabled: the client
     * lookup is the node cache, invalidated on every member before the delete returns. A token bound to an
     * open-banking consent ({@link ConsentBinding#CLAIM}) is active only while the consent is: a consent
     * revoked, deleted or expired ends every token of it on every node ({@link ConsentBinding#active}).
     */
    public Optional<JWTClaimsSet> active(String token) {
        return verifier.recognise(token)
                .filter(c -> !AccessTokenVerifier.expired(c) && !revocations.isRevoked(c.getJWTID()))
                .filter(c -> clientActive(c.getClaim("client_id") instanceof String id ? id : null))
                .filter(c -> !(c.getClaim(AccessTokenIssuer.GRANT_ID) instanceof String g) || !grants.isGrantRevoked(g))
                .filter(c -> c.getClaim(ConsentBinding.CLAIM) == null
                        || c.getClaim(ConsentBinding.CLAIM) instanceof String id && consents.active(id).isPresent());
    }

    /**
     * Revokes a live token of this client (RFC 7009 §2.1); tokens of other clients, expired and
     * unknown ones are left alone without telling the caller which it was.
     */
    public void revoke(Client client, String token) {
        if (Randoms.isToken(token)) {
            // A refresh token (RFC 7009 §2.1): revoking it revokes its grant and every token of it.
            grants.findRefreshToken(Randoms.hash(token)).flatMap(t -> grants.findGrant(t.grantId()))
                    .filter(g -> g.clientId().equals(client.clientId()))
                    .ifPresent(g -> {
                        grants.revokeGrant(g.grantId(), java.time.Instant.now());
                        LOG.info("Client {} revoked a refresh token; grant {} revoked", client.clientId(), g.grantId());
                    });
            return;
        }
        verifier.recognise(token)
                .filter(c -> !AccessTokenVerifier.expired(c) && client.clientId().equals(c.getClaim("client_id")))
                .ifPresent(c -> {
                    revocations.revoke(c.getJWTID(), client.clientId(), c.getExpirationTime().toInstant());
                    LOG.info("Client {} revoked token {}", client.clientId(), c.getJWTID());
                });
    }
}
