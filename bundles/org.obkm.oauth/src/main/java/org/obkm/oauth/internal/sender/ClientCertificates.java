package org.obkm.oauth.internal.sender;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.stream.Collectors;
import javax.servlet.http.HttpServletRequest;

import org.obkm.api.client.ClientCertificateSource;
import org.obkm.api.net.AddressBlocks;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.X509CertUtils;

/**
 * The client certificate of a request (RFC 8705): the chain the client presented on this TLS
 * connection, or, behind a load balancer that terminates TLS, the certificate the balancer forwards in
 * a header, as the original product's gateway does. The header is believed only from the configured
 * balancer addresses: from anyone else it would let a caller name any certificate it likes, so it is
 * ignored (and logged). From a balancer only the header counts, since the connection's own certificate
 * would then be the balancer's.
 *
 * <p>Also the trust anchors of {@code tls_client_auth}, re-read whenever the file changes, so that a CA
 * rotated in the shared folder reaches every node without a restart. A configuration change applies
 * in place; a bad value disables only what it configures, never the endpoints.
 */
@Component(service = {ClientCertificates.class, ClientCertificateSource.class}, configurationPid = "org.obkm.mtls")
@Designate(ocd = MtlsConfig.class)
public final class ClientCertificates implements ClientCertificateSource {

    /** The servlet attribute holding the chain of the TLS connection (Servlet 4.0 §3.9). */
    static final String TLS_ATTRIBUTE = "javax.servlet.request.X509Certificate";

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);

    private record Anchors(Path file, FileTime modified, long size, Set<TrustAnchor> anchors) {
    }

    /** What the configuration says, replaced as a whole on a change. */
    private record Settings(String header, AddressBlocks proxies, Path caFile, String mtlsBaseUrl) {
    }

    private volatile Settings settings;
    private volatile Anchors anchors;

    @Activate
    public ClientCertificates(MtlsConfig config) {
        this.settings = settings(config);
    }

    /** A change applies in place, to the requests that start after it. */
    @Modified
    void modified(MtlsConfig config) {
        settings = settings(config);
    }

    private static Settings settings(MtlsConfig config) {
        AddressBlocks trusted;
        try {
            trusted = AddressBlocks.parse(config.trustedProxies());
        } catch (IllegalArgumentException e) {
            LOG.error("org.obkm.mtls trustedProxies: {}; the client certificate header is trusted from nobody",
                    e.getMessage());
            trusted = AddressBlocks.parse();
        }
        String header = config.certificateHeader() == null ? "" : config.certificateHeader().strip();
        boolean headerEnabled = config.certificateHeaderEnabled() && !header.isEmpty();
        AddressBlocks proxies = headerEnabled ? trusted : AddressBlocks.parse();
        if (headerEnabled && proxies.isEmpty()) {
            LOG.warn("org.obkm.mtls: certificateHeaderEnabled without trustedProxies; the header {} is ignored",
                    header);
        }
        String ca = config.trustedCaFile() == null ? "" : config.trustedCaFile().strip();
        return new Settings(header, proxies, ca.isEmpty() ? null : Path.of(ca), baseUrl(config.mtlsBaseUrl()));
    }

    /** Settings with nothing configured: connection certificates only, no tls_client_auth trust anchors. */
    public static ClientCertificates connectionOnly() {
        return new ClientCertificates((MtlsConfig) Proxy.newProxyInstance(MtlsConfig.class.getClassLoader(),
                new Class<?>[] {MtlsConfig.class}, (proxy, method, args) -> method.getDefaultValue()));
    }

    private static String baseUrl(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            URI uri = URI.create(v);
            if ("https".equals(uri.getScheme()) && uri.getHost() != null && uri.getQuery() == null
                    && uri.getFragment() == null) {
                return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        LOG.error("org.obkm.mtls mtlsBaseUrl must be an https URL without query or fragment; ignored: {}", v);
        return null;
    }

    /**
     * The client's certificate chain for this request, the client's own certificate first; empty when it
     * presented none, or when a certificate header from a trusted balancer cannot be read.
     */
    public List<X509Certificate> chain(HttpServletRequest req) {
        Object attribute = req.getAttribute(TLS_ATTRIBUTE);
        List<X509Certificate> tls = attribute instanceof X509Certificate[] certs ? List.of(certs) : List.of();
        return chain(req.getRemoteAddr(), name -> {
            Enumeration<String> values = req.getHeaders(name);
            return values == null ? List.of() : Collections.list(values);
        }, tls);
    }

    /**
     * The same for a request seen through its parts: the peer address, its headers by name, and the
     * certificates of its TLS connection.
     */
    @Override
    public List<X509Certificate> chain(String peer, Function<String, List<String>> headers, List<X509Certificate> tls) {
        Settings current = settings;
        AddressBlocks proxies = current.proxies();
        String header = current.header();
        if (!proxies.isEmpty() && proxies.contains(peer)) {
            return fromHeader(headers.apply(header), header, peer);
        }
        if (!header.isEmpty() && !headers.apply(header).isEmpty()) {
            LOG.warn("Ignored the client certificate header {} from {}: not a trusted proxy (org.obkm.mtls"
                    + " certificateHeaderEnabled, trustedProxies)", header, peer);
        }
        return tls == null ? List.of() : List.copyOf(tls);
    }

    private List<X509Certificate> fromHeader(List<String> all, String header, String peer) {
        if (all.isEmpty()) {
            return List.of();
        }
        if (all.size() > 1) {
            LOG.warn("Ignored {} client certificate headers {} from {}: expected one", all.size(), header, peer);
            return List.of();
        }
        Optional<X509Certificate> cert = parseHeader(all.get(0));
        if (cert.isEmpty()) {
            LOG.warn("Ignored the client certificate header {} from {}: not a URL-encoded PEM or base64 DER"
                    + " certificate", header, peer);
        }
        return cert.map(List::of).orElse(List.of());
    }

    /** A URL-encoded (or plain) PEM certificate, or a base64 DER one; empty when it is neither. */
    public static Optional<X509Certificate> parseHeader(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.indexOf('%') < 0) {
            return parse(v);
        }
        // Form encoders write a space as '+'; some balancers leave the '+' of base64 text unescaped.
        return parse(decode(v)).or(() -> parse(decode(v.replace("+", "%2B"))));
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static Optional<X509Certificate> parse(String text) {
        try {
            X509Certificate cert = text.contains(X509CertUtils.PEM_BEGIN_MARKER)
                    ? X509CertUtils.parseWithException(text)
                    : X509CertUtils.parseWithException(new Base64(text.replace('-', '+').replace('_', '/')).decode());
            return Optional.ofNullable(cert);
        } catch (CertificateException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The CA certificates {@code tls_client_auth} chains must lead to; empty when none are configured or
     * the file cannot be read, and then tls_client_auth is refused.
     */
    public Set<TrustAnchor> trustAnchors() {
        Path caFile = settings.caFile();
        if (caFile == null) {
            return Set.of();
        }
        try {
            BasicFileAttributes attrs = Files.readAttributes(caFile, BasicFileAttributes.class);
            Anchors cached = anchors;
            if (cached != null && cached.file().equals(caFile) && cached.modified().equals(attrs.lastModifiedTime())
                    && cached.size() == attrs.size()) {
                return cached.anchors();
            }
            Set<TrustAnchor> loaded;
            // The JDK reads PEM bundles (text between the certificates too); Nimbus' reader needs BouncyCastle.
            try (InputStream in = Files.newInputStream(caFile)) {
                loaded = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                        .filter(X509Certificate.class::isInstance)
                        .map(c -> new TrustAnchor((X509Certificate) c, null)).collect(Collectors.toUnmodifiableSet());
            }
            if (loaded.isEmpty()) {
                LOG.error("org.obkm.mtls trustedCaFile {} holds no PEM certificate; tls_client_auth is refused",
                        caFile);
            } else {
                LOG.info("tls_client_auth trusts {} CA certificates from {}", loaded.size(), caFile);
            }
            anchors = new Anchors(caFile, attrs.lastModifiedTime(), attrs.size(), loaded);
            return loaded;
        } catch (IOException | CertificateException | RuntimeException e) {
            LOG.error("org.obkm.mtls trustedCaFile {} cannot be read ({}); tls_client_auth is refused", caFile,
                    e.toString());
            return Set.of();
        }
    }

    /** Whether a CA file is configured at all (for a log line that tells the operator what to set). */
    public boolean hasTrustedCaFile() {
        return settings.caFile() != null;
    }

    /**
     * The base URL of the mTLS endpoint aliases (RFC 8705 §5) when a load balancer serves mutual TLS on a
     * host name of its own; empty when the endpoints themselves take client certificates.
     */
    public Optional<String> mtlsBaseUrl() {
        return Optional.ofNullable(settings.mtlsBaseUrl());
    }

    /** RFC 8705 §3.1 {@code x5t#S256}: the base64url SHA-256 of the certificate's DER encoding. */
    public static String thumbprint(X509Certificate cert) {
        return X509CertUtils.computeSHA256Thumbprint(cert).toString();
    }
}
