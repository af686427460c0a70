package org.obkm.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A small HTTPS server on 127.0.0.1 that serves fixed documents by path (a directory's and TPPs' JWK Sets
 * in the registration tests), with a certificate of a test CA: the node fetches from it as it would from
 * a real directory, over verified TLS. One request per connection; GET only.
 */
public final class JwksServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final Map<String, String> documents = new ConcurrentHashMap<>();
    private final Thread thread;

    public JwksServer(int port, TestCertificates.Issued cert, TestCertificates.Issued ca)
            throws IOException, GeneralSecurityException {
        SSLContext tls = Tls.context(serverKeys(cert, ca), null);
        socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(port, 16,
                InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "jwks-server-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static javax.net.ssl.KeyManager[] serverKeys(TestCertificates.Issued cert, TestCertificates.Issued ca)
            throws GeneralSecurityException, IOException {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", cert.keys().getPrivate(), TestCertificates.PASSWORD,
                new java.security.cert.Certificate[] {cert.cert(), ca.cert()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory
                .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, TestCertificates.PASSWORD);
        return kmf.getKeyManagers();
    }

    /** Serves {@code body} as JSON at {@code path}. */
    public void put(String path, String body) {
        documents.put(path, body);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                for (int c; (c = in.read()) != -1;) {
                    head.append((char) c);
                    if (head.length() > 8192 || head.toString().endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                String[] line = head.toString().split(" ", 3);
                String body = line.length > 1 ? documents.get(line[1]) : null;
                byte[] b = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(((body == null ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 200 OK")
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(b);
                out.flush();
            } catch (IOException e) {
                // a client that went away, or the socket closed: serve the next one
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
