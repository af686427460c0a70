package org.obkm.consent.internal.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.IdempotencyConflictException;
import org.obkm.api.consent.NewConsent;
import org.obkm.api.resource.MessageSignatureException;
import org.obkm.api.resource.MessageSignatures;
import org.obkm.api.resource.ResourceAccess;
import org.obkm.api.resource.ResourceTokenException;
import org.obkm.api.resource.ResourceTokens;
import org.obkm.consent.internal.validation.AccountAccessConsents;
import org.obkm.consent.internal.validation.DomesticPaymentConsents;
import org.obkm.consent.internal.validation.FundsConfirmationConsents;
import org.obkm.consent.internal.validation.UkError;
import org.obkm.consent.internal.validation.ValidConsent;
import org.obkm.consent.internal.validation.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The consent resources of the UK Read/Write API v3.1, thin: route, check the TPP's token (a
 * client_credentials token with the resource's scope, presented as it is bound: {@link ResourceTokens}),
 * validate the body, call the {@link ConsentService}, write the resource or a UK error. An unknown (or
 * deleted) ConsentId is 400, another TPP's is 403, a missing or refused token 401 with its challenge and
 * no body (Read/Write Data API profile, "HTTP Status Codes").
 */
final class ConsentServlet extends HttpServlet {

    /**
     * The base path, the public origin ({@code ""}: the request's), the largest body, and the trust
     * anchors a TPP's request signature may name.
     */
    record Settings(String basePath, String origin, int maxBodyBytes, java.util.Set<String> trustAnchors) {
    }

    /** Signs a response body: the detached JWS for {@code x-jws-signature}, or null when the bank signs none. */
    @FunctionalInterface
    interface ResponseSigner {
        String sign(byte[] body);
    }

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsentServlet.class);
    private static final int MAX_IDEMPOTENCY_KEY = 40;

    private final transient ConsentService consents;
    private final transient ResourceTokens tokens;
    private final transient MessageSignatures signatures;
    private final transient ResponseSigner signer;
    private final transient Settings settings;
    private final transient Clock clock;

    ConsentServlet(ConsentService consents, ResourceTokens tokens, MessageSignatures signatures, ResponseSigner signer,
            Settings settings, Clock clock) {
        this.consents = consents;
        this.tokens = tokens;
        this.signatures = signatures;
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Route route = Route.parse(req.getPathInfo());
        if (route == null) {
            UkResponses.error(resp, 404, UkError.RESOURCE_NOT_FOUND, "no such resource", null);
            return;
        }
        String method = req.getMethod();
        if (!route.allows(method)) {
            resp.setHeader("Allow", route.allowed());
            UkResponses.error(resp, 405, UkError.UNEXPECTED, method + " is not allowed here; use " + route.allowed(),
                    null);
            return;
        }
        try {
            ResourceAccess access = tokens.verify(new ServletView(req, url(req)));
            if (!access.scopes().contains(route.type().scope())) {
                refuseScope(resp, route.type().scope());
                return;
            }
            if (route.fundsConfirmation()) {
                fundsConfirmation(req, resp, route, access);
            } else if (access.userGrant()) {
                UkResponses.error(resp, 403, UkError.UNEXPECTED,
                        "the consent resources take a client_credentials access token", null);
            } else if ("POST".equals(method)) {
                create(req, resp, route.type(), access);
            } else if ("GET".equals(method)) {
                read(req, resp, route, access);
            } else {
                delete(resp, route, access);
            }
        } catch (ResourceTokenException e) {
            e.headers().forEach(resp::setHeader);
            if (e.status() == 401) {
                resp.setStatus(401);
            } else {
                UkResponses.error(resp, e.status(), UkError.HEADER_INVALID, e.getMessage(), null);
            }
        } catch (IllegalStateException e) {
            LOG.warn("{} {}: {}", method, req.getRequestURI(), e.getMessage());
            resp.setHeader("Retry-After", "1");
            UkResponses.error(resp, 503, UkError.UNEXPECTED, "the consent store is unavailable; retry shortly", null);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed: {}", method, req.getRequestURI(), e.toString());
            UkResponses.error(resp, 500, UkError.UNEXPECTED, "unexpected error", null);
        }
    }

    private void create(HttpServletRequest req, HttpServletResponse resp, ConsentType type, ResourceAccess access)
            throws IOException {
        String key = null;
        if (type == ConsentType.DOMESTIC_PAYMENT) {
            key = req.getHeader("x-idempotency-key");
            if (key == null) {
                UkResponses.error(resp, 400, UkError.HEADER_MISSING, "x-idempotency-key is required",
                        "x-idempotency-key");
                return;
            }
            if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.strip().equals(key)) {
                UkResponses.error(resp, 400, UkError.HEADER_INVALID, "x-idempotency-key must be 1 to "
                        + MAX_IDEMPOTENCY_KEY + " characters without surrounding spaces", "x-idempotency-key");
                return;
            }
        }
        String type0 = req.getContentType();
        if (type0 == null || !type0.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            UkResponses.error(resp, 415, UkError.RESOURCE_INVALID_FORMAT, "the body must be application/json", null);
            return;
        }
        byte[] body;
        try {
            body = readBody(req);
        } catch (IOException | RuntimeException e) {
            // Cut off, stalled or trickling below the server's minimum data rate (Jetty throws a
            // BadMessageException for that): the client's fault, never a 500 (issue 16).
            UkResponses.error(resp, 400, UkError.RESOURCE_INVALID_FORMAT, "the body could not be read", null);
            return;
        }
        if (body == null) {
            UkResponses.error(resp, 413, UkError.RESOURCE_INVALID_FORMAT, "the body is larger than "
                    + settings.maxBodyBytes() + " bytes", null);
            return;
        }
        if (type == ConsentType.DOMESTIC_PAYMENT && !signatureVerified(req, resp, access, body)) {
            return;
        }
        ValidConsent valid;
        try {
            Map<String, Object> json = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
            if (json == null) {
                // JSONObjectUtils takes the JSON null as a null map (a 500 before issue 16's fuzzing)
                throw new ParseException("the JSON null", 0);
            }
            valid = switch (type) {
                case ACCOUNT_ACCESS -> AccountAccessConsents.validate(json, clock.instant());
                case DOMESTIC_PAYMENT -> DomesticPaymentConsents.validate(json);
                case FUNDS_CONFIRMATION -> FundsConfirmationConsents.validate(json, clock.instant());
            };
        } catch (ParseException e) {
            UkResponses.error(resp, 400, UkError.RESOURCE_INVALID_FORMAT, "the body is not a JSON object", null);
            return;
        } catch (ValidationException e) {
            UkResponses.error(resp, 400, "the request body is invalid", e.errors());
            return;
        }
        Created created;
        try {
            created = consents.create(new NewConsent(type, access.clientId(), valid.data(), valid.risk(),
                    valid.expiresAt(), key, key == null ? null : sha256(body)));
        } catch (IdempotencyConflictException e) {
            UkResponses.error(resp, 400, UkError.HEADER_INVALID, e.getMessage(), "x-idempotency-key");
            return;
        }
        Consent c = created.consent();
        answer(resp, 201, c.type(), ConsentJson.of(c, self(req, Route.of(c))));
    }

    private void read(HttpServletRequest req, HttpServletResponse resp, Route route, ResourceAccess access)
            throws IOException {
        Optional<Consent> c = owned(resp, route, access);
        if (c.isPresent()) {
            answer(resp, 200, c.get().type(), ConsentJson.of(c.get(), self(req, route)));
        }
    }

    private void delete(HttpServletResponse resp, Route route, ResourceAccess access) throws IOException {
        if (owned(resp, route, access).isPresent()) {
            consents.delete(route.id(), "client:" + access.clientId());
            resp.setStatus(204);
        }
    }

    /**
     * {@code GET /domestic-payment-consents/{ConsentId}/funds-confirmation}: an authorization-code token of
     * the PSU bound to this consent, on an Authorised consent. Until tokens carry their consent (the
     * binding at PAR) no token is bound to one, so this answers 403; the status rule is in place.
     */
    private void fundsConfirmation(HttpServletRequest req, HttpServletResponse resp, Route route,
            ResourceAccess access) throws IOException {
        if (!access.userGrant() || !route.id().equals(access.claims().get("openbanking_intent_id"))) {
            UkResponses.error(resp, 403, UkError.RESOURCE_CONSENT_MISMATCH,
                    "funds confirmation takes the PSU's access token authorised for this consent", null);
            return;
        }
        Optional<Consent> c = owned(resp, route, access);
        if (c.isEmpty()) {
            return;
        }
        if (!c.get().isActive(clock.instant())) {
            UkResponses.error(resp, 400, UkError.RESOURCE_INVALID_CONSENT_STATUS, "the consent is "
                    + c.get().status().wire() + (c.get().isExpired(clock.instant()) ? " and expired" : "")
                    + ", not Authorised", null);
            return;
        }
        // Data.FundsAvailableResult is 0..1: it is answered once a bank backend reports balances.
        answer(resp, 200, ConsentType.DOMESTIC_PAYMENT, Map.of("Data", Map.of(), "Links",
                Map.of("Self", self(req, route)), "Meta", Map.of()));
    }

    /**
     * The TPP's detached signature of a payment consent request, checked with its registered keys; a
     * missing or refused one is answered 400 here (Read/Write Data API profile, "Message Signing").
     */
    private boolean signatureVerified(HttpServletRequest req, HttpServletResponse resp, ResourceAccess access,
            byte[] body) throws IOException {
        String jws = req.getHeader("x-jws-signature");
        if (jws == null) {
            UkResponses.error(resp, 400, "UK.OBIE.Signature.Missing", "x-jws-signature is required",
                    "x-jws-signature");
            return false;
        }
        try {
            signatures.verify(access.clientId(), jws, body, settings.trustAnchors());
            return true;
        } catch (MessageSignatureException e) {
            UkResponses.error(resp, 400, e.kind().errorCode(), e.getMessage(), "x-jws-signature");
            return false;
        }
    }

    /** A resource answer; payment consents' answers are signed by the bank (a "Signed Response"). */
    private void answer(HttpServletResponse resp, int status, ConsentType type, Map<String, ?> body)
            throws IOException {
        byte[] bytes = UkResponses.bytes(body);
        if (type == ConsentType.DOMESTIC_PAYMENT && signer != null) {
            String jws = signer.sign(bytes);
            if (jws != null) {
                resp.setHeader("x-jws-signature", jws);
            }
        }
        UkResponses.write(resp, status, bytes);
    }

    /** The route's consent if it exists, is of the route's type, is the token's client's and is not deleted. */
    private Optional<Consent> owned(HttpServletResponse resp, Route route, ResourceAccess access) throws IOException {
        Optional<Consent> c = consents.find(route.id()).filter(x -> x.type() == route.type());
        if (c.isPresent() && !c.get().clientId().equals(access.clientId())) {
            UkResponses.error(resp, 403, UkError.RESOURCE_CONSENT_MISMATCH, "the consent belongs to another TPP", null);
            return Optional.empty();
        }
        if (c.isEmpty() || c.get().isDeleted()) {
            UkResponses.error(resp, 400, UkError.RESOURCE_NOT_FOUND, "no consent " + route.id(), "ConsentId");
            return Optional.empty();
        }
        return c;
    }

    private static void refuseScope(HttpServletResponse resp, String scope) throws IOException {
        resp.setHeader("WWW-Authenticate", "Bearer realm=\"obkm\", error=\"insufficient_scope\", scope=\"" + scope + "\"");
        UkResponses.error(resp, 403, UkError.UNEXPECTED, "the access token lacks the scope " + scope, null);
    }

    /** The body, or null when it is larger than allowed. */
    private byte[] readBody(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > settings.maxBodyBytes()) {
            return null;
        }
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes(settings.maxBodyBytes() + 1);
            return bytes.length > settings.maxBodyBytes() ? null : bytes;
        }
    }

    private String url(HttpServletRequest req) {
        return req.getRequestURL().toString();
    }

    private String self(HttpServletRequest req, Route route) {
        String origin = settings.origin();
        if (origin.isEmpty()) {
            String url = req.getRequestURL().toString();
            String uri = req.getRequestURI();
            origin = url.substring(0, url.length() - uri.length());
        }
        return origin + req.getContextPath() + settings.basePath() + route.selfPath();
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
