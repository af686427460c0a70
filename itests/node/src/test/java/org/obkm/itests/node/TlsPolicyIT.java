package org.obkm.itests.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.junit.Test;
import org.obkm.itests.support.Tls;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The HTTPS listener's TLS policy (FAPI 2.0 Security Profile §5.2.2): TLS 1.3, or TLS 1.2 with the
 * cipher suites BCP 195 (RFC 9325 §4.2) recommends only, which are ECDHE with AES-GCM; no finite-field
 * DHE (RFC 9325 §4.5), no CBC, no RSA key exchange. Raw handshakes with one protocol and one suite
 * offered; the certificate is not what is tested here (the other classes verify it).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TlsPolicyIT extends NodeTestSupport {

    private static final TrustManager ANY = Tls.trustAll();

    private static String handshake(String protocol, String cipherSuite) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {ANY}, null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", httpsPort())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {protocol});
            if (cipherSuite != null) {
                socket.setEnabledCipherSuites(new String[] {cipherSuite});
            }
            socket.startHandshake();
            return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        }
    }

    @Test
    public void servesTls13() throws Exception {
        assertEquals("TLSv1.3", handshake("TLSv1.3", null).split(" ")[0]);
    }

    @Test
    public void servesTls12WithAFapiSuite() throws Exception {
        assertEquals("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    public void servesTls12WithTheOtherEcdheGcmSuite() throws Exception {
        assertEquals("TLSv1.2 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    }

    /** Issue 10 item 1: the conformance suite's TLS check offered this suite and was served. */
    @Test
    public void refusesTls12WithDheRsaAes128Gcm() {
        assertThrows(SSLException.class, () -> handshake("TLSv1.2", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    @Test
    public void refusesTls12WithDheRsaAes256Gcm() {
        assertThrows(SSLException.class, () -> handshake("TLSv1.2", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"));
    }

    @Test
    public void refusesTls12WithACbcSuite() {
        assertThrows(SSLException.class, () -> handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"));
    }

    @Test
    public void refusesTls12WithChaCha20() {
        assertThrows(SSLException.class,
                () -> handshake("TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    @Test
    public void refusesTls12WithRsaKeyExchange() {
        assertThrows(IOException.class, () -> handshake("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"));
    }
}
