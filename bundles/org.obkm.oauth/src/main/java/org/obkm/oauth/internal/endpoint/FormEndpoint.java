package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.clientauth.ClientAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The shape every client-authenticated form endpoint shares (token, introspection, revocation):
 * read the form POST, authenticate the client, let the endpoint answer, and turn every refusal into an
 * RFC 6749 error. An unexpected failure is answered by {@link Failures}: {@code temporarily_unavailable}
 * when the cluster or the database cannot answer now, else {@code server_error}, never a stack trace.
 */
public abstract class FormEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient ClientAuthenticator authenticator;
    final transient ServerSettings settings;
    private final String path;

    public FormEndpoint(ClientAuthenticator authenticator, ServerSettings settings, String path) {
        this.authenticator = authenticator;
        this.settings = settings;
        this.path = path;
    }

    /** Answers a request of an authenticated client. */
    public abstract void handle(Client client, HTTPRequest request, HttpServletResponse resp)
            throws OAuthException, IOException;

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!HttpIO.allows(req, resp, "POST")) {
            return;
        }
        try {
            HTTPRequest request = HttpIO.readFormPost(req, settings.maxRequestBytes());
            // RFC 8705: the certificate authenticates tls_client_auth clients and binds their tokens.
            List<X509Certificate> chain = authenticator.certificates().chain(req);
            if (!chain.isEmpty()) {
                request.setClientX509Certificate(chain.get(0));
            }
            // Token and PAR requests run whole under an admission of the node's CpuGate (bounded wait,
            // never refused); the signature work inside takes CPU permits of its own.
            try (CpuGate.Admission admission = admitsWholeRequests() ? authenticator.gate().admit() : null) {
                handle(authenticator.authenticate(request, chain, settings.endpoint(path)), request, resp);
            }
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e);
        } catch (RuntimeException e) {
            HttpIO.writeFailure(resp, path, e);
        }
    }

    /**
     * Whether a request runs whole under an admission of the CPU gate: yes where a request signs
     * (token, PAR), no where it only checks a signature and looks up (introspection, revocation), which
     * are cheap enough that bounding them lowered their throughput (BENCHMARKS.md, "CPU gate admission").
     */
    protected boolean admitsWholeRequests() {
        return true;
    }

    /** The single value of a required parameter. */
    public static String required(HTTPRequest request, String name) throws OAuthException {
        String value = HttpIO.param(request, name);
        if (value == null || value.isEmpty()) {
            throw Errors.invalidRequest(name + " is required");
        }
        return value;
    }
}
