package org.obkm.itests.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * HTTP calls against the node under test, from inside its container. HTTPS is verified for real:
 * the only trust anchor is the certificate the node generated into {@code etc/obkm-tls.p12}, and the
 * host name {@code localhost} must match it.
 */
final class Https {

    static final String KEYSTORE_ALIAS = "obkm-tls";
    static final String KEYSTORE_PASSWORD = "obkm-generated";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A response, read whole. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        Map<String, Object> json() {
            return parseJson(body);
        }

        static Map<String, Object> parseJson(String text) {
            try {
                return JSONObjectUtils.parse(text);
            } catch (ParseException e) {
                throw new AssertionError("no JSON object: " + text, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient client;
    private final String httpsBase;
    private final String httpBase;

    private Https(HttpClient client, int httpsPort, int httpPort) {
        this.client = client;
        this.httpsBase = "https://localhost:" + httpsPort;
        this.httpBase = "http://localhost:" + httpPort;
    }

    /** A client trusting only the node's generated certificate, speaking TLS 1.2/1.3. */
    static Https trustingNodeCertificate(Path keystore, int httpsPort, int httpPort)
            throws IOException, GeneralSecurityException {
        Certificate cert = nodeCertificate(keystore);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("obkm-node", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        SSLParameters params = tls.getDefaultSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setEndpointIdentificationAlgorithm("HTTPS");
        HttpClient client = HttpClient.newBuilder().sslContext(tls).sslParameters(params)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new Https(client, httpsPort, httpPort);
    }

    /** The certificate the node generated into its TLS keystore. */
    static Certificate nodeCertificate(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            generated.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        Certificate cert = generated.getCertificate(KEYSTORE_ALIAS);
        if (cert == null) {
            throw new IllegalStateException("no certificate " + KEYSTORE_ALIAS + " in " + keystore);
        }
        return cert;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(httpsBase + path)).GET());
    }

    Response getPlain(String path) {
        return send(HttpRequest.newBuilder(URI.create(httpBase + path)).GET());
    }

    Response postPlain(String path, String formBody) {
        return send(HttpRequest.newBuilder(URI.create(httpBase + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody)));
    }

    /** POSTs a raw body with the given content type and extra headers (name, value, name, value...). */
    Response post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpsBase + path))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** POSTs a body of unknown length: HTTP/1.1 chunked, no Content-Length to check up front. */
    Response postStream(String path, String contentType, Supplier<InputStream> body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpsBase + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofInputStream(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    Response postForm(String path, String formBody, String... headers) {
        return post(path, "application/x-www-form-urlencoded", formBody, headers);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = client.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code application/x-www-form-urlencoded} from name, value pairs; repeats allowed. */
    static String form(String... nameValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(enc(nameValues[i])).append('=').append(enc(nameValues[i + 1]));
        }
        return sb.toString();
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
    static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
