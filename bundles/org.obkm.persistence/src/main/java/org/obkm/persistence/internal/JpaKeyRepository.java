package org.obkm.persistence.internal;

import java.util.List;

import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.obkm.api.store.KeyRepository;
import org.obkm.api.store.StoredKey;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Signing keys through JPA: a handful of rows, read at start and on rotation only. */
@Component(service = KeyRepository.class)
public final class JpaKeyRepository implements KeyRepository {

    private final JpaTemplate jpa;

    @Activate
    public JpaKeyRepository(@Reference(target = "(osgi.unit.name=obkm)") JpaTemplate jpa,
            @Reference DatabaseSchema schema) {
        this.jpa = jpa;
    }

    @Override
    public List<StoredKey> findAll() {
        return jpa.txExpr(TransactionType.Required,
                em -> em.createQuery("SELECT k FROM SigningKeyEntity k ORDER BY k.createdAt, k.kid",
                        SigningKeyEntity.class).getResultList().stream().map(SigningKeyEntity::toStoredKey).toList());
    }

    @Override
    public void insert(StoredKey key) {
        jpa.tx(TransactionType.Required, em -> em.persist(SigningKeyEntity.of(key)));
    }

    @Override
    public void deactivateOthers(String algorithm, String keepKid) {
        jpa.tx(TransactionType.Required, em -> em.createQuery(
                "UPDATE SigningKeyEntity k SET k.active = false WHERE k.algorithm = :alg AND k.kid <> :kid")
                .setParameter("alg", algorithm).setParameter("kid", keepKid).executeUpdate());
    }
}
