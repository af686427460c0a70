package org.obkm.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicies;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.cluster.CacheStatistics;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.store.ClientRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients in the shared database ({@link ClientRepository}) behind a node-local cache. Writes go to the database first, then
 * invalidate the entry on every member, so a client deleted on one node is refused on all of them
 * when the delete returns.
 *
 * <p>Client secrets are 256 random bits made here, so one SHA-256 is as strong as a slow KDF against
 * guessing and keeps the token endpoint at the signing limit; passwords chosen by people (users)
 * get a slow KDF instead.
 */
@Component(service = {ClientService.class, InvalidationListener.class},
        property = InvalidationListener.REGION + "=" + ClientServiceImpl.REGION)
public final class ClientServiceImpl implements ClientService, InvalidationListener, CacheStatistics {

    static final String REGION = "clients";
    private static final int MAX_CACHED = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(ClientServiceImpl.class);

    private final ClientRepository repository;
    private final InvalidationBus bus;
    /**
     * Dynamic and optional: the profiles are re-made whenever {@code org.obkm.oauth} changes, and lookups,
     * which every request makes, must not stop meanwhile. Only registration and update need them.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClientPolicies policies;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Optional<Client>> cache = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    @Activate
    public ClientServiceImpl(@Reference ClientRepository repository, @Reference InvalidationBus bus) {
        this.repository = repository;
        this.bus = bus;
    }

    /** With the profiles given, for tests. */
    ClientServiceImpl(ClientRepository repository, InvalidationBus bus, ClientPolicies policies) {
        this(repository, bus);
        this.policies = policies;
    }

    @Override
    public CreatedClient create(ClientRegistration r) {
        ClientRegistrationValidator.validate(r);
        String clientId = newClientId(random);
        String secret = r.authMethod().usesSecret() ? randomToken(32) : null;
        Client candidate = new Client(clientId, r.name().strip(), r.grantTypes(), r.scopes(), r.authMethod(),
                secret == null ? null : hash(secret), blankToNull(r.jwks()), blankToNull(r.jwksUri()),
                r.redirectUris(), blankToNull(r.tlsSubjectDn()), Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .withJarm(ClientChanges.stored(r.jarm())).withSoftware(r.software());
        // The profile's registration checks: a client that its profile would refuse at every later event
        // is refused now, with the reason.
        Client client = candidate.withPolicy(
                policies().resolve(candidate, blankToNull(r.profile()), r.parRequired(), r.senderConstrained()));
        repository.insert(client);
        // A lookup of this id may have cached "absent" on some node.
        bus.invalidate(REGION, clientId);
        LOG.info("Client {} ({}) registered with {}, profile {}", clientId, client.name(), client.authMethod().value(),
                client.policy().profile());
        return new CreatedClient(client, secret);
    }

    @Override
    public Optional<Client> update(String clientId, ClientUpdate u) {
        Optional<Client> existing = repository.find(clientId);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Client updated = ClientChanges.apply(existing.get(), u, policies());
        if (!repository.update(updated)) {
            return Optional.empty();
        }
        bus.invalidate(REGION, clientId);
        LOG.info("Client {} ({}) updated, profile {}", clientId, updated.name(), updated.policy().profile());
        return Optional.of(updated);
    }

    /** The client profiles, or a refusal an operator can retry while they are being re-made. */
    private ClientPolicies policies() {
        ClientPolicies p = policies;
        if (p == null) {
            throw new IllegalStateException("the client profiles (org.obkm.oauth) are not available yet; retry shortly");
        }
        return p;
    }

    @Override
    public Optional<Client> find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
            return Optional.empty();
        }
        Optional<Client> cached = cache.get(clientId);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        long generation = invalidations.get();
        Optional<Client> loaded = repository.find(clientId);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        // An invalidation that raced with the load wins: cache only what nothing has touched since.
        if (invalidations.get() == generation) {
            cache.put(clientId, loaded);
        }
        return loaded;
    }

    @Override
    public Counts counts() {
        return new Counts(cache.size(), hits.sum(), misses.sum());
    }

    @Override
    public List<Client> list() {
        return repository.list();
    }

    @Override
    public boolean delete(String clientId) {
        boolean existed = repository.delete(clientId);
        bus.invalidate(REGION, clientId);
        if (existed) {
            LOG.info("Client {} deleted", clientId);
        }
        return existed;
    }

    @Override
    public boolean verifySecret(Client client, String presentedSecret) {
        if (client.secretHash() == null || presentedSecret == null) {
            return false;
        }
        return MessageDigest.isEqual(client.secretHash().getBytes(StandardCharsets.US_ASCII),
                hash(presentedSecret).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void invalidate(String key) {
        invalidations.incrementAndGet();
        cache.remove(key);
    }

    @Override
    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.clear();
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /**
     * 22 letters and digits (131 random bits). Letters and digits only: an id starting with '-' reads
     * as an option in the shell, and banks' gateways and logs often split on '_'.
     */
    static String newClientId(SecureRandom random) {
        StringBuilder b = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            b.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
