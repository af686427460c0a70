package org.obkm.keys.internal;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.obkm.api.keys.SharedSecrets;
import org.obkm.api.store.SecretRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Cluster-wide secrets: made by the first node that asks, stored encrypted, read by all others. */
@Component(service = SharedSecrets.class)
public final class SharedSecretsImpl implements SharedSecrets {

    private final KeyEncryption encryption;
    private final SecretRepository repository;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Activate
    public SharedSecretsImpl(@Reference KeyEncryption encryption, @Reference SecretRepository repository) {
        this.encryption = encryption;
        this.repository = repository;
    }

    @Override
    public byte[] secret(String name) {
        return cache.computeIfAbsent(name, this::loadOrCreate).clone();
    }

    private byte[] loadOrCreate(String name) {
        String context = "shared-secret:" + name;
        var stored = repository.find(name);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            repository.insertIfAbsent(name, encryption.encrypt(fresh, context));
            // Whoever won the insert, every node reads the same row.
            stored = repository.find(name);
        }
        return encryption.decrypt(stored.orElseThrow(), context);
    }
}
