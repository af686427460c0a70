package org.obkm.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;

import com.nimbusds.jose.util.JSONObjectUtils;

/** {@code obkm:client-list}: the registered clients. */
@Service
@Command(scope = "obkm", name = "client-list", description = "Lists the registered OAuth clients")
public class ClientListCommand extends OperatorCommand {

    @Reference
    ClientService clients;

    @Option(name = "--json", description = "Print a JSON array")
    boolean json;

    @Override
    protected Object run() {
        List<Client> all = clients.list();
        if (json) {
            System.out.println(JSONObjectUtils.toJSONString(
                    java.util.Map.of("clients", all.stream().map(ClientJson::metadata).toList())));
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Client ID");
        table.column("Name");
        table.column("Profile");
        table.column("Auth method");
        table.column("Grant types");
        table.column("Scopes");
        table.column("Software (org, roles)");
        for (Client c : all) {
            String profile = c.policy().assigned() ? c.policy().profile() : "(default)";
            String software = c.software().hasSoftwareStatement() ? c.software().softwareId() + " ("
                    + c.software().organisationId() + ", " + String.join(" ", c.software().softwareRoles()) + ")" : "-";
            table.addRow().addContent(c.clientId(), c.disabled() ? c.name() + " [disabled]" : c.name(), profile,
                    c.authMethod().value(), String.join(" ", c.grantTypes()), String.join(" ", c.scopes()), software);
        }
        table.print(System.out);
        return null;
    }
}
