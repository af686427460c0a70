package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.client.ClientService;

/** {@code obkm:client-delete}: removes a client; every node refuses it when this returns. */
@Service
@Command(scope = "obkm", name = "client-delete", description = "Deletes an OAuth client")
public class ClientDeleteCommand extends OperatorCommand {

    @Reference
    ClientService clients;

    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    @Override
    protected Object run() {
        if (!clients.delete(clientId)) {
            throw new IllegalArgumentException("no client with client_id " + clientId);
        }
        System.out.println("Client " + clientId + " deleted.");
        return null;
    }
}
