package org.obkm.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStoreRegistry;

/**
 * {@code obkm:consent-list}: the authorizations a user gave (one row per consent approved on the consent
 * page), newest first, with their state; for a bank's support desk and for withdrawing one.
 */
@Service
@Command(scope = "obkm", name = "consent-list", description = "Lists the consents (grants) a user gave to clients")
public class ConsentListCommand extends OperatorCommand {

    @Reference
    GrantStore grants;

    @Reference
    UserStoreRegistry users;

    @Argument(index = 0, name = "user", required = true,
            description = "The user's sign-in name (username or DOMAIN/username)")
    String user;

    @Override
    protected Object run() {
        Optional<User> found = users.resolve(user).flatMap(ConsentListCommand::lookup);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no user '" + user + "'");
        }
        List<Grant> list = grants.grantsOf(found.get().subject());
        ShellTable table = new ShellTable();
        table.column("Grant");
        table.column("Client");
        table.column("Scope");
        table.column("Granted");
        table.column("State");
        Instant now = Instant.now();
        for (Grant g : list) {
            String state = g.isRevoked() ? "revoked " + g.revokedAt().truncatedTo(ChronoUnit.SECONDS)
                    : g.expiresAt().isBefore(now) ? "expired" : "active until " + g.expiresAt().truncatedTo(ChronoUnit.SECONDS);
            table.addRow().addContent(g.grantId(), g.clientId(), g.scope(), g.createdAt().truncatedTo(ChronoUnit.SECONDS),
                    state);
        }
        table.print(System.out);
        return null;
    }

    private static Optional<User> lookup(ResolvedName name) {
        return name.as(UserLookup.class).flatMap(l -> l.findByUsername(name.username()));
    }
}
