package org.obkm.oauth.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentLifecycle;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.ConsentType;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.NewConsent;

/** Consents in a map, following {@link ConsentLifecycle}, for the tests of the consent binding. */
public final class InMemoryConsents implements ConsentService {

    public static final String ACCOUNT_DATA = "{\"Permissions\":[\"ReadAccountsDetail\",\"ReadBalances\"],"
            + "\"ExpirationDateTime\":\"2099-08-02T00:00:00+00:00\"}";
    public static final String PAYMENT_DATA = "{\"Initiation\":{\"InstructionIdentification\":\"ACME412\","
            + "\"EndToEndIdentification\":\"FRESCO.21302.GFX.20\",\"InstructedAmount\":{\"Amount\":\"165.88\","
            + "\"Currency\":\"GBP\"},\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\","
            + "\"Identification\":\"08080021325698\",\"Name\":\"ACME Inc\"},"
            + "\"RemittanceInformation\":{\"Reference\":\"FRESCO-101\"}}}";

    private final Map<String, Consent> consents = new ConcurrentHashMap<>();

    /** Stores a consent of this client, AwaitingAuthorisation; returns it. */
    public Consent put(String id, ConsentType type, String clientId, String data, Instant expiresAt) {
        Instant now = Instant.now();
        Consent c = new Consent(id, type, clientId, ConsentStatus.AWAITING_AUTHORISATION, now, now, expiresAt, data,
                type == ConsentType.FUNDS_CONFIRMATION ? null : "{}", null, List.of(), null);
        consents.put(id, c);
        return c;
    }

    @Override
    public Created create(NewConsent consent) {
        throw new UnsupportedOperationException("not needed by these tests");
    }

    @Override
    public Optional<Consent> find(String consentId) {
        return Optional.ofNullable(consents.get(consentId));
    }

    @Override
    public List<Consent> list(ConsentQuery query) {
        return List.copyOf(consents.values());
    }

    @Override
    public List<ConsentEvent> history(String consentId) {
        return List.of();
    }

    @Override
    public synchronized Consent transition(String consentId, ConsentStatus expected, ConsentStatus to, String actor,
            String reason) throws ConsentStateException {
        Consent c = find(consentId).orElseThrow(NoSuchElementException::new);
        String refusal = c.status() != expected ? "moved" : ConsentLifecycle.refusal(c, to, Instant.now());
        if (refusal != null) {
            throw new ConsentStateException(c, refusal);
        }
        Consent next = with(c, to, c.subject(), c.accounts(), null);
        consents.put(consentId, next);
        return next;
    }

    @Override
    public synchronized Consent authorise(String consentId, String subject, List<String> accounts, String actor)
            throws ConsentStateException {
        Consent c = find(consentId).orElseThrow(NoSuchElementException::new);
        String refusal = ConsentLifecycle.refusal(c, ConsentStatus.AUTHORISED, Instant.now());
        if (refusal != null || c.isDeleted()) {
            throw new ConsentStateException(c, refusal == null ? "deleted" : refusal);
        }
        Consent next = with(c, ConsentStatus.AUTHORISED, subject, accounts, null);
        consents.put(consentId, next);
        return next;
    }

    @Override
    public synchronized Consent delete(String consentId, String actor) {
        Consent c = find(consentId).orElseThrow(NoSuchElementException::new);
        ConsentStatus to = c.status() == ConsentStatus.AUTHORISED ? ConsentStatus.REVOKED
                : c.status() == ConsentStatus.AWAITING_AUTHORISATION ? ConsentStatus.REJECTED : c.status();
        Consent next = with(c, to, c.subject(), c.accounts(), Instant.now());
        consents.put(consentId, next);
        return next;
    }

    private static Consent with(Consent c, ConsentStatus status, String subject, List<String> accounts,
            Instant deletedAt) {
        return new Consent(c.id(), c.type(), c.clientId(), status, c.createdAt(), Instant.now(), c.expiresAt(),
                c.data(), c.risk(), subject, accounts, deletedAt != null ? deletedAt : c.deletedAt());
    }
}
