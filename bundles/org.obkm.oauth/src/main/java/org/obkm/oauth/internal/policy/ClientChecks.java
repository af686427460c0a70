package org.obkm.oauth.internal.policy;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.request.ParameterChecks;
import org.obkm.oauth.internal.sender.Confirmation;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * The checks that span several events: what the client record requires (its authentication methods,
 * PAR, sender-constrained tokens) and the PKCE and DPoP key bindings of a code from its push to its
 * redemption. Each is asked at every event it names, so a profile governs registration, every
 * client-authenticated endpoint, every grant and every resource request alike.
 */
public final class ClientChecks {

    /** FAPI 2.0 Security Profile §5.3.2.1 (and FAPI 1 Advanced §5.2.2 14): no shared secrets. */
    static final Set<TokenEndpointAuthMethod> FAPI_AUTH_METHODS = Set.of(TokenEndpointAuthMethod.PRIVATE_KEY_JWT,
            TokenEndpointAuthMethod.TLS_CLIENT_AUTH, TokenEndpointAuthMethod.SELF_SIGNED_TLS_CLIENT_AUTH);
    private static final Pattern JKT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<PolicyEvent> TOKENS = EnumSet.of(PolicyEvent.TOKEN_AUTHORIZATION_CODE,
            PolicyEvent.TOKEN_REFRESH_TOKEN, PolicyEvent.TOKEN_CLIENT_CREDENTIALS);

    /** {@code client-auth-fapi}: the client registers and authenticates with a FAPI method only. */
    static final PolicyCheck CLIENT_AUTH_FAPI = PolicyCheck.at(
            EnumSet.of(PolicyEvent.REGISTRATION, PolicyEvent.CLIENT_AUTHENTICATION), c -> {
                if (c.event() == PolicyEvent.REGISTRATION) {
                    if (!FAPI_AUTH_METHODS.contains(c.client().authMethod())
                            || !FAPI_AUTH_METHODS.containsAll(c.client().policy().authMethods())) {
                        throw metadata("profile " + c.client().policy().profile() + " allows only "
                                + names(FAPI_AUTH_METHODS) + " as token endpoint auth method, not "
                                + c.client().authMethod().value() + " (choose another profile, e.g. none, for a client secret)");
                    }
                } else if (!FAPI_AUTH_METHODS.contains(c.authMethod())) {
                    throw Errors.invalidClient("this client's profile does not allow " + c.authMethod().value()
                            + "; use one of " + names(FAPI_AUTH_METHODS));
                }
            });

    /** {@code client-auth-methods} (every profile): the method is one the client record allows. */
    static final PolicyCheck CLIENT_AUTH_METHODS = PolicyCheck.at(
            EnumSet.of(PolicyEvent.REGISTRATION, PolicyEvent.CLIENT_AUTHENTICATION), c -> {
                ClientPolicy p = c.client().policy();
                if (!p.assigned()) {
                    return;
                }
                TokenEndpointAuthMethod method = c.event() == PolicyEvent.REGISTRATION ? c.client().authMethod()
                        : c.authMethod();
                if (!p.authMethods().contains(method)) {
                    String text = "the client may use " + names(p.authMethods()) + ", not " + method.value();
                    throw c.event() == PolicyEvent.REGISTRATION ? metadata(text) : Errors.invalidClient(text);
                }
            });

    /** {@code par-required}: authorization requests come through PAR only (FAPI 2.0 SP §5.3.2.2 1). */
    static final PolicyCheck PAR_REQUIRED = PolicyCheck.at(
            EnumSet.of(PolicyEvent.REGISTRATION, PolicyEvent.AUTHORIZATION), c -> {
                if (c.event() == PolicyEvent.REGISTRATION && !c.client().policy().parRequired()) {
                    throw metadata("profile " + c.client().policy().profile()
                            + " requires pushed authorization requests (require_pushed_authorization_requests)");
                }
                if (c.event() == PolicyEvent.AUTHORIZATION && c.pushed() == null) {
                    throw Errors.invalidRequest("this client must push its authorization requests (RFC 9126)");
                }
            });

    /**
     * {@code sender-constrained-tokens}: every access token is bound to a DPoP key or a certificate (FAPI 2.0
     * SP §5.3.2.1 8, §5.3.3): refused unbound at every grant, and refused if presented unbound.
     */
    static final PolicyCheck SENDER_CONSTRAINED = PolicyCheck.at(EnumSet.of(PolicyEvent.REGISTRATION,
            PolicyEvent.TOKEN_AUTHORIZATION_CODE, PolicyEvent.TOKEN_REFRESH_TOKEN, PolicyEvent.TOKEN_CLIENT_CREDENTIALS,
            PolicyEvent.USERINFO, PolicyEvent.INTROSPECTION, PolicyEvent.RESOURCE), c -> {
                if (c.event() == PolicyEvent.REGISTRATION) {
                    if (!c.client().policy().senderConstrained()) {
                        throw metadata("profile " + c.client().policy().profile()
                                + " requires sender-constrained access tokens (DPoP or mutual TLS)");
                    }
                } else if (TOKENS.contains(c.event())) {
                    if (c.binding() == null || c.binding().isNone()) {
                        throw Errors.invalidRequest("this client's tokens must be sender-constrained:"
                                + " send a DPoP proof or use a mutual-TLS connection");
                    }
                } else if (Confirmation.fromClaim(c.token().getClaim("cnf")).isNone()) {
                    throw new OAuthException(new ErrorObject("invalid_token",
                            "the access token is not sender-constrained, as its client's profile requires", 401));
                }
            });

    /**
     * {@code dpop-jkt} (every profile, RFC 9449 §10): at PAR a {@code dpop_jkt} is a thumbprint and agrees
     * with a proof sent along; the code's token request proves possession of that very key.
     */
    static final PolicyCheck DPOP_JKT = PolicyCheck.at(
            EnumSet.of(PolicyEvent.PAR, PolicyEvent.TOKEN_AUTHORIZATION_CODE), c -> {
                if (c.event() == PolicyEvent.PAR) {
                    String jkt = c.request().param("dpop_jkt");
                    if (jkt != null && !JKT.matcher(jkt).matches()) {
                        throw Errors.invalidRequest("dpop_jkt must be a base64url SHA-256 JWK thumbprint");
                    }
                    if (jkt != null && c.binding() != null && c.binding().isDpop() && !jkt.equals(c.binding().jkt())) {
                        throw new OAuthException(new ErrorObject("invalid_dpop_proof",
                                "dpop_jkt does not match the DPoP proof's key", 400));
                    }
                } else {
                    String required = c.pushed().dpopJkt();
                    if (required != null && !required.equals(c.binding().jkt())) {
                        throw new OAuthException(OAuth2Error.INVALID_GRANT.setDescription(
                                "the DPoP proof's key is not the key the authorization request named (dpop_jkt)"));
                    }
                }
            });

    /** {@code pkce-s256}: an S256 challenge at PAR (RFC 7636, FAPI 2.0 SP §5.3.2.2 3), its verifier at redemption. */
    static final PolicyCheck PKCE_S256 = PolicyCheck.at(
            EnumSet.of(PolicyEvent.PAR, PolicyEvent.TOKEN_AUTHORIZATION_CODE), c -> {
                if (c.event() == PolicyEvent.PAR) {
                    ParameterChecks.pkceS256(c.request());
                } else if (c.pushed().codeChallenge() == null) {
                    throw new OAuthException(OAuth2Error.INVALID_GRANT.setDescription(
                            "the code was issued without PKCE, which this client's profile requires"));
                } else if (c.params().get("code_verifier") == null) {
                    throw new OAuthException(OAuth2Error.INVALID_GRANT.setDescription("code_verifier is required (PKCE)"));
                }
            });

    private ClientChecks() {
    }

    /** RFC 7591 §3.2.2: the registration's metadata is refused. */
    public static OAuthException metadata(String description) {
        return new OAuthException(new ErrorObject("invalid_client_metadata", description, 400));
    }

    private static String names(Set<TokenEndpointAuthMethod> methods) {
        return methods.stream().map(TokenEndpointAuthMethod::value).sorted().toList().toString();
    }
}
