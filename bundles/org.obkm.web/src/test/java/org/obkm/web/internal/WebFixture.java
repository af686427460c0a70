package org.obkm.web.internal;

import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServlet;

import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.obkm.api.flow.AuthorizationFlows;

/**
 * The pages on a real Jetty 9.4 (the one inside Pax Web), reached through an in-memory connector:
 * requests are raw HTTP/1.1, so parsing, cookies and chunked bodies are Jetty's own.
 */
final class WebFixture implements AutoCloseable {

    final FakeFlows flows = new FakeFlows();
    private final Server server = new Server();
    private final LocalConnector connector = new LocalConnector(server);

    WebFixture() throws Exception {
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        add(context, new LoginServlet(flows), AuthorizationFlows.LOGIN_PATH);
        add(context, new ConsentServlet(flows), AuthorizationFlows.CONSENT_PATH);
        add(context, new StylesheetServlet(), StylesheetServlet.PATH);
        server.setHandler(context);
        server.start();
    }

    private static void add(ServletContextHandler context, HttpServlet servlet, String path) {
        context.addServlet(new ServletHolder(servlet), path);
    }

    /** Sends a raw request; {@code \n} in it becomes CRLF. */
    RawResponse send(String request) throws Exception {
        String raw = request.replace("\r\n", "\n").replace("\n", "\r\n");
        return RawResponse.parse(connector.getResponse(raw));
    }

    RawResponse get(String pathAndQuery, String browserKey) throws Exception {
        return send("GET " + pathAndQuery + " HTTP/1.1\nHost: localhost\nConnection: close\n"
                + (browserKey == null ? "" : "Cookie: " + AuthorizationFlows.BROWSER_COOKIE + "=" + browserKey + "\n")
                + "\n");
    }

    RawResponse post(String path, String form) throws Exception {
        return send("POST " + path + " HTTP/1.1\nHost: localhost\nConnection: close\n"
                + "Cookie: " + AuthorizationFlows.BROWSER_COOKIE + "=" + FakeFlows.BROWSER + "\n"
                + "Content-Type: application/x-www-form-urlencoded\n"
                + "Content-Length: " + form.getBytes(StandardCharsets.ISO_8859_1).length + "\n\n" + form);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
