package org.obkm.shell.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.osgi.service.cm.ConfigurationAdmin;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.util.JSONObjectUtils;

/** {@code obkm:client-create}: registers a client; its secret is printed once and never again. */
@Service
@Command(scope = "obkm", name = "client-create", description = "Registers an OAuth client")
public class ClientCreateCommand extends JarmOptions {

    @Reference
    ClientService clients;

    @Reference(optional = true)
    ConfigurationAdmin configAdmin;

    @Option(name = "--name", aliases = "-n", required = true, description = "Client name")
    String name;

    @Option(name = "--grant-types", aliases = "-g", multiValued = true,
            description = "Grant types, comma-separated or repeated (default client_credentials)")
    List<String> grantTypes;

    @Option(name = "--scopes", aliases = "-s", multiValued = true, description = "Allowed scopes, comma/space-separated or repeated")
    List<String> scopes;

    @Option(name = "--auth-method", aliases = "-a",
            description = "client_secret_basic (default), client_secret_post, private_key_jwt, tls_client_auth"
                    + " (with --tls-subject-dn) or self_signed_tls_client_auth (with --jwks, --jwks-file or --jwks-uri)")
    @Completion(value = StringsCompleter.class, values = {"client_secret_basic", "client_secret_post",
        "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"})
    String authMethod = "client_secret_basic";

    @Option(name = "--jwks", description = "The client's public JWK Set as JSON (private_key_jwt, self_signed_tls_client_auth)")
    String jwks;

    @Option(name = "--jwks-file", description = "File holding the client's public JWK Set")
    String jwksFile;

    @Option(name = "--jwks-uri", description = "HTTPS URL of the client's JWK Set")
    String jwksUri;

    @Option(name = "--redirect-uri", aliases = "-r", multiValued = true, description = "Redirect URI, repeatable")
    List<String> redirectUris;

    @Option(name = "--tls-subject-dn", description = "Certificate subject DN for tls_client_auth")
    String tlsSubjectDn;

    @Option(name = "--profile", aliases = "-p", description = "Client profile: fapi2-security-profile (the default"
            + " unless defaultProfile in org.obkm.oauth.cfg says otherwise; private_key_jwt or mutual TLS, PAR with"
            + " plain parameters, PKCE, sender-constrained tokens), fapi2-message-signing (also signed request"
            + " objects), fapi1-advanced, none (plain OAuth, e.g. client secrets), or a configured one. The former"
            + " name fapi2 is refused with the new names")
    @Completion(ProfileCompleter.class)
    String profile;

    @Option(name = "--par-required", description = "true or false; default: what the profile asks")
    String parRequired;

    @Option(name = "--sender-constrained", description = "true or false (DPoP- or certificate-bound tokens only);"
            + " default: what the profile asks")
    String senderConstrained;


    @Option(name = "--json", description = "Print JSON (client_id, client_secret and metadata) for scripts")
    boolean json;

    @Override
    protected Object run() throws IOException {
        jwks = ClientOptions.jwks(jwks, jwksFile);
        CreatedClient created = clients.create(new ClientRegistration(name,
                grantTypes == null ? Set.of("client_credentials") : split(grantTypes), ConfiguredScopes.check(configAdmin, split(scopes)),
                TokenEndpointAuthMethod.parse(authMethod), jwks, jwksUri,
                redirectUris == null ? List.of() : new ArrayList<>(redirectUris), tlsSubjectDn, profile,
                ClientOptions.flag("--par-required", parRequired),
                ClientOptions.flag("--sender-constrained", senderConstrained),
                jarm()));
        Map<String, Object> out = ClientJson.metadata(created.client());
        if (created.secret() != null) {
            out.put("client_secret", created.secret());
            out.put("client_secret_expires_at", 0);
        }
        if (json) {
            System.out.println(JSONObjectUtils.toJSONString(out));
        } else {
            System.out.println("Client registered.");
            System.out.println("  client_id:     " + created.client().clientId());
            if (created.secret() != null) {
                System.out.println("  client_secret: " + created.secret() + "   (shown once: store it now)");
            }
            System.out.println("  auth method:   " + created.client().authMethod().value());
            System.out.println("  grant types:   " + String.join(" ", created.client().grantTypes()));
            System.out.println("  scopes:        " + String.join(" ", created.client().scopes()));
            System.out.println("  profile:       " + created.client().policy().profile());
        }
        return null;
    }

    static Set<String> split(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(out::add);
            }
        }
        return out;
    }
}
