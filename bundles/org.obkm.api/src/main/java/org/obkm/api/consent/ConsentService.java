package org.obkm.api.consent;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The consents in the shared database. Every change is one conditional update of the consent's row
 * (compare-and-set on its status), so two nodes can never both move the same consent, and each change
 * writes its {@link ConsentEvent} in the same transaction.
 */
@ProviderType
public interface ConsentService {

    /**
     * Stores a new consent, AwaitingAuthorisation. With an idempotency key, the same client and key
     * within the last 24 hours give back the existing consent as it is now ({@link Created#replayed()}).
     *
     * @throws IdempotencyConflictException the key was used within 24 hours for a different body
     */
    Created create(NewConsent consent) throws IdempotencyConflictException;

    /** The consent with this id, deleted or not; empty when there is none. */
    Optional<Consent> find(String consentId);

    /** Consents by the query, newest first, deleted ones included. */
    List<Consent> list(ConsentQuery query);

    /** The consent's audit trail, oldest first; empty for an unknown consent. */
    List<ConsentEvent> history(String consentId);

    /**
     * Moves a consent from the status it is in to {@code to}, as {@link ConsentLifecycle} allows.
     *
     * @param expected the status the caller saw; the change happens only if the consent is still in it
     * @param actor who (see {@link ConsentEvent#actor()})
     * @param reason why, for the audit trail
     * @throws ConsentStateException the lifecycle refuses it, or the consent moved meanwhile
     * @throws java.util.NoSuchElementException no such consent
     */
    Consent transition(String consentId, ConsentStatus expected, ConsentStatus to, String actor, String reason)
            throws ConsentStateException;

    /**
     * The PSU authorised it at the bank: AwaitingAuthorisation to Authorised, with the PSU and the accounts
     * selected (for re-authentication of an Authorised account consent the accounts are replaced and the
     * status stays).
     *
     * @throws ConsentStateException not AwaitingAuthorisation (or Authorised, for re-authentication), or expired
     */
    Consent authorise(String consentId, String subject, List<String> accounts, String actor)
            throws ConsentStateException;

    /**
     * The TPP deleted it (DELETE on its resource): a soft delete, after which it reads as unknown to the
     * TPP. An Authorised consent becomes Revoked and an AwaitingAuthorisation one Rejected in the same
     * update, so nothing can be authorised or honoured under it again.
     *
     * @return the consent after the delete; a consent deleted before is returned as it is
     * @throws java.util.NoSuchElementException no such consent
     */
    Consent delete(String consentId, String actor);
}
