package org.obkm.oauth.internal.request;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.obkm.api.client.Client;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentType;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * The consent an authorization request names, FAPI 2.0 style: RFC 9396 {@code authorization_details}
 * (a form parameter, or a claim of the request object, RFC 9396 §3) whose objects of the open-banking
 * types {@code account_information}, {@code payment_initiation} and {@code funds_confirmation} reference a
 * UK consent resource by its ConsentId in the member {@value #CONSENT_ID}. The member's name follows the
 * PSD2 consent model (Berlin Group NextGenPSD2, whose consent resource id is {@code consentId}), in the
 * camelCase of RFC 9396 §2's own open-banking examples; no published RAR profile of the UK standard names one.
 * Checked at PAR with the same rules as the UK form ({@link OpenBankingIntents#consent}); a refusal is
 * {@code invalid_authorization_details} (RFC 9396 §5), 400.
 */
public final class AuthorizationDetails {

    /** The request parameter and claim (RFC 9396 §2). */
    public static final String PARAMETER = "authorization_details";
    /** The member of a detail naming the consent resource. */
    public static final String CONSENT_ID = "consentId";
    /** The open-banking types and the consent resource each references. */
    public static final Map<String, ConsentType> TYPES = Map.of("account_information", ConsentType.ACCOUNT_ACCESS,
            "payment_initiation", ConsentType.DOMESTIC_PAYMENT, "funds_confirmation", ConsentType.FUNDS_CONFIRMATION);

    private AuthorizationDetails() {
    }

    static OAuthException invalid(String description) {
        return new OAuthException(OAuth2Error.INVALID_AUTHORIZATION_DETAILS.setDescription(Errors.safe(description)));
    }

    /** The parameter's JSON from a request object claim: the array itself, or a string holding it. */
    static String fromClaim(Object claim) {
        if (claim == null) {
            return null;
        }
        return claim instanceof String s ? s : net.minidev.json.JSONValue.toJSONString(claim);
    }

    /** The details as parsed objects; checks the shape of RFC 9396 §2 and the types this server supports. */
    static List<Object> parse(String json, Set<String> supported) throws OAuthException {
        List<Object> details;
        try {
            details = JSONArrayUtils.parse(json);
        } catch (ParseException e) {
            details = null;
        }
        if (details == null) {
            throw invalid(PARAMETER + " must be a JSON array (RFC 9396, section 2)");
        }
        if (details.isEmpty()) {
            throw invalid(PARAMETER + " must not be empty");
        }
        for (Object d : details) {
            if (!(d instanceof Map<?, ?> m) || !(m.get("type") instanceof String type) || type.isEmpty()) {
                throw invalid("each authorization detail must be a JSON object with a type (RFC 9396, section 2)");
            }
            if (!supported.contains(type)) {
                throw invalid("authorization detail type " + type + " is not supported");
            }
        }
        return details;
    }

    /** The ConsentId that validated details reference; empty for none or unreadable details. */
    public static Optional<String> consentId(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            List<Object> details = JSONArrayUtils.parse(json);
            if (details != null) {
                for (Object d : details) {
                    if (d instanceof Map<?, ?> m && m.get(CONSENT_ID) instanceof String id && !id.isEmpty()) {
                        return Optional.of(id);
                    }
                }
            }
        } catch (ParseException e) {
            // checked at PAR: unreadable details name no consent
        }
        return Optional.empty();
    }

    /**
     * Checks the details a request carries, if any: the shape and types, one consent referenced by every
     * open-banking detail, of the detail's type, that this client may authorise with this scope.
     *
     * @param supported the types this server accepts ({@code authorization_details_types_supported})
     * @return the ConsentId, empty when the request carries no details
     */
    public static Optional<String> check(ConsentService consents, Client client, String scope, String json,
            Set<String> supported, Instant now) throws OAuthException {
        if (json == null) {
            return Optional.empty();
        }
        String id = null;
        for (Object d : parse(json, supported)) {
            Map<?, ?> m = (Map<?, ?>) d;
            ConsentType expected = TYPES.get((String) m.get("type"));
            if (expected == null) {
                continue; // a type the operator added beside the open-banking ones references no consent
            }
            if (!(m.get(CONSENT_ID) instanceof String ref) || ref.isEmpty()) {
                throw invalid("a " + m.get("type") + " authorization detail must name the consent in " + CONSENT_ID);
            }
            if (id != null && !id.equals(ref)) {
                throw invalid(PARAMETER + " may reference one consent only");
            }
            id = ref;
            Consent consent = OpenBankingIntents.consent(consents, client, scope, ref, now, AuthorizationDetails::invalid,
                    PARAMETER);
            if (consent.type() != expected) {
                throw invalid("an authorization detail of type " + m.get("type") + " cannot reference a "
                        + consent.type().code() + " consent");
            }
        }
        return Optional.ofNullable(id);
    }
}
