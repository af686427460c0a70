package org.obkm.persistence.internal;

import java.util.List;
import java.util.Optional;

import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.obkm.api.client.Client;
import org.obkm.api.store.ClientRepository;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code obkm_client} through JPA, one transaction a call. */
@Component(service = ClientRepository.class)
public final class JpaClientRepository implements ClientRepository {

    private final JpaTemplate jpa;

    @Activate
    public JpaClientRepository(@Reference(target = "(osgi.unit.name=obkm)") JpaTemplate jpa,
            @Reference DatabaseSchema schema) {
        this.jpa = jpa;
    }

    @Override
    public void insert(Client client) {
        jpa.tx(TransactionType.Required, em -> em.persist(ClientEntity.of(client)));
    }

    @Override
    public boolean update(Client client) {
        return jpa.txExpr(TransactionType.Required, em -> {
            if (em.find(ClientEntity.class, client.clientId()) == null) {
                return false;
            }
            em.merge(ClientEntity.of(client));
            return true;
        });
    }

    @Override
    public Optional<Client> find(String clientId) {
        return jpa.txExpr(TransactionType.Required,
                em -> Optional.ofNullable(em.find(ClientEntity.class, clientId)).map(ClientEntity::toClient));
    }

    @Override
    public List<Client> list() {
        return jpa.txExpr(TransactionType.Required,
                em -> em.createQuery("SELECT c FROM ClientEntity c ORDER BY c.createdAt, c.clientId", ClientEntity.class)
                        .getResultList().stream().map(ClientEntity::toClient).toList());
    }

    @Override
    public boolean delete(String clientId) {
        return jpa.txExpr(TransactionType.Required, em -> {
            ClientEntity e = em.find(ClientEntity.class, clientId);
            if (e == null) {
                return false;
            }
            em.remove(e);
            return true;
        });
    }
}
