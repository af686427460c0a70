package org.obkm.oauth.internal.clientauth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

import org.obkm.api.client.Client;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.sender.ClientCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

/**
 * Mutual-TLS client authentication (RFC 8705 §2). The HTTPS listener accepts any certificate at the
 * handshake (which proves the client holds its key), so everything a certificate must be is checked
 * here, per client: for {@code tls_client_auth} (§2.1) the subject is the registered DN, compared as
 * X.500 names, and the chain leads to a CA of {@code trustedCaFile}; for
 * {@code self_signed_tls_client_auth} (§2.2) the certificate is current and its public key is one of
 * the client's registered keys. Both refuse a certificate whose extended key usage excludes TLS
 * client authentication, as the JDK's own trust manager would have.
 */
public final class TlsClientAuthVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TlsClientAuthVerifier.class);
    private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";

    private final ClientCertificates certificates;
    private final ClientKeys keys = new ClientKeys();

    public TlsClientAuthVerifier(ClientCertificates certificates) {
        this.certificates = certificates;
    }

    /**
     * @param chain the presented chain, the client's certificate first
     * @throws OAuthException {@code invalid_client} unless the certificate authenticates the client
     */
    public void verify(Client client, List<X509Certificate> chain) throws OAuthException {
        String method = client.authMethod().value();
        if (chain.isEmpty()) {
            throw Errors.invalidClient(method + " needs a client certificate on the TLS connection");
        }
        X509Certificate cert = chain.get(0);
        checkUsage(cert);
        switch (client.authMethod()) {
            case TLS_CLIENT_AUTH -> verifyPki(client, cert, chain);
            case SELF_SIGNED_TLS_CLIENT_AUTH -> verifyRegisteredKey(client, cert);
            default -> throw Errors.invalidClient("the client is registered for " + method
                    + ", not a client certificate");
        }
    }

    private static void checkUsage(X509Certificate cert) throws OAuthException {
        List<String> usages;
        try {
            usages = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw Errors.invalidClient("the client certificate's extended key usage cannot be read");
        }
        if (usages != null && !usages.contains(EKU_CLIENT_AUTH) && !usages.contains(EKU_ANY)) {
            throw Errors.invalidClient(
                    "the client certificate is not for TLS client authentication (extended key usage)");
        }
    }

    private void verifyPki(Client client, X509Certificate cert, List<X509Certificate> chain) throws OAuthException {
        if (!sameDn(client.tlsSubjectDn(), cert.getSubjectX500Principal())) {
            throw Errors.invalidClient(
                    "the client certificate's subject is not the registered tls_client_auth_subject_dn");
        }
        Set<TrustAnchor> anchors = certificates.trustAnchors();
        if (anchors.isEmpty()) {
            LOG.warn("Refused tls_client_auth of client {}: {}", client.clientId(), certificates.hasTrustedCaFile()
                    ? "the org.obkm.mtls trustedCaFile holds no usable CA certificate"
                    : "no CA is trusted for client certificates; set trustedCaFile in etc/org.obkm.mtls.cfg");
            throw Errors.invalidClient(
                    "tls_client_auth is not available: this server trusts no CA for client certificates");
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            // Revocation (CRL, OCSP) is not checked: the registration is revoked by deleting the client.
            params.setRevocationEnabled(false);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            CertPathBuilder.getInstance("PKIX").build(params);
        } catch (CertPathBuilderException e) {
            throw Errors.invalidClient("the client certificate does not chain to a CA this server trusts, or is not"
                    + " valid now");
        } catch (GeneralSecurityException e) {
            LOG.error("tls_client_auth of client {} could not be checked", client.clientId(), e);
            throw Errors.invalidClient("the client certificate could not be checked");
        }
    }

    private void verifyRegisteredKey(Client client, X509Certificate cert) throws OAuthException {
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw Errors.invalidClient("the client certificate has expired or is not valid yet");
        }
        List<JWK> registered;
        try {
            registered = keys.of(client, Errors::invalidClient)
                    .get(new JWKSelector(new JWKMatcher.Builder().build()), null);
        } catch (KeySourceException e) {
            throw Errors.invalidClient("the client's registered keys cannot be fetched from its jwks_uri");
        }
        Base64URL presented = keyThumbprint(cert.getPublicKey());
        if (presented == null) {
            throw Errors.invalidClient("the client certificate's key is neither RSA nor EC on a JOSE curve");
        }
        for (JWK key : registered) {
            if (presented.equals(thumbprint(key))) {
                return;
            }
        }
        throw Errors.invalidClient("the client certificate's public key is not one of the client's registered keys");
    }

    /**
     * The RFC 7638 thumbprint of a certificate's key: it compares the keys' defining members, whatever
     * their encoding. Built from the key, since Nimbus' JWK.parse(X509Certificate) needs BouncyCastle.
     */
    private static Base64URL keyThumbprint(PublicKey key) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).build().computeThumbprint();
            }
            if (key instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                return curve == null ? null : new ECKey.Builder(curve, ec).build().computeThumbprint();
            }
        } catch (JOSEException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static Base64URL thumbprint(JWK key) {
        try {
            return key.computeThumbprint();
        } catch (JOSEException e) {
            return null;
        }
    }

    /** Attribute types of TPP certificates the JDK has no keyword for (eIDAS QWACs: ETSI EN 319 412-1). */
    private static final java.util.Map<String, String> KEYWORDS = java.util.Map.of("ORGANIZATIONIDENTIFIER", "2.5.4.97");
    private static final java.util.Map<String, String> OIDS = java.util.Map.of("2.5.4.97", "organizationIdentifier");

    /**
     * Whether a registered DN names the certificate's subject, as RFC 4514 DNs: attribute types and values
     * compared ignoring case and spacing, whatever string type each value was encoded in, and the
     * organizationIdentifier of PSD2 certificates by name.
     */
    public static boolean sameDn(String registered, X500Principal subject) {
        if (registered == null || registered.isBlank()) {
            return false;
        }
        try {
            String a = new X500Principal(registered, KEYWORDS).getName(X500Principal.RFC2253, OIDS);
            String b = subject.getName(X500Principal.RFC2253, OIDS);
            return new javax.naming.ldap.LdapName(a).equals(new javax.naming.ldap.LdapName(b));
        } catch (IllegalArgumentException | javax.naming.InvalidNameException e) {
            return false;
        }
    }
}
