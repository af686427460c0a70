package org.obkm.shell.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.consent.Consent;

/** Open-banking consents as shell table rows. */
final class ConsentRows {

    private ConsentRows() {
    }

    static ShellTable table(List<Consent> consents, Instant now) {
        ShellTable table = new ShellTable();
        table.column("Consent");
        table.column("Type");
        table.column("Client");
        table.column("Status");
        table.column("Created");
        table.column("Expires");
        for (Consent c : consents) {
            table.addRow().addContent(c.id(), c.type().code(), c.clientId(), state(c, now),
                    c.createdAt().truncatedTo(ChronoUnit.SECONDS),
                    c.expiresAt() == null ? "-" : c.expiresAt().truncatedTo(ChronoUnit.SECONDS));
        }
        return table;
    }

    /** The status, with what the status alone does not say: deleted by the TPP, expired. */
    static String state(Consent c, Instant now) {
        return c.status().wire() + (c.isDeleted() ? " (deleted)" : "") + (c.isExpired(now) ? " (expired)" : "");
    }
}
