package org.obkm.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.token.Grant;
import org.obkm.api.token.GrantStore;
import org.obkm.api.user.ResolvedName;
import org.obkm.api.user.User;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserStoreRegistry;

/**
 * {@code obkm:consent-list}: without a user, the open-banking consents (UK account-access,
 * domestic-payment, funds-confirmation resources), newest first, by client and status; with a user,
 * the authorizations that user gave (one row per grant approved on the consent page).
 */
@Service
@Command(scope = "obkm", name = "consent-list",
        description = "Lists open-banking consents (by --client, --status), or the grants a user gave")
public class ConsentListCommand extends OperatorCommand {

    @Reference
    GrantStore grants;

    @Reference
    UserStoreRegistry users;

    @Reference(optional = true)
    ConsentService consents;

    @Option(name = "--client", description = "Only the consents of this client")
    @Completion(ClientIdCompleter.class)
    String client;

    @Option(name = "--status", description = "Only consents in this status: AwaitingAuthorisation, Authorised,"
            + " Rejected, Revoked, Consumed")
    String status;

    @Option(name = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Argument(index = 0, name = "user", required = false,
            description = "A user's sign-in name (username or DOMAIN/username): list the grants that user gave")
    String user;

    @Override
    protected Object run() {
        if (user != null) {
            grants();
        } else {
            openBanking();
        }
        return null;
    }

    private void openBanking() {
        if (consents == null) {
            throw new IllegalStateException("the consent service is not running (feature obkm-consent)");
        }
        ConsentStatus wanted = status == null ? null : ConsentStatus.ofWire(status).orElseThrow(
                () -> new IllegalArgumentException("unknown status '" + status + "'; one of AwaitingAuthorisation,"
                        + " Authorised, Rejected, Revoked, Consumed"));
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        List<Consent> list = consents.list(new ConsentQuery(client, wanted, limit));
        ConsentRows.table(list, Instant.now()).print(System.out);
    }

    private void grants() {
        Optional<User> found = users.resolve(user).flatMap(ConsentListCommand::lookup);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no user '" + user + "'");
        }
        List<Grant> list = grants.grantsOf(found.get().subject());
        org.apache.karaf.shell.support.table.ShellTable table = new org.apache.karaf.shell.support.table.ShellTable();
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
    }

    private static Optional<User> lookup(ResolvedName name) {
        return name.as(UserLookup.class).flatMap(l -> l.findByUsername(name.username()));
    }
}
