package org.obkm.oauth.internal.token;

import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.RevocationStore;
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

    @Activate
    public TokenState(@Reference AccessTokenVerifier verifier, @Reference RevocationStore revocations,
            @Reference GrantStore grants, @Reference org.obkm.api.client.ClientService clients) {
        this.verifier = verifier;
        this.revocations = revocations;
        this.grants = grants;
        this.clients = clients;
    }

    private boolean clientActive(String clientId) {
        return clientId != null && clients.find(clientId).filter(c -> !c.disabled()).isPresent();
    }

    /**
     * The claims of an active token; empty for anything else. A token from a user's grant is inactive
     * once the grant is revoked (a reused code, a replayed refresh token, a withdrawn consent), and every
     * token of a client once it is deleted (RFC 7592 §2.3, UK OB DCR 3.3 §DELETE) or disabled: the client
     * lookup is the node cache, invalidated on every member before the delete returns.
     */
    public Optional<JWTClaimsSet> active(String token) {
        return verifier.recognise(token)
                .filter(c -> !AccessTokenVerifier.expired(c) && !revocations.isRevoked(c.getJWTID()))
                .filter(c -> clientActive(c.getClaim("client_id") instanceof String id ? id : null))
                .filter(c -> !(c.getClaim(AccessTokenIssuer.GRANT_ID) instanceof String g) || !grants.isGrantRevoked(g));
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
