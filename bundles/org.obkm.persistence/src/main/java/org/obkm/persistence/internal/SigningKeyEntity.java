package org.obkm.persistence.internal;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

import org.obkm.api.store.StoredKey;

/** Row of {@code obkm_signing_key}; the private part arrives here already encrypted. */
@Entity
@Table(name = "obkm_signing_key")
public class SigningKeyEntity {

    @Id
    @Column(name = "kid")
    private String kid;
    @Column(name = "algorithm")
    private String algorithm;
    @Column(name = "public_jwk")
    private String publicJwk;
    @Column(name = "private_jwk")
    private String privateJwk;
    @Column(name = "created_at")
    private long createdAt;
    @Column(name = "active")
    private boolean active;

    protected SigningKeyEntity() {
        // for JPA
    }

    static SigningKeyEntity of(StoredKey k) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.kid = k.kid();
        e.algorithm = k.algorithm();
        e.publicJwk = k.publicJwk();
        e.privateJwk = k.encryptedPrivateJwk();
        e.createdAt = k.createdAt().toEpochMilli();
        e.active = k.active();
        return e;
    }

    StoredKey toStoredKey() {
        return new StoredKey(kid, algorithm, publicJwk, privateJwk, Instant.ofEpochMilli(createdAt), active);
    }
}
