package org.obkm.oauth.internal.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.obkm.api.user.User;
import org.obkm.api.user.UserStore;

import com.nimbusds.oauth2.sdk.Scope;

/**
 * The standard claims a user's granted scopes release (OpenID Connect Core §5.4): {@code sub} always;
 * {@code profile}: {@code name} (when the user has a display name) and {@code preferred_username}, the
 * name the user signs in with; {@code email}: the first {@code email} attribute, when there is one.
 */
final class ScopeClaims {

    private ScopeClaims() {
    }

    static Map<String, Object> of(String subject, Scope granted, User user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", subject);
        if (granted.contains("profile")) {
            if (!user.displayName().isEmpty()) {
                out.put("name", user.displayName());
            }
            out.put("preferred_username", signInName(user));
        }
        if (granted.contains("email")) {
            List<String> email = user.attributes().getOrDefault("email", List.of());
            if (!email.isEmpty()) {
                out.put("email", email.get(0));
            }
        }
        return out;
    }

    /** The name a user signs in with: the bare name in the primary store, else {@code DOMAIN/name}. */
    static String signInName(User u) {
        return UserStore.PRIMARY.equals(u.domain()) ? u.username() : u.domain() + "/" + u.username();
    }
}
