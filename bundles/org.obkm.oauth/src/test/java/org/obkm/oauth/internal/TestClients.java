package org.obkm.oauth.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.obkm.api.client.Client;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;

/** A {@link ClientService} over a map of clients, for unit tests; every secret but {@code s3cret} is wrong. */
public final class TestClients implements ClientService {

    private final Map<String, Client> clients;

    /** @param clients by client id; the map is read live, so a test may register more later */
    public TestClients(Map<String, Client> clients) {
        this.clients = clients;
    }

    public static TestClients of(Client client) {
        return new TestClients(Map.of(client.clientId(), client));
    }

    @Override
    public CreatedClient create(ClientRegistration registration) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Client> update(String clientId, ClientUpdate update) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Client> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public List<Client> list() {
        return List.copyOf(clients.values());
    }

    @Override
    public boolean delete(String clientId) {
        return clients.remove(clientId) != null;
    }

    @Override
    public boolean verifySecret(Client client, String presentedSecret) {
        return "s3cret".equals(presentedSecret);
    }
}
