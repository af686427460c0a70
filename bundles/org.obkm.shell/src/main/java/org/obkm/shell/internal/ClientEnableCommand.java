package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;

/** {@code obkm:client-enable}: a disabled client authenticates again on every node when this returns. */
@Service
@Command(scope = "obkm", name = "client-enable", description = "Enables a disabled OAuth client")
public class ClientEnableCommand implements Action {

    @Reference
    ClientService clients;

    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    @Override
    public Object execute() {
        Client c = clients.find(clientId).orElseThrow(() -> new IllegalArgumentException("no client with client_id " + clientId));
        clients.update(clientId, new ClientUpdate(null, null, null, null, null, null, null, null, null, null, null,
                c.software().withDisabled(false)));
        System.out.println("Client " + clientId + " enabled.");
        return null;
    }
}
