package org.obkm.userstore.ldap.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a server certificate names a host, as RFC 6125 section 6 (and RFC 4513 section 3.1.3 for
 * LDAP) describes: an IP address must be an iPAddress subject alternative name; a DNS name must match
 * a dNSName, where a {@code *} may stand for the whole left-most label only; the subject's common name
 * is consulted only when the certificate has no dNSName at all (older directory certificates).
 */
final class HostnameMatcher {

    private static final int DNS = 2;
    private static final int IP = 7;

    private HostnameMatcher() {
    }

    static boolean matches(X509Certificate cert, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.isEmpty() || h.contains("*")) {
            return false;
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == DNS) {
                        dnsNames.add(String.valueOf(san.get(1)));
                    } else if (type == IP) {
                        ips.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (isIpLiteral(h)) {
            return ips.stream().anyMatch(ip -> sameAddress(ip, host));
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (dnsNames.isEmpty()) {
            String cn = commonName(cert);
            return cn != null && dnsMatch(cn, ascii);
        }
        return dnsNames.stream().anyMatch(name -> dnsMatch(name, ascii));
    }

    private static boolean dnsMatch(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return !p.contains("*") && p.equals(host);
        }
        String suffix = p.substring(1);
        // A wildcard stands for exactly one label, and never for a label of a public suffix like *.com.
        if (suffix.indexOf('.', 1) < 0 || suffix.contains("*")) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(suffix);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]+(\\.[0-9]+){3}");
    }

    private static boolean sameAddress(String san, String host) {
        try {
            // Both are literals: no name resolution happens.
            return InetAddress.getByName(san).equals(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            List<Rdn> rdns = new LdapName(cert.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
