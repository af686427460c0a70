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
import java.util.UUID;

import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.cluster.InvalidationListener;
import org.obkm.api.keys.KeyService;
import org.obkm.api.store.KeyRepository;
import org.obkm.api.store.StoredKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * Signing keys from the shared database, held decrypted in memory. The first node to start creates
 * an RSA-2048 key (PS256) and a P-256 key (ES256); rotation adds new keys and invalidates every
 * node's copy through the cluster. When two nodes create keys at once both keys are kept and every
 * node signs with the same one: the oldest active key of the algorithm.
 */
@Component(service = {KeyService.class, InvalidationListener.class},
        property = InvalidationListener.REGION + "=" + KeyServiceImpl.REGION)
public final class KeyServiceImpl implements KeyService, InvalidationListener {

    static final String REGION = "keys";
    static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Logger LOG = LoggerFactory.getLogger(KeyServiceImpl.class);

    private record Loaded(Map<JWSAlgorithm, JWK> current, Map<String, JWK> publicKeys, JWKSet jwkSet) {
    }

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
    public JWK signingKey(JWSAlgorithm algorithm) {
        JWK key = loaded.current().get(algorithm);
        if (key == null) {
            throw new IllegalArgumentException("no signing key for algorithm " + algorithm);
        }
        return key;
    }

    @Override
    public Optional<JWK> verificationKey(String kid) {
        Loaded l = loaded;
        JWK k = l.publicKeys().get(kid);
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
        Map<JWSAlgorithm, JWK> current = new HashMap<>();
        Map<String, JWK> publicKeys = new HashMap<>();
        List<JWK> published = new ArrayList<>();
        for (StoredKey k : repository.findAll()) {
            JWK pub = parse(k.publicJwk(), k.kid());
            publicKeys.put(k.kid(), pub);
            published.add(pub);
            JWSAlgorithm alg = JWSAlgorithm.parse(k.algorithm());
            // Ordered by creation: the oldest active key wins, so racing nodes agree.
            if (k.active() && !current.containsKey(alg)) {
                current.put(alg, parse(new String(encryption.decrypt(k.encryptedPrivateJwk(), "signing-key:" + k.kid()),
                        StandardCharsets.UTF_8), k.kid()));
            }
        }
        loaded = new Loaded(Map.copyOf(current), Map.copyOf(publicKeys), new JWKSet(published));
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
