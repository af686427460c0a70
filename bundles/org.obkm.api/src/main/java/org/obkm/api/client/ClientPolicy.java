package org.obkm.api.client;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a client is held to at every event (registration, PAR, authorization, each token grant, each
 * resource request), stored on its record: the profile that names the checks, and the requirements an
 * operator can see and an auditor can read from the record alone. A profile's checks keep these
 * consistent: a {@code fapi2-security-profile} client cannot be stored without PAR, sender-constrained
 * tokens, or with an authentication method FAPI 2.0 Security Profile §5.3.2.1 does not allow.
 *
 * @param profile the profile name ({@code fapi2-security-profile}, {@code fapi2-message-signing},
 *        {@code fapi1-advanced}, {@code none}, or one an operator configured), or {@code null} for a record stored before profiles were kept on clients
 * @param parRequired whether authorization requests must be pushed (RFC 9126 §6
 *        {@code require_pushed_authorization_requests})
 * @param senderConstrained whether every access token must be bound to a DPoP key (RFC 9449) or a client
 *        certificate (RFC 8705)
 * @param authMethods the token endpoint authentication methods the client may register and use
 */
public record ClientPolicy(String profile, boolean parRequired, boolean senderConstrained,
        Set<TokenEndpointAuthMethod> authMethods) {

    /** A record stored before its profile was: the configured default or legacy mapping decides. */
    public static final ClientPolicy UNASSIGNED = new ClientPolicy(null, false, false,
            EnumSet.allOf(TokenEndpointAuthMethod.class));

    public ClientPolicy {
        authMethods = authMethods == null || authMethods.isEmpty() ? Set.of() : Set.copyOf(authMethods);
    }

    /** Whether the record names its profile (false only for records from before the profile was kept). */
    public boolean assigned() {
        return profile != null;
    }
}
