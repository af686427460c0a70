package org.obkm.shell.internal;

import java.time.Instant;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.token.GrantStore;

/**
 * {@code obkm:consent-revoke}: withdraws a consent. A grant (as {@code consent-list USER} shows it): its
 * refresh tokens stop working and its access tokens turn inactive at introspection on every node at
 * once. An open-banking consent: Authorised becomes Revoked, AwaitingAuthorisation becomes Rejected; an
 * authorised payment consent cannot be revoked (PSD2 Art. 80), a terminal one never moves.
 */
@Service
@Command(scope = "obkm", name = "consent-revoke",
        description = "Withdraws a grant, or revokes an open-banking consent (its history records the operator)")
public class ConsentRevokeCommand extends OperatorCommand {

    @Reference
    GrantStore grants;

    @Reference(optional = true)
    ConsentService consents;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "id", required = true,
            description = "The grant id (consent-list USER) or the ConsentId (consent-list)")
    String id;

    @Override
    protected Object run() {
        if (grants.findGrant(id).isPresent()) {
            System.out.println(grants.revokeGrant(id, Instant.now()) ? "Grant " + id + " revoked."
                    : "Grant " + id + " was already revoked.");
            return null;
        }
        Optional<Consent> found = consents == null ? Optional.empty() : consents.find(id);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no grant or consent '" + id + "'");
        }
        Consent c = found.get();
        ConsentStatus to = c.status() == ConsentStatus.AWAITING_AUTHORISATION ? ConsentStatus.REJECTED
                : ConsentStatus.REVOKED;
        try {
            Consent after = consents.transition(c.id(), c.status(), to, "operator:" + operator(),
                    "revoked by an operator");
            System.out.println("Consent " + id + " is " + after.status().wire() + ".");
        } catch (ConsentStateException e) {
            throw new IllegalStateException("consent " + id + " not revoked: " + e.getMessage());
        }
        return null;
    }

    private String operator() {
        Object user = session == null ? null : session.get("USER");
        return user == null ? "karaf" : user.toString();
    }
}
