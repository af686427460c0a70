package org.obkm.keys.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.store.KeyRepository;
import org.obkm.api.store.StoredKey;

/**
 * The shared key table and the invalidation bus of a test cluster: the rows are kept and ordered as
 * {@code JpaKeyRepository} keeps them (by creation, then kid), and the bus delivers an invalidation to
 * every node that joined, the sender included, as {@code InvalidationBusImpl} does.
 */
final class InMemoryKeyStore implements KeyRepository, InvalidationBus {

    private final List<StoredKey> rows = new ArrayList<>();
    private final List<KeyServiceImpl> nodes = new ArrayList<>();
    private int invalidations;

    KeyServiceImpl join(KeyEncryption encryption) {
        KeyServiceImpl node = new KeyServiceImpl(this, encryption, this);
        nodes.add(node);
        return node;
    }

    int invalidations() {
        return invalidations;
    }

    @Override
    public synchronized List<StoredKey> findAll() {
        return rows.stream().sorted(Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::kid)).toList();
    }

    @Override
    public synchronized void insert(StoredKey key) {
        rows.add(key);
    }

    @Override
    public synchronized void deactivateOthers(String algorithm, String keepKid) {
        rows.replaceAll(k -> k.algorithm().equals(algorithm) && !k.kid().equals(keepKid)
                ? new StoredKey(k.kid(), k.algorithm(), k.publicJwk(), k.encryptedPrivateJwk(), k.createdAt(), false)
                : k);
    }

    @Override
    public boolean invalidate(String region, String key) {
        invalidations++;
        nodes.forEach(n -> {
            if (key == null) {
                n.invalidateAll();
            } else {
                n.invalidate(key);
            }
        });
        return true;
    }
}
