package org.obkm.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentService;

/** {@code obkm:consent-show}: one open-banking consent, what it asks for, and its history (the audit trail). */
@Service
@Command(scope = "obkm", name = "consent-show", description = "Shows an open-banking consent and its history")
public class ConsentShowCommand extends OperatorCommand {

    @Reference
    ConsentService consents;

    @Argument(index = 0, name = "consent", required = true, description = "The ConsentId")
    String consentId;

    @Override
    protected Object run() {
        Consent c = consents.find(consentId)
                .orElseThrow(() -> new IllegalArgumentException("no consent '" + consentId + "'"));
        System.out.println("Consent:  " + c.id());
        System.out.println("Type:     " + c.type().code());
        System.out.println("Client:   " + c.clientId());
        System.out.println("Status:   " + ConsentRows.state(c, Instant.now()) + " since "
                + c.statusUpdatedAt().truncatedTo(ChronoUnit.SECONDS));
        System.out.println("Created:  " + c.createdAt().truncatedTo(ChronoUnit.SECONDS));
        System.out.println("Expires:  " + (c.expiresAt() == null ? "-" : c.expiresAt().truncatedTo(ChronoUnit.SECONDS)));
        System.out.println("PSU:      " + (c.subject() == null ? "-" : c.subject()));
        System.out.println("Accounts: " + (c.accounts().isEmpty() ? "-" : String.join(", ", c.accounts())));
        System.out.println("Data:     " + c.data());
        if (c.risk() != null) {
            System.out.println("Risk:     " + c.risk());
        }
        ShellTable history = new ShellTable();
        history.column("When");
        history.column("Who");
        history.column("From");
        history.column("To");
        history.column("Why");
        for (ConsentEvent e : consents.history(c.id())) {
            history.addRow().addContent(e.at().truncatedTo(ChronoUnit.MILLIS), e.actor(),
                    e.from() == null ? "-" : e.from().wire(), e.to().wire(), e.reason() == null ? "" : e.reason());
        }
        history.print(System.out);
        return null;
    }
}
