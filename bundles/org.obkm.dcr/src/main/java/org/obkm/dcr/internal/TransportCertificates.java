package org.obkm.dcr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The TPP's transport certificate at registration: in date, chained to a CA of {@code trustedCaFile}
 * (the same file as {@code etc/org.obkm.mtls.cfg}), and bound to the software statement (UK OB Directory
 * "Request Validation": the TPP that opened the TLS connection is the one named in the SSA). An OB
 * directory certificate names the software and organisation as {@code CN=<software_id>, OU=<org_id>}; an
 * eIDAS certificate carries {@code organizationIdentifier} (2.5.4.97, ETSI EN 319 412-1 §5.1.4), matched
 * to the SSA's {@code org_id} or a competent-authority registration id of the organisation.
 */
final class TransportCertificates {

    private static final String ORGANIZATION_IDENTIFIER = "2.5.4.97";

    private final Path caFile;

    TransportCertificates(Path caFile) {
        this.caFile = caFile;
    }

    void check(X509Certificate[] chain, Instant now) {
        try {
            chain[0].checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            throw DcrException.metadata("the transport certificate is not valid now");
        }
        if (caFile == null) {
            throw DcrException.metadata("this bank trusts no CA for transport certificates yet (trustedCaFile)");
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            try (InputStream in = Files.newInputStream(caFile)) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.add(new TrustAnchor((X509Certificate) c, null));
                }
            }
            List<X509Certificate> path = new ArrayList<>(List.of(chain));
            // A client may send its CA too; a trust anchor in the path is not part of it.
            path.removeIf(c -> anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c)));
            if (path.isEmpty()) {
                throw DcrException.metadata("the transport certificate is a CA certificate");
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (IOException e) {
            throw DcrException.metadata("the transport certificate cannot be checked now (trusted CA file unreadable)");
        } catch (GeneralSecurityException e) {
            throw DcrException.metadata("the transport certificate is not issued by a CA this bank trusts");
        }
    }

    void checkBinding(X509Certificate leaf, String softwareId, String orgId, JWTClaimsSet ssa) {
        Map<String, String> rdns = rdns(leaf.getSubjectX500Principal());
        if (softwareId.equals(rdns.get("CN")) && orgId.equals(rdns.get("OU"))) {
            return;
        }
        String oi = rdns.getOrDefault("ORGANIZATIONIDENTIFIER", rdns.get(ORGANIZATION_IDENTIFIER));
        if (oi != null && (oi.equals(orgId) || registrationIds(ssa).stream().anyMatch(id -> oi.endsWith("-" + id)))) {
            return;
        }
        throw DcrException.metadata("the transport certificate is not the software statement's: it must name"
                + " CN=" + softwareId + ", OU=" + orgId + " or the organisation's organizationIdentifier");
    }

    /** RDN type (CN, OU, or an OID) to value; the DN string keeps OIDs it has no keyword for. */
    static Map<String, String> rdns(X500Principal p) {
        Map<String, String> m = new java.util.HashMap<>();
        try {
            for (Rdn r : new LdapName(p.getName(X500Principal.RFC2253, Map.of(ORGANIZATION_IDENTIFIER,
                    "ORGANIZATIONIDENTIFIER"))).getRdns()) {
                Object v = r.getValue();
                m.putIfAbsent(r.getType().toUpperCase(), v instanceof byte[] b ? derString(b) : String.valueOf(v));
            }
        } catch (InvalidNameException e) {
            // no binding then
        }
        return m;
    }

    /** A hex-encoded RDN value (#04..): the DER string inside (UTF8String, PrintableString). */
    private static String derString(byte[] der) {
        if (der.length > 2 && der[1] > 0 && der[1] == der.length - 2) {
            return new String(der, 2, der.length - 2, java.nio.charset.StandardCharsets.UTF_8);
        }
        return "";
    }

    private static List<String> registrationIds(JWTClaimsSet ssa) {
        if (ssa.getClaim("organisation_competent_authority_claims") instanceof Map<?, ?> m
                && m.get("registration_id") instanceof String id) {
            return List.of(id);
        }
        return List.of();
    }
}
