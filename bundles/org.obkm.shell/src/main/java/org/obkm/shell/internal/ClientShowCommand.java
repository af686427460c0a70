package org.obkm.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;

import com.nimbusds.jose.util.JSONObjectUtils;

/** {@code obkm:client-show}: one client's metadata as JSON (never its secret, which is not stored). */
@Service
@Command(scope = "obkm", name = "client-show", description = "Shows one OAuth client")
public class ClientShowCommand extends OperatorCommand {

    @Reference
    ClientService clients;

    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    @Override
    protected Object run() {
        Client c = clients.find(clientId)
                .orElseThrow(() -> new IllegalArgumentException("no client with client_id " + clientId));
        System.out.println(JSONObjectUtils.toJSONString(ClientJson.metadata(c)));
        return null;
    }
}
