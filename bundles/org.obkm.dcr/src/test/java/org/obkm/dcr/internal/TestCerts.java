package org.obkm.dcr.internal;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A certificate of no CA the bank trusts. */
final class TestCerts {

    private TestCerts() {
    }

    static X509Certificate selfSigned(String dn) throws Exception {
        KeyPair k = DcrFixture.rsa();
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Principal(dn),
                java.math.BigInteger.ONE, Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)),
                new X500Principal(dn), k.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA").build(k.getPrivate())));
    }
}
