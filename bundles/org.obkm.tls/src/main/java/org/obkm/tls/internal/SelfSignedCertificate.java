package org.obkm.tls.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * This installation's own TLS identity, as {@code keytool -genkeypair} made it before: RSA-2048,
 * SHA256withRSA, self-signed, valid 825 days (the CA/Browser Forum limit of the time), the first
 * host name as CN, every host name (DNS or IP) and 127.0.0.1 as subject alternative names (RFC 5280
 * §4.2.1.6). The key pair and the signature are the JDK's; Bouncy Castle's PKIX builder (the bundle
 * Karaf's ssh feature brings) only encodes the certificate, which the JDK has no public API for.
 */
final class SelfSignedCertificate {

    static final String ALIAS = "obkm-tls";
    static final Duration VALIDITY = Duration.ofDays(825);

    private SelfSignedCertificate() {
    }

    /** A PKCS12 key store holding the new key under {@link #ALIAS}, protected by {@code password}. */
    static KeyStore keyStore(String hostnames, char[] password) throws GeneralSecurityException {
        List<String> hosts = new ArrayList<>();
        for (String h : hostnames.split("[,\\s]+")) {
            if (!h.isBlank()) {
                hosts.add(h.strip());
            }
        }
        if (hosts.isEmpty()) {
            hosts.add("localhost");
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate certificate = certificate(pair, hosts);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an empty PKCS12 key store", e);
        }
        store.setKeyEntry(ALIAS, pair.getPrivate(), password, new Certificate[] {certificate});
        return store;
    }

    private static X509Certificate certificate(KeyPair pair, List<String> hosts) throws GeneralSecurityException {
        // encoded least specific first, as keytool's -dname "CN=host,O=OBKM installation" was
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "OBKM installation").addRDN(BCStyle.CN, hosts.get(0)).build();
        Instant now = Instant.now();
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            names.add(new GeneralName(isAddress(h) ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        if (!hosts.contains("127.0.0.1")) {
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        }
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(63, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the self-signed TLS certificate", e);
        }
    }

    private static boolean isAddress(String host) {
        return host.matches("[0-9.]+") || host.contains(":");
    }
}
