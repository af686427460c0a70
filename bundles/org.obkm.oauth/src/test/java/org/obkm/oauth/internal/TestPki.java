package org.obkm.oauth.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
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

/** Test certificates made with BouncyCastle: CAs, TPP client certificates, self-signed ones. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key pair. */
    public record Issued(X509Certificate cert, KeyPair keys) {
    }

    private TestPki() {
    }

    public static KeyPair rsa() {
        return generate("RSA", null);
    }

    public static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    private static KeyPair generate(String algorithm, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (spec == null) {
                g.initialize(2048);
            } else {
                g.initialize(spec);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued rootCa(String dn) {
        KeyPair keys = rsa();
        return new Issued(build(dn, keys, dn, keys, true, Instant.now().minusSeconds(60), Duration.ofDays(30)), keys);
    }

    public static Issued intermediateCa(Issued issuer, String dn) {
        KeyPair keys = rsa();
        return new Issued(build(issuer.cert().getSubjectX500Principal().getName(), issuer.keys(), dn, keys, true,
                Instant.now().minusSeconds(60), Duration.ofDays(30)), keys);
    }

    /** A TLS client certificate (extended key usage clientAuth) issued by a CA. */
    public static Issued client(Issued issuer, String dn) {
        return client(issuer, dn, Instant.now().minusSeconds(60), Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth);
    }

    public static Issued client(Issued issuer, String dn, Instant notBefore, Duration validity, KeyPurposeId... usages) {
        KeyPair keys = rsa();
        return new Issued(build(issuer.cert().getSubjectX500Principal().getName(), issuer.keys(), dn, keys, false,
                notBefore, validity, usages), keys);
    }

    /** A self-signed certificate without extensions, as TPPs make them for self_signed_tls_client_auth. */
    public static Issued selfSigned(String dn, KeyPair keys, Instant notBefore, Duration validity) {
        return new Issued(build(dn, keys, dn, keys, false, notBefore, validity), keys);
    }

    public static Issued selfSigned(String dn, KeyPair keys) {
        return selfSigned(dn, keys, Instant.now().minusSeconds(60), Duration.ofDays(1));
    }

    private static X509Certificate build(String issuerDn, KeyPair issuerKeys, String subjectDn, KeyPair subjectKeys,
            boolean ca, Instant notBefore, Duration validity, KeyPurposeId... usages) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Principal(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore),
                    Date.from(notBefore.plus(validity)), new X500Principal(subjectDn), subjectKeys.getPublic());
            if (ca) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (usages.length > 0) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
            }
            String alg = "EC".equals(issuerKeys.getPrivate().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }
}
