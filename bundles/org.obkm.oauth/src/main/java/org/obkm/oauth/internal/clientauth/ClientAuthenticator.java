package org.obkm.oauth.internal.clientauth;

import java.security.cert.X509Certificate;
import java.util.List;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.cluster.SharedState;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.sender.ClientCertificates;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.TLSClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * Authenticates the client of a token, PAR, introspection or revocation request (RFC 6749 §2.3,
 * RFC 8705 §2). Exactly one method, the one the client registered; every failure is
 * {@code invalid_client} without telling which part was wrong beyond what helps an honest client.
 *
 * <p>A client certificate comes with every request whose client has one, whatever method it uses (it
 * also binds tokens, RFC 8705 §3). So a certificate counts as the authentication only where nothing
 * else was sent, and only for a client registered for {@code tls_client_auth} or
 * {@code self_signed_tls_client_auth}.
 */
@Component(service = ClientAuthenticator.class)
public final class ClientAuthenticator {

    private final ClientService clients;
    private final ClientAssertionVerifier assertions;
    private final ClientCertificates certificates;
    private final TlsClientAuthVerifier tls;
    private final ClientProfiles profiles;
    private final CpuGate gate;

    @Activate
    public ClientAuthenticator(@Reference ClientService clients, @Reference ServerSettings settings,
            @Reference SharedState sharedState, @Reference ClientCertificates certificates,
            @Reference ClientProfiles profiles, @Reference CpuGate gate) {
        this.clients = clients;
        this.profiles = profiles;
        this.assertions = new ClientAssertionVerifier(settings, sharedState, gate);
        this.certificates = certificates;
        this.tls = new TlsClientAuthVerifier(certificates);
        this.gate = gate;
    }

    /** The node's CPU gate, whose admission the endpoints take around a whole request. */
    public CpuGate gate() {
        return gate;
    }

    /** Without mutual-TLS settings: connection certificates only, no CA for tls_client_auth. */
    public ClientAuthenticator(ClientService clients, ServerSettings settings, SharedState sharedState,
            ClientProfiles profiles) {
        this(clients, settings, sharedState, ClientCertificates.connectionOnly(), profiles, CpuGate.ungated());
    }

    /** Where the client certificate of a request comes from (the connection or a trusted proxy's header). */
    public ClientCertificates certificates() {
        return certificates;
    }

    /**
     * Returns the authenticated client, with the certificate the request carries, if any.
     *
     * @param endpointUrl absolute URL of the endpoint, an accepted client assertion audience
     */
    public Client authenticate(HTTPRequest request, String endpointUrl) throws OAuthException {
        X509Certificate cert = request.getClientX509Certificate();
        return authenticate(request, cert == null ? List.of() : List.of(cert), endpointUrl);
    }

    /**
     * Returns the authenticated client.
     *
     * @param chain the client certificate chain of the request ({@link ClientCertificates#chain}), its
     *        first certificate also set on the request; empty when there is none
     * @param endpointUrl absolute URL of the endpoint, an accepted client assertion audience
     */
    public Client authenticate(HTTPRequest request, List<X509Certificate> chain, String endpointUrl)
            throws OAuthException {
        List<ClientAuthentication> candidates;
        try {
            candidates = ClientAuthentication.parseCandidates(request);
        } catch (ParseException | RuntimeException e) {
            // Nimbus throws a NullPointerException for an assertion whose header is the JSON null (OAuthParsersFuzzTest)
            throw Errors.invalidClient("malformed client authentication: " + e.getMessage());
        }
        if (candidates == null) {
            candidates = List.of();
        }
        List<ClientAuthentication> sent = candidates.stream().filter(c -> !(c instanceof TLSClientAuthentication))
                .toList();
        if (sent.size() > 1) {
            // RFC 6749 §2.3: the client MUST NOT use more than one method in a request.
            throw Errors.invalidRequest("use exactly one client authentication method");
        }
        ClientAuthentication auth = sent.isEmpty()
                ? candidates.stream().filter(TLSClientAuthentication.class::isInstance).findFirst().orElse(null)
                : sent.get(0);
        if (auth == null) {
            throw Errors.invalidClient("client authentication is required");
        }
        Client client = clients.find(auth.getClientID().getValue())
                .orElseThrow(() -> Errors.invalidClient("unknown client or bad credentials"));
        if (client.disabled()) {
            // An operator disabled it (obkm:client-disable): no endpoint accepts it until it is enabled.
            throw Errors.invalidClient("the client is disabled");
        }
        if (auth instanceof TLSClientAuthentication) {
            if (!client.authMethod().usesClientCertificate()) {
                throw Errors.invalidClient("the client is registered for " + client.authMethod().value()
                        + ", not a client certificate");
            }
            tls.verify(client, chain);
            return allowed(client, client.authMethod());
        }
        if (!client.authMethod().value().equals(auth.getMethod().getValue())) {
            throw Errors.invalidClient("the client is registered for " + client.authMethod().value() + ", not "
                    + auth.getMethod().getValue());
        }
        if (auth instanceof ClientSecretBasic basic) {
            checkSecret(client, basic.getClientSecret().getValue());
        } else if (auth instanceof ClientSecretPost post) {
            checkSecret(client, post.getClientSecret().getValue());
        } else if (auth instanceof PrivateKeyJWT jwt) {
            assertions.verify(client, jwt.getClientAssertion(), endpointUrl,
                    profiles.profileOf(client).settings().assertionAudiences());
        } else {
            throw Errors.invalidClient("unsupported client authentication method " + auth.getMethod());
        }
        return allowed(client, client.authMethod());
    }

    /** The client's profile at the client authentication event: is this method one it may use? */
    private Client allowed(Client client, TokenEndpointAuthMethod used) throws OAuthException {
        profiles.enforce(PolicyContext.authentication(client, used));
        return client;
    }

    private void checkSecret(Client client, String secret) throws OAuthException {
        if (!clients.verifySecret(client, secret)) {
            throw Errors.invalidClient("unknown client or bad credentials");
        }
    }
}
