package org.obkm.itests.support;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TPP certificates for the mutual-TLS tests, made with BouncyCastle (in the container: the bundles
 * Karaf's ssh feature brings): a test CA, client certificates it issues, self-signed ones.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "it-client".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key pair. */
    public record Issued(X509Certificate cert, KeyPair keys) {

        /** A key store holding this certificate's key, for a client's KeyManagerFactory. */
        public KeyStore keyStore() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", keys.getPrivate(), PASSWORD, new Certificate[] {cert});
                return ks;
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Key managers presenting this certificate in a TLS handshake (RFC 8705 client authentication). */
        public KeyManager[] keyManagers() {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
                kmf.init(keyStore(), PASSWORD);
                return kmf.getKeyManagers();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued ca(String dn) {
        KeyPair keys = rsa();
        return new Issued(build(dn, keys, dn, keys, true), keys);
    }

    /** A TLS client certificate (extended key usage clientAuth) issued by {@code ca}. */
    public static Issued client(Issued ca, String dn) {
        KeyPair keys = rsa();
        return new Issued(build(ca.cert().getSubjectX500Principal().getName(), ca.keys(), dn, keys, false,
                KeyPurposeId.id_kp_clientAuth), keys);
    }

    /** A TLS server certificate for {@code host} (subjectAltName dNSName, serverAuth) issued by {@code ca}. */
    public static Issued server(Issued ca, String host) {
        KeyPair keys = rsa();
        X509Certificate cert = build(ca.cert().getSubjectX500Principal().getName(), ca.keys(), "CN=" + host, keys, false,
                b -> b.addExtension(Extension.subjectAlternativeName, false, new org.bouncycastle.asn1.x509.GeneralNames(
                        new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, host))),
                KeyPurposeId.id_kp_serverAuth);
        return new Issued(cert, keys);
    }

    public static Issued selfSigned(String dn, KeyPair keys) {
        return new Issued(build(dn, keys, dn, keys, false), keys);
    }

    private interface Extra {
        void add(X509v3CertificateBuilder b) throws Exception;
    }

    private static X509Certificate build(String issuerDn, KeyPair issuerKeys, String subjectDn, KeyPair subjectKeys,
            boolean ca, KeyPurposeId... usages) {
        return build(issuerDn, issuerKeys, subjectDn, subjectKeys, ca, b -> { }, usages);
    }

    private static X509Certificate build(String issuerDn, KeyPair issuerKeys, String subjectDn, KeyPair subjectKeys,
            boolean ca, Extra extra, KeyPurposeId... usages) {
        try {
            Instant notBefore = Instant.now().minusSeconds(300);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore),
                    Date.from(notBefore.plus(Duration.ofDays(1))), new X500Principal(subjectDn),
                    subjectKeys.getPublic());
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (usages.length > 0) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
            }
            extra.add(b);
            String alg = "EC".equals(issuerKeys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
