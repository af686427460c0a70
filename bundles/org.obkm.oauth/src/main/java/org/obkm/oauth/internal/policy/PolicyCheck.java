package org.obkm.oauth.internal.policy;

import java.util.EnumSet;
import java.util.Set;

import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.request.AuthorizationRequestCheck;

/**
 * One named rule of a client profile, in the manner of Keycloak's client policy executors: it declares the
 * events it applies to, and at each of them returns or throws the OAuth error the request deserves. A
 * profile is nothing but a configured list of these names.
 */
public interface PolicyCheck {

    /** The events this check applies to. */
    public Set<PolicyEvent> events();

    public void check(PolicyContext context) throws OAuthException;

    /** A check of the events given. */
    public static PolicyCheck at(Set<PolicyEvent> events, Rule rule) {
        Set<PolicyEvent> copy = Set.copyOf(EnumSet.copyOf(events));
        return new PolicyCheck() {
            @Override
            public Set<PolicyEvent> events() {
                return copy;
            }

            @Override
            public void check(PolicyContext context) throws OAuthException {
                rule.check(context);
            }
        };
    }

    /** An authorization request check, asked at PAR (RFC 9126 §2.1: validated in full at push time). */
    public static PolicyCheck atPar(AuthorizationRequestCheck check) {
        return at(EnumSet.of(PolicyEvent.PAR), c -> check.check(c.request()));
    }

    /** The body of a check. */
    @FunctionalInterface
    public interface Rule {
        void check(PolicyContext context) throws OAuthException;
    }
}
