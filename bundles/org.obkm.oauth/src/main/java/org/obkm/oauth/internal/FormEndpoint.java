package org.obkm.oauth.internal;

import java.io.IOException;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.client.Client;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

/**
 * The shape every client-authenticated form endpoint shares (token, introspection, revocation):
 * read the form POST, authenticate the client, let the endpoint answer, and turn every refusal into an
 * RFC 6749 error. An unexpected failure is logged and answered {@code server_error}, never a stack trace.
 */
abstract class FormEndpoint extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FormEndpoint.class);

    private final transient ClientAuthenticator authenticator;
    final transient ServerSettings settings;
    private final String path;

    FormEndpoint(ClientAuthenticator authenticator, ServerSettings settings, String path) {
        this.authenticator = authenticator;
        this.settings = settings;
        this.path = path;
    }

    /** Answers a request of an authenticated client. */
    abstract void handle(Client client, HTTPRequest request, HttpServletResponse resp)
            throws OAuthException, IOException;

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            HTTPRequest request = HttpIO.readFormPost(req, settings.maxRequestBytes());
            handle(authenticator.authenticate(request, settings.endpoint(path)), request, resp);
        } catch (OAuthException e) {
            HttpIO.writeError(resp, e.error());
        } catch (RuntimeException e) {
            LOG.error("Request to {} failed", path, e);
            HttpIO.writeError(resp, OAuth2Error.SERVER_ERROR.setDescription("internal error"));
        }
    }

    /** The single value of a required parameter. */
    static String required(HTTPRequest request, String name) throws OAuthException {
        String value = HttpIO.param(request, name);
        if (value == null || value.isEmpty()) {
            throw Errors.invalidRequest(name + " is required");
        }
        return value;
    }
}
