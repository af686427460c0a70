package org.obkm.oauth.internal.endpoint;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
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
 * RFC 6749 error. An unexpected failure is logged and answered {@code server_error}, never a stack trace.
 */
public abstract class FormEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FormEndpoint.class);

    /**
     * Requests past the body read are CPU-bound (signatures). Letting no more of them run than there
     * are cores, first come first served, keeps the latency of each close to its own cost instead of
     * every request sharing the cores with all others: a lower p99 at the same throughput.
     */
    private static final Semaphore CPU = new Semaphore(Integer.getInteger("obkm.http.cpuPermits", 2 * Runtime.getRuntime().availableProcessors()), true);
    private static final long QUEUE_TIMEOUT_MILLIS = 5000;

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
        try {
            HTTPRequest request = HttpIO.readFormPost(req, settings.maxRequestBytes());
            // RFC 8705: the certificate authenticates tls_client_auth clients and binds their tokens.
            List<X509Certificate> chain = authenticator.certificates().chain(req);
            if (!chain.isEmpty()) {
                request.setClientX509Certificate(chain.get(0));
            }
            if (!CPU.tryAcquire(QUEUE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw Errors.temporarilyUnavailable("the server is overloaded; retry shortly");
            }
            try {
                handle(authenticator.authenticate(request, chain, settings.endpoint(path)), request, resp);
            } finally {
                CPU.release();
            }
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            HttpIO.writeError(resp, OAuth2Error.TEMPORARILY_UNAVAILABLE.setDescription("interrupted"));
        } catch (RuntimeException e) {
            LOG.error("Request to {} failed", path, e);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
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
