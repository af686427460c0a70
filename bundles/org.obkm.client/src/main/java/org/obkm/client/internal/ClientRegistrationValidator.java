package org.obkm.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.Set;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.client.TokenEndpointAuthMethod;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * Checks a registration before it is stored. Each failure is an {@link IllegalArgumentException}
 * whose message tells the operator what to fix.
 */
final class ClientRegistrationValidator {

    static final Set<String> GRANT_TYPES = Set.of("client_credentials", "authorization_code", "refresh_token");

    /** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private ClientRegistrationValidator() {
    }

    static void validate(ClientRegistration r) {
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            throw new IllegalArgumentException("client name is required (at most 200 characters)");
        }
        if (r.authMethod() == null) {
            throw new IllegalArgumentException("token endpoint auth method is required");
        }
        if (r.grantTypes().isEmpty()) {
            throw new IllegalArgumentException("at least one grant type is required; use any of " + GRANT_TYPES);
        }
        for (String g : r.grantTypes()) {
            if (!GRANT_TYPES.contains(g)) {
                throw new IllegalArgumentException("unknown grant type '" + g + "'; use any of " + GRANT_TYPES);
            }
        }
        for (String s : r.scopes()) {
            if (!SCOPE_TOKEN.matcher(s).matches()) {
                throw new IllegalArgumentException("invalid scope '" + s + "' (RFC 6749 §3.3 scope-token)");
            }
        }
        for (String u : r.redirectUris()) {
            checkRedirectUri(u);
        }
        if (r.grantTypes().contains("authorization_code") && r.redirectUris().isEmpty()) {
            throw new IllegalArgumentException("the authorization_code grant needs at least one redirect URI");
        }
        checkKeys(r);
        checkJarm(r);
    }

    /**
     * JARM §5 metadata: algorithms this server offers ({@link JarmAlgorithms}), {@code _enc} only with
     * {@code _alg}, and for encryption a registered key of the algorithm's type to encrypt to.
     */
    static void checkJarm(ClientRegistration r) {
        JarmAlgorithms j = r.jarm();
        if (j.signingAlg() != null && !JarmAlgorithms.SIGNING_ALGS.contains(j.signingAlg())) {
            throw new IllegalArgumentException("authorization_signed_response_alg '" + j.signingAlg()
                    + "' is not offered; use one of " + JarmAlgorithms.SIGNING_ALGS);
        }
        if (j.encryptionEnc() != null && j.encryptionAlg() == null) {
            throw new IllegalArgumentException("authorization_encrypted_response_enc needs"
                    + " authorization_encrypted_response_alg (JARM section 5)");
        }
        if (j.encryptionAlg() == null) {
            return;
        }
        if (!JarmAlgorithms.ENCRYPTION_ALGS.contains(j.encryptionAlg())) {
            throw new IllegalArgumentException("authorization_encrypted_response_alg '" + j.encryptionAlg()
                    + "' is not offered; use one of " + JarmAlgorithms.ENCRYPTION_ALGS);
        }
        if (!JarmAlgorithms.ENCRYPTION_ENCS.contains(j.encryptionEncOrDefault())) {
            throw new IllegalArgumentException("authorization_encrypted_response_enc '" + j.encryptionEnc()
                    + "' is not offered; use one of " + JarmAlgorithms.ENCRYPTION_ENCS);
        }
        KeyType type = j.encryptionAlg().startsWith("RSA") ? KeyType.RSA : KeyType.EC;
        if (r.jwks() != null && !r.jwks().isBlank()) {
            boolean usable = parse(r.jwks()).getKeys().stream()
                    .anyMatch(k -> type.equals(k.getKeyType()) && k.getKeyUse() != KeyUse.SIGNATURE);
            if (!usable) {
                throw new IllegalArgumentException("authorization_encrypted_response_alg " + j.encryptionAlg()
                        + " needs an " + type + " key in jwks without \"use\": \"sig\" to encrypt to");
            }
        } else if (r.jwksUri() == null || r.jwksUri().isBlank()) {
            throw new IllegalArgumentException("authorization_encrypted_response_alg needs the client's public keys"
                    + " (jwks or jwks_uri) to encrypt to");
        }
    }

    private static void checkKeys(ClientRegistration r) {
        boolean hasJwks = r.jwks() != null && !r.jwks().isBlank();
        boolean hasJwksUri = r.jwksUri() != null && !r.jwksUri().isBlank();
        if (hasJwks && hasJwksUri) {
            throw new IllegalArgumentException("give either jwks or jwks_uri, not both (RFC 7591 §2)");
        }
        if (r.authMethod() == TokenEndpointAuthMethod.PRIVATE_KEY_JWT && !hasJwks && !hasJwksUri) {
            throw new IllegalArgumentException("private_key_jwt needs the client's public keys: jwks or jwks_uri");
        }
        if (r.authMethod() == TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH && !hasJwks && !hasJwksUri) {
            // RFC 8705 §2.2.2: the certificate's key is looked up among the registered keys.
            throw new IllegalArgumentException(
                    "self_signed_tls_client_auth needs the client's certificate keys: jwks or jwks_uri");
        }
        if (hasJwks) {
            checkJwks(r.jwks(), r.jarm().encrypted());
        }
        if (hasJwksUri) {
            URI uri = parseUri(r.jwksUri(), "jwks_uri");
            if (!"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("jwks_uri must be an https URL");
            }
        }
        if (r.authMethod() == TokenEndpointAuthMethod.TLS_CLIENT_AUTH) {
            if (r.tlsSubjectDn() == null || r.tlsSubjectDn().isBlank()) {
                throw new IllegalArgumentException("tls_client_auth needs the certificate subject DN (tls_client_auth_subject_dn)");
            }
            try {
                new X500Principal(r.tlsSubjectDn(), java.util.Map.of("ORGANIZATIONIDENTIFIER", "2.5.4.97"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid certificate subject DN: " + e.getMessage());
            }
        }
    }

    private static JWKSet parse(String json) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalArgumentException("jwks is not a valid JWK Set: " + e.getMessage());
        }
    }

    /** @param encryption whether keys to encrypt JARM responses to may be among them (JARM section 5) */
    private static void checkJwks(String json, boolean encryption) {
        JWKSet set = parse(json);
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("jwks holds no key");
        }
        for (JWK k : set.getKeys()) {
            if (k.isPrivate()) {
                throw new IllegalArgumentException("jwks must hold public keys only; key '" + k.getKeyID()
                        + "' has a private part: never send private keys to the server");
            }
            boolean allowed = k.getKeyUse() == null || k.getKeyUse() == KeyUse.SIGNATURE
                    || encryption && k.getKeyUse() == KeyUse.ENCRYPTION;
            if (!allowed) {
                throw new IllegalArgumentException("key '" + k.getKeyID() + "' is not for signatures (use "
                        + k.getKeyUse().identifier() + "); encryption keys only with"
                        + " authorization_encrypted_response_alg");
            }
        }
    }

    private static void checkRedirectUri(String value) {
        URI uri = parseUri(value, "redirect URI");
        if (!uri.isAbsolute() || uri.getFragment() != null) {
            throw new IllegalArgumentException("redirect URI must be absolute without a fragment: " + value);
        }
        boolean loopback = "http".equals(uri.getScheme())
                && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
        if (!"https".equals(uri.getScheme()) && !loopback) {
            throw new IllegalArgumentException("redirect URI must use https (http only for loopback): " + value);
        }
    }

    private static URI parseUri(String value, String what) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }
}
