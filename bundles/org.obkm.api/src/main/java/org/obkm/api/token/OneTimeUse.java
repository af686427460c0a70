package org.obkm.api.token;

import java.util.Objects;

/**
 * What one attempt to use a one-time thing (an authorization code, a refresh token) came to, decided by
 * one conditional update of one database row (DESIGN rule 9), so that two nodes, even on both sides of a
 * cluster split, can never both succeed.
 *
 * @param outcome what happened
 * @param grantId the grant the code or token belongs to; null when {@link Outcome#UNKNOWN}
 */
public record OneTimeUse(Outcome outcome, String grantId) {

    /** What a use came to. */
    public enum Outcome {
        /** This call used it; nobody else ever will. */
        USED,
        /** It was used before: a replay. The caller revokes the grant. */
        ALREADY_USED,
        /** It exists but expired, or its grant is revoked; nothing changed. */
        EXPIRED,
        /** No such code or token. */
        UNKNOWN
    }

    public OneTimeUse {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.UNKNOWN) != (grantId == null)) {
            throw new IllegalArgumentException("a grant id goes with every outcome but UNKNOWN");
        }
    }
}
