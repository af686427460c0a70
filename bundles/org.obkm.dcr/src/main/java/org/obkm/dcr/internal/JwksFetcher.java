package org.obkm.dcr.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

/**
 * Fetches the directories' and the TPPs' JWK Sets safely (issue 13 point 2): HTTPS only, with the JDK's
 * certificate and host name verification (against a configured CA file or the JDK's trust store), connect
 * and read timeouts, a size limit, no redirects, and only to the directory URLs of the configuration or to
 * hosts it allows, so a {@code software_jwks_endpoint} cannot make this node call an internal address
 * (SSRF). A key set is cached until its time is up; an unknown {@code kid} fetches it again, at most once
 * per {@code jwksRefreshMinSeconds} per URL, so a stream of bogus kids costs one fetch, not one each.
 */
final class JwksFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(JwksFetcher.class);

    /** What one URL or file gave last: its keys, when, and the last error (for {@code obkm:dcr-directories}). */
    record State(JWKSet keys, Instant fetchedAt, Instant triedAt, String lastError) {
    }

    private final DcrSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> cache = new ConcurrentHashMap<>();

    JwksFetcher(DcrSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The key with this kid from the set at {@code uri}, refreshing the set once if the kid is unknown.
     *
     * @param configured whether the URL comes from the configuration (a directory) rather than a TPP
     * @throws IOException with a message for the TPP when the set cannot be fetched
     */
    Optional<JWK> key(URI uri, String kid, boolean configured) throws IOException {
        if (!configured) {
            checkAllowed(uri);
        }
        String k = uri.toString();
        State s = cache.get(k);
        Instant now = clock.instant();
        boolean stale = s == null || s.keys() == null
                || s.fetchedAt().plus(settings.jwksCacheTtl()).isBefore(now);
        if (!stale && s.keys().getKeyByKeyId(kid) != null) {
            return Optional.of(s.keys().getKeyByKeyId(kid));
        }
        boolean mayRefresh = s == null || s.triedAt().plus(settings.jwksRefreshMin()).isBefore(now);
        if (mayRefresh) {
            s = refresh(k, () -> fetch(uri));
        }
        if (s.keys() == null) {
            throw new IOException("the key set at " + uri + " cannot be fetched: " + s.lastError());
        }
        return Optional.ofNullable(s.keys().getKeyByKeyId(kid));
    }

    /** The key with this kid from a configured file, re-read when the kid is unknown. */
    Optional<JWK> key(Path file, String kid) throws IOException {
        String k = file.toString();
        State s = cache.get(k);
        if (s == null || s.keys() == null || s.keys().getKeyByKeyId(kid) == null) {
            s = refresh(k, () -> Files.readString(file));
        }
        if (s.keys() == null) {
            throw new IOException("the directory key file cannot be read: " + s.lastError());
        }
        return Optional.ofNullable(s.keys().getKeyByKeyId(kid));
    }

    /** The fetch state per URL or file, for the shell. */
    java.util.Map<String, State> states() {
        return java.util.Map.copyOf(cache);
    }

    private interface Source {
        String read() throws IOException;
    }

    private State refresh(String key, Source source) {
        Instant now = clock.instant();
        State previous = cache.get(key);
        State next;
        try {
            JWKSet set = JWKSet.parse(source.read());
            if (set.getKeys().stream().anyMatch(JWK::isPrivate)) {
                throw new IOException("it holds private keys");
            }
            next = new State(set, now, now, null);
        } catch (IOException | ParseException | RuntimeException e) {
            String why = e instanceof ParseException ? "not a JWK Set" : String.valueOf(e.getMessage());
            LOG.warn("JWKS {} not refreshed: {}", key, why);
            // The keys fetched before stay usable until their time is up: a directory that is briefly down
            // stops no registration.
            boolean usable = previous != null && previous.keys() != null
                    && previous.fetchedAt().plus(settings.jwksCacheTtl()).isAfter(now);
            next = new State(usable ? previous.keys() : null, usable ? previous.fetchedAt() : null, now, why);
        }
        cache.put(key, next);
        return next;
    }

    void checkAllowed(URI uri) throws IOException {
        if (!"https".equals(uri.getScheme())) {
            throw new IOException("only https key set URLs are fetched: " + uri);
        }
        if (uri.getUserInfo() != null || !settings.jwksHostAllowed(uri.getHost())) {
            throw new IOException("the host of " + uri + " is not among allowedJwksHosts of etc/org.obkm.dcr.cfg");
        }
    }

    private String fetch(URI uri) throws IOException {
        HttpsURLConnection c = (HttpsURLConnection) uri.toURL().openConnection();
        try {
            // Made per fetch (fetches are rare: key sets are cached): a CA file that appears or changes later
            // counts at the next fetch, without a configuration change.
            c.setSSLSocketFactory(sockets(settings.jwksTrustedCaFile()));
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) settings.connectTimeout().toMillis());
            c.setReadTimeout((int) settings.readTimeout().toMillis());
            c.setUseCaches(false);
            c.setRequestProperty("Accept", "application/jwk-set+json, application/json");
            int status = c.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status);
            }
            if (c.getContentLengthLong() > settings.maxJwksBytes()) {
                throw new IOException("larger than maxJwksBytes " + settings.maxJwksBytes());
            }
            try (InputStream in = c.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0;) {
                    out.write(buf, 0, n);
                    if (out.size() > settings.maxJwksBytes()) {
                        throw new IOException("larger than maxJwksBytes " + settings.maxJwksBytes());
                    }
                }
                return out.toString(StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    private static SSLSocketFactory sockets(Path caFile) throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(caFile)) {
                    for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        ks.setCertificateEntry("ca" + i++, (X509Certificate) cert);
                    }
                }
                tmf.init(ks);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("jwksTrustedCaFile " + caFile + " cannot be read: " + e.getMessage());
        }
    }
}
