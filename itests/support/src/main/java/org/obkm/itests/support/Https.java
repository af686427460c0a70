package org.obkm.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Verified HTTPS to the nodes under test, redirects never followed. A target is a path on this
 * client's node ({@code /oauth2/token}) or a whole URL ({@code https://localhost:9647/health}, another
 * node). A request that cannot be made throws {@link UncheckedIOException} (a poll takes it as "not
 * yet"); an answer of any status is a {@link Response}.
 */
public final class Https {

    public static final String FORM = "application/x-www-form-urlencoded";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A response, read whole; {@code uri} is the URL that was requested. */
    public record Response(URI uri, int status, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            return headerValues(name).stream().findFirst().orElse(null);
        }

        public List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }

        public Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError("no JSON object in " + this, e);
            }
        }

        /** A member of the JSON body as a string; null when absent. */
        public String string(String member) {
            Object v = json().get(member);
            return v == null ? null : v.toString();
        }

        /** The redirect target, resolved against the request URL; null when this is no redirect. */
        public URI location() {
            String l = header("Location");
            return l == null ? null : uri.resolve(l);
        }

        public static Map<String, Object> parseJson(String text) {
            try {
                return JSONObjectUtils.parse(text);
            } catch (ParseException e) {
                throw new AssertionError("no JSON object: " + text, e);
            }
        }

        @Override
        public String toString() {
            String shown = body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
            return "HTTP " + status + " " + uri.getPath() + " " + shown;
        }
    }

    private final HttpClient client;
    private final String httpsBase;
    private final String httpBase;
    private final Duration requestTimeout;

    private Https(HttpClient client, String httpsBase, String httpBase, Duration requestTimeout) {
        this.client = client;
        this.httpsBase = httpsBase;
        this.httpBase = httpBase;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A client of several nodes, trusting exactly the certificates {@code trusted} yields at each
     * handshake; targets are whole URLs. Connects within 3 s, answers within 15 s.
     */
    public Https(Supplier<List<X509Certificate>> trusted) throws GeneralSecurityException {
        this(HttpClient.newBuilder().sslContext(Tls.context(null, new TrustManager[] {new NodeCertificates(trusted)}))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build(), null, null, Duration.ofSeconds(15));
    }

    /**
     * The same client whose requests give up after {@code timeout} (a load generator's client, which
     * does not wait 15 s for a node that stalls).
     */
    public Https withRequestTimeout(Duration timeout) {
        return new Https(client, httpsBase, httpBase, timeout);
    }

    /** A client of one node trusting only its generated certificate, speaking TLS 1.2/1.3. */
    public static Https trustingNodeCertificate(Path keystore, int httpsPort, int httpPort)
            throws IOException, GeneralSecurityException {
        return using(Tls.trusting(Tls.nodeCertificate(keystore)), httpsPort, httpPort);
    }

    /** A client of the node on {@code httpsPort} over {@code tls} (a client certificate, say). */
    public static Https using(SSLContext tls, int httpsPort, int httpPort) {
        return new Https(httpClient(tls), "https://localhost:" + httpsPort, "http://localhost:" + httpPort, TIMEOUT);
    }

    /** A client over {@code tls} whose targets are whole URLs. */
    public static Https using(SSLContext tls) {
        return new Https(httpClient(tls), null, null, TIMEOUT);
    }

    private static HttpClient httpClient(SSLContext tls) {
        SSLParameters params = tls.getDefaultSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        params.setEndpointIdentificationAlgorithm("HTTPS");
        return HttpClient.newBuilder().sslContext(tls).sslParameters(params).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** GET with extra headers (name, value, name, value...). */
    public Response get(String target, String... headers) {
        return exchange(HttpRequest.newBuilder(uri(target)).GET(), headers);
    }

    /** GET over plain HTTP on the node's HTTP port. */
    public Response getPlain(String path) {
        return exchange(HttpRequest.newBuilder(URI.create(httpBase + path)).GET());
    }

    public Response postPlain(String path, String formBody) {
        return exchange(HttpRequest.newBuilder(URI.create(httpBase + path)).header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(formBody)));
    }

    /** POSTs a raw body with the given content type (null: none) and extra headers. */
    public Response post(String target, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(target))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return exchange(b, headers);
    }

    /** POSTs a body of unknown length: HTTP/1.1 chunked, no Content-Length to check up front. */
    public Response postStream(String target, String contentType, Supplier<InputStream> body, String... headers) {
        return exchange(HttpRequest.newBuilder(uri(target)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)), headers);
    }

    /** POSTs a form ({@link #form}) with extra headers, such as {@code Authorization}, {@link #basic}. */
    public Response postForm(String target, String formBody, String... headers) {
        return post(target, FORM, formBody, headers);
    }

    /** Any request, with extra headers; the request timeout of this client is set on it. */
    public Response exchange(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = b.timeout(requestTimeout).build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(request.uri(), r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A path on this client's node, or a whole URL as it is. */
    public URI uri(String target) {
        if (target.startsWith("https://") || target.startsWith("http://")) {
            return URI.create(target);
        }
        if (httpsBase == null) {
            throw new IllegalArgumentException("this client has no node of its own; give a whole URL: " + target);
        }
        return URI.create(httpsBase + target);
    }

    /** {@code application/x-www-form-urlencoded} from name, value pairs; repeats allowed. */
    public static String form(String... nameValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            sb.append(sb.length() == 0 ? "" : "&").append(enc(nameValues[i])).append('=').append(enc(nameValues[i + 1]));
        }
        return sb.toString();
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** RFC 6749 §2.3.1: id and secret are form-encoded, then joined and base64-encoded. */
    public static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((enc(clientId) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The query parameters of a URL (the redirect back to the client), decoded; the first of repeats. */
    public static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q == null) {
            return out;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            out.putIfAbsent(dec(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : dec(pair.substring(eq + 1)));
        }
        return out;
    }
}
