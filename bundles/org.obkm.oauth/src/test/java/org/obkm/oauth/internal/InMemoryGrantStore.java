package org.obkm.oauth.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.token.OneTimeUse;
import org.obkm.api.token.RefreshToken;

/** A {@link GrantStore} in memory for unit tests of the oauth components; synchronized like one row lock. */
public final class InMemoryGrantStore implements GrantStore {

    public final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Map<String, Object[]> codes = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refresh = new ConcurrentHashMap<>();

    @Override
    public void createGrant(Grant grant) {
        grants.put(grant.grantId(), grant);
    }

    @Override
    public Optional<Grant> findGrant(String grantId) {
        return Optional.ofNullable(grants.get(grantId));
    }

    @Override
    public List<Grant> grantsOf(String subject) {
        return new ArrayList<>(grants.values().stream().filter(g -> g.subject().equals(subject)).toList());
    }

    @Override
    public synchronized boolean revokeGrant(String grantId, Instant at) {
        Grant g = grants.get(grantId);
        if (g == null || g.isRevoked()) {
            return false;
        }
        grants.put(grantId, new Grant(g.grantId(), g.clientId(), g.subject(), g.scope(), g.details(), g.createdAt(),
                g.expiresAt(), at));
        return true;
    }

    @Override
    public boolean isGrantRevoked(String grantId) {
        Grant g = grants.get(grantId);
        return g == null || g.isRevoked();
    }

    @Override
    public void addCode(String codeHash, String grantId, Instant expiresAt) {
        codes.put(codeHash, new Object[] {grantId, expiresAt, null});
    }

    @Override
    public synchronized OneTimeUse useCode(String codeHash, Instant now) {
        Object[] c = codes.get(codeHash);
        if (c == null) {
            return new OneTimeUse(OneTimeUse.Outcome.UNKNOWN, null);
        }
        String grantId = (String) c[0];
        if (c[2] != null) {
            return new OneTimeUse(OneTimeUse.Outcome.ALREADY_USED, grantId);
        }
        if (!now.isBefore((Instant) c[1]) || isGrantRevoked(grantId)) {
            return new OneTimeUse(OneTimeUse.Outcome.EXPIRED, grantId);
        }
        c[2] = now;
        return new OneTimeUse(OneTimeUse.Outcome.USED, grantId);
    }

    @Override
    public void addRefreshToken(RefreshToken token) {
        refresh.put(token.tokenHash(), token);
    }

    @Override
    public synchronized OneTimeUse rotateRefreshToken(String oldHash, RefreshToken next, Instant now) {
        RefreshToken t = refresh.get(oldHash);
        if (t == null) {
            return new OneTimeUse(OneTimeUse.Outcome.UNKNOWN, null);
        }
        if (t.usedAt() != null) {
            return new OneTimeUse(OneTimeUse.Outcome.ALREADY_USED, t.grantId());
        }
        if (!now.isBefore(t.expiresAt()) || isGrantRevoked(t.grantId())) {
            return new OneTimeUse(OneTimeUse.Outcome.EXPIRED, t.grantId());
        }
        refresh.put(oldHash, new RefreshToken(t.tokenHash(), t.grantId(), t.issuedAt(), t.expiresAt(), now));
        refresh.put(next.tokenHash(), next);
        return new OneTimeUse(OneTimeUse.Outcome.USED, t.grantId());
    }

    @Override
    public Optional<RefreshToken> findRefreshToken(String tokenHash) {
        return Optional.ofNullable(refresh.get(tokenHash));
    }

    @Override
    public int purgeExpired(Instant now) {
        return 0;
    }
}
