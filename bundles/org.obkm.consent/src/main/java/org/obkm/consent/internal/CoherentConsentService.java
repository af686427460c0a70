package org.obkm.consent.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.consent.Consent;
import org.obkm.api.consent.ConsentEvent;
import org.obkm.api.consent.ConsentQuery;
import org.obkm.api.consent.ConsentService;
import org.obkm.api.consent.ConsentStateException;
import org.obkm.api.consent.ConsentStatus;
import org.obkm.api.consent.Created;
import org.obkm.api.consent.IdempotencyConflictException;
import org.obkm.api.consent.NewConsent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The consents behind a node-local cache of {@link #find}, the lookup every introspection and refresh of
 * a consent-bound token makes. Every change goes to the database first ({@link JdbcConsentService}) and
 * then invalidates the consent on every member before it returns, so a consent revoked or deleted on one
 * node makes its tokens inactive on all of them by the time the revoking call answers (within the bus's
 * bound when a member does not confirm; a member that leaves or rejoins clears the whole cache).
 * Expiry needs no message: the cached consent carries its ExpirationDateTime.
 */
@Component(service = {ConsentService.class, InvalidationListener.class},
        property = InvalidationListener.REGION + "=" + CoherentConsentService.REGION)
public final class CoherentConsentService implements ConsentService, InvalidationListener {

    static final String REGION = "consents";
    /** Beyond this many cached consents the cache starts again; a miss costs one indexed read. */
    static final int MAX_CACHED = 100_000;

    private final JdbcConsentService store;
    private final InvalidationBus bus;
    private final ConcurrentHashMap<String, Optional<Consent>> cache = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    @Activate
    public CoherentConsentService(@Reference JdbcConsentService store, @Reference InvalidationBus bus) {
        this.store = store;
        this.bus = bus;
    }

    @Override
    public Created create(NewConsent consent) throws IdempotencyConflictException {
        Created created = store.create(consent);
        // a lookup of the new id before it existed may have cached "absent" somewhere
        bus.invalidate(REGION, created.consent().id());
        return created;
    }

    @Override
    public Optional<Consent> find(String consentId) {
        Optional<Consent> cached = cache.get(consentId);
        if (cached != null) {
            return cached;
        }
        long generation = invalidations.get();
        Optional<Consent> loaded = store.find(consentId);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        // An invalidation that raced with the load wins: cache only what nothing has touched since.
        if (invalidations.get() == generation) {
            cache.putIfAbsent(consentId, loaded);
        }
        return loaded;
    }

    @Override
    public List<Consent> list(ConsentQuery query) {
        return store.list(query);
    }

    @Override
    public List<ConsentEvent> history(String consentId) {
        return store.history(consentId);
    }

    @Override
    public Consent transition(String consentId, ConsentStatus expected, ConsentStatus to, String actor, String reason)
            throws ConsentStateException {
        try {
            return store.transition(consentId, expected, to, actor, reason);
        } finally {
            bus.invalidate(REGION, consentId);
        }
    }

    @Override
    public Consent authorise(String consentId, String subject, List<String> accounts, String actor)
            throws ConsentStateException {
        try {
            return store.authorise(consentId, subject, accounts, actor);
        } finally {
            bus.invalidate(REGION, consentId);
        }
    }

    @Override
    public Consent delete(String consentId, String actor) {
        try {
            return store.delete(consentId, actor);
        } finally {
            bus.invalidate(REGION, consentId);
        }
    }

    @Override
    public void invalidate(String key) {
        invalidations.incrementAndGet();
        if (key == null) {
            cache.clear();
        } else {
            cache.remove(key);
        }
    }

    @Override
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.clear();
    }

    /** How many consents this node holds in its cache: for tests. */
    int cached() {
        return cache.size();
    }
}
