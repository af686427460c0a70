package org.obkm.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.osgi.service.cm.ConfigurationAdmin;
import org.obkm.api.client.ClientUpdate;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * {@code obkm:client-update}: changes a client's metadata or profile; what is not given stays. The result is
 * held to the (new) profile as a registration is, and every node sees it when this returns.
 */
@Service
@Command(scope = "obkm", name = "client-update", description = "Changes an OAuth client's metadata or profile")
public class ClientUpdateCommand extends JarmOptions {

    @Reference
    ClientService clients;

    @Reference(optional = true)
    ConfigurationAdmin configAdmin;

    @Option(name = "--name", aliases = "-n", description = "Client name")
    String name;

    @Option(name = "--grant-types", aliases = "-g", multiValued = true, description = "Grant types (replace the current)")
    List<String> grantTypes;

    @Option(name = "--scopes", aliases = "-s", multiValued = true, description = "Allowed scopes (replace the current)")
    List<String> scopes;

    @Option(name = "--redirect-uri", aliases = "-r", multiValued = true, description = "Redirect URIs (replace the current)")
    List<String> redirectUris;

    @Option(name = "--jwks", description = "The client's public JWK Set as JSON")
    String jwks;

    @Option(name = "--jwks-file", description = "File holding the client's public JWK Set")
    String jwksFile;

    @Option(name = "--jwks-uri", description = "HTTPS URL of the client's JWK Set")
    String jwksUri;

    @Option(name = "--tls-subject-dn", description = "Certificate subject DN for tls_client_auth")
    String tlsSubjectDn;

    @Option(name = "--profile", aliases = "-p", description = "Client profile; its requirements come with it")
    @Completion(ProfileCompleter.class)
    String profile;

    @Option(name = "--par-required", description = "true or false")
    String parRequired;

    @Option(name = "--sender-constrained", description = "true or false")
    String senderConstrained;


    @Argument(index = 0, name = "client_id", required = true, description = "The client ID")
    @Completion(ClientIdCompleter.class)
    String clientId;

    @Override
    protected Object run() throws IOException {
        jwks = ClientOptions.jwks(jwks, jwksFile);
        Client updated = clients.update(clientId, new ClientUpdate(name,
                grantTypes == null ? null : ClientCreateCommand.split(grantTypes),
                scopes == null ? null : ConfiguredScopes.check(configAdmin, ClientCreateCommand.split(scopes)),
                redirectUris == null ? null : new ArrayList<>(redirectUris), jwks, jwksUri, tlsSubjectDn, profile,
                ClientOptions.flag("--par-required", parRequired),
                ClientOptions.flag("--sender-constrained", senderConstrained),
                jarm()))
                .orElseThrow(() -> new IllegalArgumentException("no client with client_id " + clientId));
        System.out.println(JSONObjectUtils.toJSONString(ClientJson.metadata(updated)));
        return null;
    }
}
