package org.obkm.userstore.ldap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for {@code ldaps://} and StartTLS (RFC 4513 section 3): the CAs of {@code TrustStore} (a PKCS12
 * or JKS key store, or a PEM file of certificates) or the JDK's, and a check that the server's
 * certificate names the host of the replica's URL (RFC 6125 via {@link HostnameMatcher}). The
 * Apache Directory LDAP API 2.1.7 checks no host name itself (its MINA {@code SslFilter} has no
 * endpoint identification set), so a trust manager per replica does it after the chain is validated.
 */
final class LdapTls {

    /** TLS 1.2 and 1.3 only (RFC 8996 deprecates the older versions). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final X509ExtendedTrustManager trust;

    private LdapTls(X509ExtendedTrustManager trust) {
        this.trust = trust;
    }

    /**
     * Loads the trust anchors once per store.
     *
     * @throws IllegalArgumentException naming {@code TrustStore} when the file cannot be read
     */
    static LdapTls of(String trustStore, String password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore.isEmpty() ? null : load(Path.of(trustStore), password));
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new LdapTls(x);
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("TrustStore: cannot read '" + trustStore + "': " + e.getMessage());
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        if (new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.US_ASCII)
                .contains("-----BEGIN CERTIFICATE-----")) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(file)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
            }
            if (i == 0) {
                throw new CertificateException("no certificate in the PEM file");
            }
            return ks;
        }
        char[] pw = password.isEmpty() ? null : password.toCharArray();
        for (String type : new String[] {"PKCS12", "JKS"}) {
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore ks = KeyStore.getInstance(type);
                ks.load(in, pw);
                return ks;
            } catch (IOException | GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new java.security.KeyStoreException(
                "neither PKCS12 nor JKS nor PEM, or TrustStorePassword does not open it");
    }

    /** The trust managers for one replica: chain validation, then its host name. */
    TrustManager[] forHost(String host) {
        return new TrustManager[] {new HostChecking(trust, host)};
    }

    /** Validates the chain with the delegate, then checks that the leaf certificate names the host. */
    private static final class HostChecking extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final String host;

        HostChecking(X509ExtendedTrustManager delegate, String host) {
            this.delegate = delegate;
            this.host = host;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            checkHost(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            checkHost(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            checkHost(chain);
        }

        private void checkHost(X509Certificate[] chain) throws CertificateException {
            if (!HostnameMatcher.matches(chain[0], host)) {
                throw new CertificateException("the directory's certificate does not name the host " + host);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
