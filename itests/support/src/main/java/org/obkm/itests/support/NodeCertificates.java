package org.obkm.itests.support;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * PKIX with the nodes' certificates as the only anchors, read anew at each handshake (a node writes
 * its keystore on first start, after the client was made); the host name is checked by the delegate.
 */
final class NodeCertificates extends X509ExtendedTrustManager {

    private final Supplier<List<X509Certificate>> trusted;

    NodeCertificates(Supplier<List<X509Certificate>> trusted) {
        this.trusted = trusted;
    }

    private X509ExtendedTrustManager delegate() throws CertificateException {
        List<X509Certificate> certs = trusted.get();
        if (certs.isEmpty()) {
            throw new CertificateException("no node keystore readable yet");
        }
        try {
            for (TrustManager tm : Tls.trustOnly(certs.toArray(new X509Certificate[0])).getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
        } catch (Exception e) {
            throw new CertificateException(e);
        }
        throw new CertificateException("no X509ExtendedTrustManager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
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
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        // Empty: the server's certificate request then names no CAs; no client certificate is sent anyway.
        return new X509Certificate[0];
    }
}
