package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;

/**
 * What {@code obkm:client-disable} and {@code obkm:client-enable} share: one update of the client's disabled
 * flag, seen by every node when it returns. A disabled client authenticates at no endpoint and its tokens are
 * inactive; enabled again, its unexpired and unrevoked tokens count again.
 */
abstract class ClientEnablement extends OperatorCommand {

    @Reference
    ClientService clients;

    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    abstract boolean disable();

    @Override
    protected Object run() {
        Client c = clients.find(clientId).orElseThrow(() -> new IllegalArgumentException("no client with client_id " + clientId));
        clients.update(clientId, new ClientUpdate(null, null, null, null, null, null, null, null, null, null, null,
                c.software().withDisabled(disable())));
        System.out.println("Client " + clientId + (disable() ? " disabled." : " enabled."));
        return null;
    }
}
