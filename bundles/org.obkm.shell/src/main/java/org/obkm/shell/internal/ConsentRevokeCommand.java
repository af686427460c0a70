package org.obkm.shell.internal;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.token.GrantStore;

/**
 * {@code obkm:consent-revoke}: withdraws a consent. Its refresh tokens stop working and its access tokens
 * turn inactive at introspection on every node at once (the grant's row decides).
 */
@Service
@Command(scope = "obkm", name = "consent-revoke", description = "Withdraws a consent: every token issued under it stops working")
public class ConsentRevokeCommand extends OperatorCommand {

    @Reference
    GrantStore grants;

    @Argument(index = 0, name = "grant", required = true, description = "The grant id, as consent-list shows it")
    String grantId;

    @Override
    protected Object run() {
        if (grants.findGrant(grantId).isEmpty()) {
            throw new IllegalArgumentException("no grant '" + grantId + "'");
        }
        System.out.println(grants.revokeGrant(grantId, Instant.now()) ? "Grant " + grantId + " revoked."
                : "Grant " + grantId + " was already revoked.");
        return null;
    }
}
