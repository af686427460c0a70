package org.obkm.itests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS contexts for the tests. A node makes a self-signed certificate into {@code etc/obkm-tls.p12}
 * on first start; the tests trust exactly that one (and check the host name {@code localhost}),
 * except for the raw handshakes of the TLS policy test, which look at protocols and suites only.
 */
public final class Tls {

    /** Alias and password of the node's generated keystore. */
    public static final String KEYSTORE_ALIAS = "obkm-tls";
    public static final String KEYSTORE_PASSWORD = "obkm-generated";

    private Tls() {
    }

    /** The certificate the node generated into its TLS keystore. */
    public static X509Certificate nodeCertificate(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            generated.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        Certificate cert = generated.getCertificate(KEYSTORE_ALIAS);
        if (cert == null) {
            throw new IllegalStateException("no certificate " + KEYSTORE_ALIAS + " in " + keystore);
        }
        return (X509Certificate) cert;
    }

    /** Trust managers with these certificates as the only anchors (PKIX). */
    public static TrustManagerFactory trustOnly(Certificate... anchors) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Certificate anchor : anchors) {
            trust.setCertificateEntry("obkm-node-" + i++, anchor);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    /** TLS trusting only this certificate (the node's self-signed one); no client certificate. */
    public static SSLContext trusting(Certificate anchor) {
        try {
            return context(null, trustOnly(anchor).getTrustManagers());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context presenting {@code keys} (null: no client certificate) and trusting {@code trust}. */
    public static SSLContext context(KeyManager[] keys, TrustManager[] trust) throws GeneralSecurityException {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, trust, null);
        return tls;
    }

    /** Trusts any server: only for handshakes whose protocol and cipher suite are what is tested. */
    public static TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // a client-side trust manager: never asked
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // deliberately none: the certificate is not what such a test looks at
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
