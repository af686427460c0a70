package org.obkm.oauth.internal.request;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.obkm.oauth.internal.CpuGate;
import org.obkm.api.client.Client;
import org.obkm.api.consent.ConsentService;
import org.obkm.oauth.internal.Errors;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ServerSettings;
import org.obkm.oauth.internal.endpoint.HttpIO;
import org.obkm.oauth.internal.policy.ClientProfile;
import org.obkm.oauth.internal.policy.ClientProfiles;
import org.obkm.oauth.internal.policy.PolicyContext;
import org.obkm.oauth.internal.sender.Confirmation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.JWTClaimsSetUtils;

/**
 * Validates a pushed authorization request in full at push time (RFC 9126 §2.1, FAPI 2.0 Security
 * Profile §5.3.2.2): the request object, when present, is authenticated, then the client's profile runs
 * its named checks, the consent it names is checked ({@link OpenBankingIntents}), and what passed becomes
 * a {@link PushedRequest}.
 */
@Component(service = AuthorizationRequestValidator.class)
public final class AuthorizationRequestValidator {

    private final ServerSettings settings;
    private final ClientProfiles profiles;
    private final Clock clock;
    private final RequestObjectVerifier requestObjects;
    /**
     * The open-banking consents, where this node serves them (feature obkm-consent); else null. Dynamic,
     * so that the consent bundle coming or going never takes PAR down with it.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConsentService consents;

    @Activate
    public AuthorizationRequestValidator(@Reference ServerSettings settings, @Reference ClientProfiles profiles,
            @Reference CpuGate gate) {
        this(settings, profiles, Clock.systemUTC(), gate, null);
    }

    /**
     * Ungated, at this clock: for tests. A factory, not a constructor: SCR tries every public constructor
     * with as many parameters as the activation constructor, and logged an ERROR at each start for this
     * one's {@code Clock}.
     */
    public static AuthorizationRequestValidator atClock(ServerSettings settings, ClientProfiles profiles, Clock clock) {
        return new AuthorizationRequestValidator(settings, profiles, clock, CpuGate.ungated(), null);
    }

    /** Ungated, at this clock, with these consents: for tests. */
    public AuthorizationRequestValidator(ServerSettings settings, ClientProfiles profiles, Clock clock,
            ConsentService consents) {
        this(settings, profiles, clock, CpuGate.ungated(), consents);
    }

    private AuthorizationRequestValidator(ServerSettings settings, ClientProfiles profiles, Clock clock, CpuGate gate,
            ConsentService consents) {
        this.settings = settings;
        this.profiles = profiles;
        this.clock = clock;
        this.consents = consents;
        // Only the request object's signature check holds a CPU permit, not the client's jwks_uri fetch.
        this.requestObjects = new RequestObjectVerifier(gate);
    }

    /** The validated request of an authenticated client's PAR form, sent without a DPoP proof. */
    public PushedRequest validate(Client client, HTTPRequest http) throws OAuthException {
        return validate(client, http, Confirmation.NONE);
    }

    /**
     * The validated request of an authenticated client's PAR form.
     *
     * @param proofKey the key of a valid DPoP proof sent with the PAR (RFC 9449 §10.1), else NONE
     */
    public PushedRequest validate(Client client, HTTPRequest http, Confirmation proofKey) throws OAuthException {
        Map<String, List<String>> form;
        try {
            form = http.getBodyAsFormParameters();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw Errors.invalidRequest("the body must be application/x-www-form-urlencoded");
        }
        if (form.containsKey("request_uri")) {
            throw Errors.invalidRequest("request_uri must not be sent to the PAR endpoint (RFC 9126, section 2.1)");
        }
        String clientId = HttpIO.param(http, "client_id");
        if (clientId != null && !clientId.equals(client.clientId())) {
            throw Errors.invalidRequest("client_id is not the authenticated client");
        }
        ClientProfile profile = profiles.profileOf(client);
        String request = HttpIO.param(http, "request");
        RequestContext context;
        String details;
        if (request == null) {
            context = context(client, null, null, form);
            details = HttpIO.param(http, AuthorizationDetails.PARAMETER);
        } else {
            SignedJWT jwt = requestObjects.verify(client, request);
            JWTClaimsSet claims;
            try {
                claims = jwt.getJWTClaimsSet();
            } catch (ParseException | NullPointerException e) {
                // Nimbus throws a NullPointerException for a payload that is the JSON null (OAuthParsersFuzzTest)
                throw RequestErrors.invalidRequestObject("request object claims are not a JSON object");
            }
            // With a request object, its claims are the parameters; the form's others are ignored (RFC 9126 §3).
            context = context(client, jwt.getHeader(), claims, JWTClaimsSetUtils.toMultiValuedParameters(claims));
            details = AuthorizationDetails.fromClaim(claims.getClaim(AuthorizationDetails.PARAMETER));
        }
        profile.enforce(PolicyContext.par(context, proofKey));
        String scope = context.param("scope");
        OpenBankingIntents.check(consents, client, scope, context.param("claims"), clock.instant());
        Optional<String> byDetails = AuthorizationDetails.check(consents, client, scope, details,
                settings.authorizationDetailsTypes(), clock.instant());
        Optional<String> byIntent = OpenBankingIntents.intentId(context.param("claims"));
        if (byDetails.isPresent() && byIntent.isPresent() && !byDetails.equals(byIntent)) {
            throw AuthorizationDetails.invalid(AuthorizationDetails.PARAMETER + " and " + OpenBankingIntents.CLAIM
                    + " name different consents");
        }
        return PushedRequest.from(context, profile).withAuthorizationDetails(details);
    }

    private RequestContext context(Client client, JWSHeader header, JWTClaimsSet claims,
            Map<String, List<String>> parameters) {
        return new RequestContext(client, settings.issuer(), clock.instant(),
                Duration.ofSeconds(settings.clockSkewSeconds()), header, claims, parameters);
    }
}
