package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.client.TrustedDirectories;

/** {@code obkm:dcr-directories}: the trusted SSA issuers of etc/org.obkm.dcr.cfg and their key fetch state. */
@Service
@Command(scope = "obkm", name = "dcr-directories", description = "Lists the directories whose software statements DCR trusts")
public class DcrDirectoriesCommand extends OperatorCommand {

    @Reference
    TrustedDirectories directories;

    @Override
    protected Object run() {
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Name", "Issuer", "Keys", "Environments", "Max SSA age (s)", "Audience",
            "Keys fetched", "Fetched at", "Last error"}) {
            table.column(c);
        }
        for (TrustedDirectories.Directory d : directories.directories()) {
            table.addRow().addContent(d.name(), d.issuer(), d.keys(),
                    d.environments().isEmpty() ? "(any)" : String.join(" ", d.environments()), d.maxSsaAgeSeconds(),
                    d.audience() == null ? "-" : d.audience(), d.keyCount(), d.fetchedAt() == null ? "-" : d.fetchedAt(),
                    d.lastError() == null ? "-" : d.lastError());
        }
        table.print(System.out);
        return null;
    }
}
