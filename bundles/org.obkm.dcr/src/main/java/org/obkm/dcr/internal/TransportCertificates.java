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
    /** PSD2 organizationIdentifier: PSD, ISO 3166 country, NCA id, authorisation number. */
    private static final java.util.regex.Pattern PSD2_ID = java.util.regex.Pattern.compile(
            "^PSD([A-Z]{2})-([A-Z]{2,8})-(.+)$");

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
        if (oi != null && organisationMatches(oi, orgId, ssa)) {
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

    /**
     * Whether an eIDAS organizationIdentifier names the SSA's organisation: the org_id itself (ecosystems
     * whose certificates carry the directory's id), or the PSD2 form {@code PSD<CC>-<NCA>-<id>} (ETSI TS 119
     * 495 §5.2.1) whose id is the directory's org_id ({@code PSDGB-OB-<org_id>}, OB's certificates for
     * organisations without an NCA number) or the registration_id of one of the organisation's active
     * competent-authority claims, of that NCA. A mere suffix match is not enough: {@code PSDGB-FCA-123} is no
     * certificate of registration 23.
     */
    static boolean organisationMatches(String oi, String orgId, JWTClaimsSet ssa) {
        if (oi.equals(orgId)) {
            return true;
        }
        java.util.regex.Matcher m = PSD2_ID.matcher(oi);
        if (!m.matches()) {
            return false;
        }
        String nca = m.group(2);
        String id = m.group(3);
        if ("OB".equals(nca) && (id.equals(orgId) || id.equals("Unknown" + orgId))) {
            return true;
        }
        return competentAuthorityClaims(ssa).stream().anyMatch(c -> id.equals(c.get("registration_id"))
                && (c.get("status") == null || "Active".equalsIgnoreCase(String.valueOf(c.get("status"))))
                && (!(c.get("authority_id") instanceof String a) || a.toUpperCase().startsWith(nca)));
    }

    /** organisation_competent_authority_claims: one object, or an array of them as the OB directory sends. */
    private static List<Map<?, ?>> competentAuthorityClaims(JWTClaimsSet ssa) {
        Object v = ssa.getClaim("organisation_competent_authority_claims");
        List<Map<?, ?>> out = new ArrayList<>();
        if (v instanceof Map<?, ?> one) {
            out.add(one);
        } else if (v instanceof List<?> many) {
            many.stream().filter(Map.class::isInstance).map(x -> (Map<?, ?>) x).forEach(out::add);
        }
        return out;
    }
}
