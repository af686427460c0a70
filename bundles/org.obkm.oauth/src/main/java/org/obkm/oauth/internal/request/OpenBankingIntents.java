package org.obkm.oauth.internal.request;

import java.text.ParseException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.obkm.api.client.Client;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentLifecycle;
import org.obkm.api.consent.ConsentService;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.Scope;

/**
 * The consent an authorization request names, UK style: the {@code openbanking_intent_id} claim
 * requested in the OIDC {@code claims} parameter (OIDC Core §5.5) under {@code id_token} and/or
 * {@code userinfo}, with its {@code value} the ConsentId. Checked at PAR: the consent exists, is the
 * client's, may still be authorised and matches the requested scope ({@link ConsentLifecycle#authorisationRefusal});
 * otherwise {@code invalid_request} (OIDC Core §3.1.2.6).
 */
public final class OpenBankingIntents {

    /** The claim's name (UK Open Banking; the OpenID Foundation's conformance suite requests it). */
    public static final String CLAIM = "openbanking_intent_id";

    private OpenBankingIntents() {
    }

    /**
     * The ConsentId a claims request names, if any.
     *
     * @throws OAuthException {@code invalid_request} for a claims parameter that is no JSON object, an intent
     *         claim without a string value, or different values under id_token and userinfo
     */
    public static Optional<String> intentId(String claims) throws OAuthException {
        if (claims == null) {
            return Optional.empty();
        }
        Map<String, Object> request;
        try {
            request = JSONObjectUtils.parse(claims);
            if (request == null) {
                // JSONObjectUtils takes the JSON null as a null map (found by OAuthParsersFuzzTest)
                throw new ParseException("the JSON null", 0);
            }
        } catch (ParseException e) {
            throw Errors.invalidRequest("claims must be a JSON object (OpenID Connect Core, section 5.5)");
        }
        String fromIdToken = value(request, "id_token");
        String fromUserinfo = value(request, "userinfo");
        if (fromIdToken != null && fromUserinfo != null && !fromIdToken.equals(fromUserinfo)) {
            throw Errors.invalidRequest(CLAIM + " names two different consents");
        }
        return Optional.ofNullable(fromIdToken != null ? fromIdToken : fromUserinfo);
    }

    private static String value(Map<String, Object> request, String member) throws OAuthException {
        if (!(request.get(member) instanceof Map<?, ?> m) || !m.containsKey(CLAIM)) {
            return null;
        }
        if (!(m.get(CLAIM) instanceof Map<?, ?> claim) || !(claim.get("value") instanceof String v) || v.isEmpty()) {
            throw Errors.invalidRequest(CLAIM + " in claims." + member + " must carry the ConsentId as its value");
        }
        return v;
    }

    /**
     * Checks the consent a request names, if it names one.
     *
     * @param consents the consent service, or {@code null} where the node serves no consents
     * @throws OAuthException {@code invalid_request} when the consent is unknown, another client's, expired,
     *         deleted, in a status no authorization may start on, or of another scope
     */
    public static void check(ConsentService consents, Client client, String scope, String claims, Instant now)
            throws OAuthException {
        Optional<String> id = intentId(claims);
        if (id.isPresent()) {
            consent(consents, client, scope, id.get(), now, Errors::invalidRequest, CLAIM);
        }
    }

    /**
     * The consent an authorization request names, when it may be authorised by this client with this
     * scope: the one check of both forms, UK ({@value #CLAIM}) and RFC 9396 ({@link AuthorizationDetails}).
     *
     * @param error the error of the form that named it ({@code invalid_request}, {@code invalid_authorization_details})
     * @param label what named it, for the error description
     */
    static Consent consent(ConsentService consents, Client client, String scope, String id, Instant now,
            Function<String, OAuthException> error, String label) throws OAuthException {
        if (consents == null) {
            throw error.apply("this server holds no open-banking consents; " + label + " cannot be honoured");
        }
        Optional<Consent> consent = consents.find(id);
        if (consent.isEmpty()) {
            throw error.apply(label + ": no consent " + id);
        }
        Set<String> scopes = scope == null ? Set.of() : Set.copyOf(Scope.parse(scope).toStringList());
        String refusal = ConsentLifecycle.authorisationRefusal(consent.get(), client.clientId(), scopes, now);
        if (refusal != null) {
            // another client's consent reads as unknown: its existence is not the requester's business
            throw error.apply(label + ": " + (consent.get().clientId().equals(client.clientId()) ? refusal
                    : "no consent " + id));
        }
        return consent.get();
    }
}
