package org.obkm.keys.internal;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

import org.obkm.api.cluster.CacheStatistics;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.keys.KeyService;
import org.obkm.api.keys.SigningService;
import org.obkm.api.store.KeyRepository;
import org.obkm.api.store.StoredKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Signing keys from the shared database, held decrypted in memory. The first node to start creates
 * an RSA-2048 key (PS256) and a P-256 key (ES256); rotation adds new keys and invalidates every
 * node's copy through the cluster. When two nodes create keys at once both keys are kept and every
 * node signs with the same one: the oldest active key of the algorithm.
 *
 * <p>It signs too ({@link SigningService}), so that private keys stay in this bundle (DESIGN rule 11):
 * each current key is held as one cached signer, replaced when a reload finds another current key,
 * which happens on {@link #rotate()} here and, through the invalidation bus, after a rotation on
 * another node.
 */
@Component(service = {KeyService.class, SigningService.class, InvalidationListener.class},
        property = InvalidationListener.REGION + "=" + KeyServiceImpl.REGION)
public final class KeyServiceImpl implements KeyService, SigningService, InvalidationListener, CacheStatistics {

    static final String REGION = "keys";
    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Logger LOG = LoggerFactory.getLogger(KeyServiceImpl.class);

    private record Loaded(Map<JWSAlgorithm, SigningKey> current, Map<String, JWK> publicKeys, JWKSet jwkSet) {
    }

    private final LongAdder keyHits = new LongAdder();
    private final LongAdder keyMisses = new LongAdder();
    private final KeyRepository repository;
    private final KeyEncryption encryption;
    private final InvalidationBus bus;
    private volatile Loaded loaded;
    private volatile long lastMissReload;

    @Activate
    public KeyServiceImpl(@Reference KeyRepository repository, @Reference KeyEncryption encryption,
            @Reference InvalidationBus bus) {
        this.repository = repository;
        this.encryption = encryption;
        this.bus = bus;
        List<StoredKey> stored = repository.findAll();
        for (JWSAlgorithm alg : ALGORITHMS) {
            if (stored.stream().noneMatch(k -> k.active() && k.algorithm().equals(alg.getName()))) {
                repository.insert(generate(alg));
                LOG.info("Created the first {} signing key", alg);
            }
        }
        reload();
    }

    @Override
    public String signJwt(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
        return Jws.jwt(signingKey(algorithm), type, claims);
    }

    @Override
    public String sign(JWSHeader header, Payload payload) {
        return Jws.jws(signingKey(algorithm(header)), header, payload, false);
    }

    @Override
    public String signDetached(JWSHeader header, Payload payload) {
        return Jws.jws(signingKey(algorithm(header)), header, payload, true);
    }

    @Override
    public Set<JWSAlgorithm> algorithms() {
        return loaded.current().keySet();
    }

    private static JWSAlgorithm algorithm(JWSHeader header) {
        if (header == null) {
            throw new IllegalArgumentException("no JWS header to sign with");
        }
        return header.getAlgorithm();
    }

    /** The cached signer of the current key of an algorithm (package-private: the tests compare them). */
    SigningKey signingKey(JWSAlgorithm algorithm) {
        SigningKey key = algorithm == null ? null : loaded.current().get(algorithm);
        if (key == null) {
            throw new IllegalArgumentException("no signing key for algorithm " + algorithm + "; keys exist for "
                    + ALGORITHMS);
        }
        return key;
    }

    @Override
    public Optional<JWK> verificationKey(String kid) {
        Loaded l = loaded;
        JWK k = l.publicKeys().get(kid);
        (k == null ? keyMisses : keyHits).increment();
        long now = System.nanoTime();
        if (k == null && now - lastMissReload > 1_000_000_000L) {
            // A key rotated in on another node a moment ago; at most one such reload a second, so
            // tokens with made-up key IDs cannot hammer the database.
            lastMissReload = now;
            reload();
            k = loaded.publicKeys().get(kid);
        }
        return Optional.ofNullable(k);
    }

    /** The cache of keys loaded from the database: size, and verification key lookups found or not. */
    @Override
    public Counts counts() {
        return new Counts(loaded.publicKeys().size(), keyHits.sum(), keyMisses.sum());
    }

    @Override
    public JWKSet publicJwkSet() {
        return loaded.jwkSet();
    }

    @Override
    public void rotate() {
        for (JWSAlgorithm alg : ALGORITHMS) {
            StoredKey k = generate(alg);
            repository.insert(k);
            repository.deactivateOthers(alg.getName(), k.kid());
            LOG.info("Rotated {} signing key: new kid {}", alg, k.kid());
        }
        // This node signs with the new keys at once, whatever the bus manages; the bus tells the others.
        reload();
        bus.invalidate(REGION, null);
    }

    @Override
    public void invalidate(String key) {
        reload();
    }

    @Override
    public void invalidateAll() {
        reload();
    }

    private synchronized void reload() {
        Loaded before = loaded;
        Map<JWSAlgorithm, SigningKey> current = new HashMap<>();
        Map<String, JWK> publicKeys = new HashMap<>();
        List<JWK> published = new ArrayList<>();
        for (StoredKey k : repository.findAll()) {
            JWK pub = parse(k.publicJwk(), k.kid());
            publicKeys.put(k.kid(), pub);
            published.add(pub);
            JWSAlgorithm alg = JWSAlgorithm.parse(k.algorithm());
            // Ordered by creation: the oldest active key wins, so racing nodes agree.
            if (k.active() && !current.containsKey(alg)) {
                SigningKey same = before == null ? null : before.current().get(alg);
                current.put(alg, same != null && same.kid().equals(k.kid()) ? same : signer(k, alg));
            }
        }
        loaded = new Loaded(Map.copyOf(current), Map.copyOf(publicKeys), new JWKSet(published));
    }

    /** Decrypts a stored key into its signer; the private JWK itself is dropped here. */
    private SigningKey signer(StoredKey k, JWSAlgorithm alg) {
        JWK key = parse(new String(encryption.decrypt(k.encryptedPrivateJwk(), "signing-key:" + k.kid()),
                StandardCharsets.UTF_8), k.kid());
        try {
            return new SigningKey(k.kid(), alg, new DefaultJWSSignerFactory().createJWSSigner(key, alg));
        } catch (JOSEException e) {
            throw new IllegalStateException("stored key " + k.kid() + " cannot sign " + alg, e);
        }
    }

    private StoredKey generate(JWSAlgorithm alg) {
        String kid = UUID.randomUUID().toString();
        try {
            JWK key = alg == JWSAlgorithm.ES256
                    ? new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate()
                    : new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg).generate();
            return new StoredKey(kid, alg.getName(), key.toPublicJWK().toJSONString(),
                    encryption.encrypt(key.toJSONString().getBytes(StandardCharsets.UTF_8), "signing-key:" + kid),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), true);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + alg + " key", e);
        }
    }

    private static JWK parse(String json, String kid) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored key " + kid + " is not a valid JWK", e);
        }
    }
}
