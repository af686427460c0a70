package org.obkm.oauth.internal.consent;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentService;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.request.AuthorizationDetails;
import org.obkm.oauth.internal.request.OpenBankingIntents;
import org.obkm.oauth.internal.request.PushedRequest;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The binding of tokens to the open-banking consent they were authorised under. A token of such an
 * authorization carries the ConsentId as {@value #CLAIM} (access token, ID token, grant); it is honoured
 * only while that consent is active (Authorised, not expired, not deleted: {@link Consent#isActive}),
 * checked at every introspection and refresh against the consent service's node cache, which every change
 * of a consent invalidates on all members before the change returns. A token bound to a consent on a node
 * that serves no consents is never active: the binding fails closed.
 */
@Component(service = ConsentBinding.class)
public final class ConsentBinding {

    /** The claim naming the consent (UK Open Banking's {@code openbanking_intent_id}). */
    public static final String CLAIM = OpenBankingIntents.CLAIM;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConsentService consents;

    private final Clock clock;

    public ConsentBinding() {
        this(null, Clock.systemUTC());
    }

    /** With these consents (null: none) at this clock: for tests. */
    public ConsentBinding(ConsentService consents, Clock clock) {
        this.consents = consents;
        this.clock = clock;
    }

    /** The consent service, or null where this node serves no consents. */
    public ConsentService service() {
        return consents;
    }

    /**
     * The ConsentId a validated pushed request names, if any, in either form (its claims and authorization
     * details were checked at PAR, and agree when both name one).
     */
    public static Optional<String> intentOf(PushedRequest request) {
        try {
            Optional<String> intent = OpenBankingIntents.intentId(request.claims());
            return intent.isPresent() ? intent : AuthorizationDetails.consentId(request.authorizationDetails());
        } catch (OAuthException e) {
            return Optional.empty();
        }
    }

    /** The ConsentId a grant's details name, if any. */
    public static Optional<String> intentOf(Map<String, Object> grantDetails) {
        return grantDetails.get(CLAIM) instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    /** The consent, when it is active now; empty when it is not, is unknown, or no consents are served here. */
    public Optional<Consent> active(String consentId) {
        ConsentService service = consents;
        if (service == null || consentId == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return service.find(consentId).filter(c -> c.isActive(now));
    }

    /**
     * What introspection says of a consent (RFC 7662 §2.2 allows further members): its id as
     * {@value #CLAIM}, and a {@code consent} object with its type, status, permissions, selected accounts
     * and expiry, so the gateway needs no second call.
     */
    public static Map<String, Object> introspection(Consent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("type", c.type().code());
        m.put("status", c.status().wire());
        m.put("permissions", permissions(c));
        m.put("accounts", c.accounts());
        if (c.expiresAt() != null) {
            m.put("expiration_date_time", c.expiresAt().toString());
        }
        return m;
    }

    /**
     * Authorization details as granted (RFC 9396 §7, §9.2): each open-banking detail referencing the consent
     * gets the consent's {@code status} and the {@code accounts} the PSU selected on the consent page (the
     * enrichment RFC 9396 §7 allows); other details as requested.
     *
     * @param details the details as checked at PAR, a JSON array or its parsed list
     * @param c the consent they reference, or null for details that reference none
     */
    public static List<Object> enrich(Object details, Consent c) {
        List<Object> out = new ArrayList<>();
        List<?> list = details instanceof List<?> l ? l : parsed(details);
        for (Object d : list) {
            if (c != null && d instanceof Map<?, ?> m && c.id().equals(m.get(AuthorizationDetails.CONSENT_ID))) {
                Map<String, Object> e = new LinkedHashMap<>();
                m.forEach((k, v) -> e.put(String.valueOf(k), v));
                e.put("status", c.status().wire());
                e.put("accounts", c.accounts());
                out.add(e);
            } else {
                out.add(d);
            }
        }
        return out;
    }

    private static List<?> parsed(Object details) {
        try {
            List<?> l = details instanceof String s ? com.nimbusds.jose.util.JSONArrayUtils.parse(s) : null;
            return l == null ? List.of() : l;
        } catch (java.text.ParseException e) {
            return List.of();
        }
    }

    /** The {@code Data.Permissions} of an account-access consent; empty for the other types. */
    public static List<String> permissions(Consent c) {
        List<String> out = new ArrayList<>();
        try {
            if (JSONObjectUtils.parse(c.data()).get("Permissions") instanceof List<?> l) {
                l.forEach(p -> out.add(String.valueOf(p)));
            }
        } catch (java.text.ParseException e) {
            // stored after validation; unreadable data names no permission
        }
        return out;
    }
}
