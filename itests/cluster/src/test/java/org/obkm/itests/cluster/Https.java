package org.obkm.itests.cluster;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Verified HTTPS to the nodes: java.net.http.HttpClient with a trust store holding exactly the nodes'
 * self-signed certificates (read from their etc/obkm-tls.p12 at each handshake, since a node writes
 * its keystore on first start) and the JDK's hostname verification for {@code localhost}.
 */
final class Https {

    /** Status and body of one response. */
    record Response(int status, String body) {
        Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (Exception e) {
                throw new AssertionError("not a JSON object (HTTP " + status + "): " + body, e);
            }
        }

        String string(String member) {
            Object v = json().get(member);
            return v == null ? null : v.toString();
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    private final HttpClient client;

    Https(Supplier<List<X509Certificate>> trusted) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new NodeCertificates(trusted)}, null);
        client = HttpClient.newBuilder()
                .sslContext(ssl)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Response get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** POST of a form, with HTTP Basic client authentication when {@code basicUser} is not null. */
    Response postForm(String url, String basicUser, String basicPassword, Map<String, String> form)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (basicUser != null) {
            // RFC 6749 §2.3.1: client_id and secret are form-encoded before Basic encoding
            String creds = enc(basicUser) + ":" + enc(basicPassword);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b);
    }

    /** Any request, with the whole response: the flow tests read Location and Set-Cookie. */
    HttpResponse<String> exchange(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(r.statusCode(), r.body());
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String dec(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** PKIX with the nodes' certificates as the only anchors; hostname checked by the delegate. */
    private static final class NodeCertificates extends X509ExtendedTrustManager {
        private final Supplier<List<X509Certificate>> trusted;

        NodeCertificates(Supplier<List<X509Certificate>> trusted) {
            this.trusted = trusted;
        }

        private X509ExtendedTrustManager delegate() throws CertificateException {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (X509Certificate c : trusted.get()) {
                    ks.setCertificateEntry("node-" + i++, c);
                }
                if (i == 0) {
                    throw new CertificateException("no node keystore readable yet");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
                tmf.init(ks);
                for (TrustManager tm : tmf.getTrustManagers()) {
                    if (tm instanceof X509ExtendedTrustManager x) {
                        return x;
                    }
                }
                throw new CertificateException("no X509ExtendedTrustManager");
            } catch (CertificateException e) {
                throw e;
            } catch (Exception e) {
                throw new CertificateException(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("hostname verification needs a socket or engine");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // Empty: the server's certificate request then names no CAs; we send no client certificate anyway.
            return new X509Certificate[0];
        }
    }
}
