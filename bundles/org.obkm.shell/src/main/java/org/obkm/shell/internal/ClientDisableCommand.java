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

/**
 * {@code obkm:client-disable}: a disabled client authenticates at no endpoint and its tokens are inactive on
 * every node when this returns; {@code obkm:client-enable} makes them count again (those not expired or
 * revoked meanwhile).
 */
@Service
@Command(scope = "obkm", name = "client-disable", description = "Disables an OAuth client")
public class ClientDisableCommand implements Action {

    @Reference
    ClientService clients;

    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    @Override
    public Object execute() {
        Client c = clients.find(clientId).orElseThrow(() -> new IllegalArgumentException("no client with client_id " + clientId));
        clients.update(clientId, new ClientUpdate(null, null, null, null, null, null, null, null, null, null, null,
                c.software().withDisabled(true)));
        System.out.println("Client " + clientId + " disabled.");
        return null;
    }
}
