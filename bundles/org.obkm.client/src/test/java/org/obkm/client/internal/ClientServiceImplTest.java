package org.obkm.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicies;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.JarmAlgorithms;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.cluster.InvalidationBus;
import org.obkm.api.store.ClientRepository;

/** The client service over a repository: registration held to the profile, updates, the node cache. */
class ClientServiceImplTest {

    /** Profiles as the oauth bundle gives them, reduced: "strict" refuses secrets, "open" takes all. */
    private static final ClientPolicies POLICIES = new ClientPolicies() {
        @Override
        public ClientPolicy resolve(Client c, String profile, Boolean par, Boolean sender) {
            String name = profile == null ? "strict" : profile;
            if (!List.of("strict", "open").contains(name)) {
                throw new IllegalArgumentException("unknown profile '" + name + "'");
            }
            if (name.equals("strict") && c.authMethod().usesSecret()) {
                throw new IllegalArgumentException("profile strict allows no client secret");
            }
            return new ClientPolicy(name, par == null ? name.equals("strict") : par,
                    sender == null ? name.equals("strict") : sender, EnumSet.allOf(TokenEndpointAuthMethod.class));
        }

        @Override
        public List<String> profileNames() {
            return List.of("open", "strict");
        }
    };

    private final Map<String, Client> rows = new LinkedHashMap<>();
    private final List<String> invalidated = new ArrayList<>();
    private int reads;
    private final ClientRepository repository = new ClientRepository() {
        @Override
        public void insert(Client client) {
            rows.put(client.clientId(), client);
        }

        @Override
        public boolean update(Client client) {
            return rows.replace(client.clientId(), client) != null;
        }

        @Override
        public Optional<Client> find(String clientId) {
            reads++;
            return Optional.ofNullable(rows.get(clientId));
        }

        @Override
        public List<Client> list() {
            return List.copyOf(rows.values());
        }

        @Override
        public boolean delete(String clientId) {
            return rows.remove(clientId) != null;
        }
    };
    private final InvalidationBus bus = (region, key) -> {
        invalidated.add(region + ":" + key);
        return true;
    };
    private final ClientServiceImpl service = new ClientServiceImpl(repository, bus, POLICIES);

    private static ClientRegistration secretClient(String profile) {
        return new ClientRegistration("TPP", Set.of("client_credentials"), Set.of("accounts"),
                TokenEndpointAuthMethod.CLIENT_SECRET_BASIC, null, null, List.of(), null, profile, null, null);
    }

    @Test
    void registrationIsHeldToItsProfileAndStoresThePolicy() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> service.create(secretClient(null)))
                .getMessage().contains("no client secret"));
        assertTrue(rows.isEmpty(), "nothing stored for a refused registration");
        CreatedClient c = service.create(secretClient("open"));
        assertEquals(new ClientPolicy("open", false, false, EnumSet.allOf(TokenEndpointAuthMethod.class)),
                rows.get(c.client().clientId()).policy());
        assertTrue(service.verifySecret(c.client(), c.secret()));
        assertFalse(rows.get(c.client().clientId()).secretHash().contains(c.secret()), "only a hash is stored");
    }

    @Test
    void jarmMetadataIsStoredWithItsDefaultsAndChangedOrRemovedByAnUpdate() throws Exception {
        String jwks = new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("k")
                .generate().toPublicJWK()).toString();
        CreatedClient c = service.create(new ClientRegistration("TPP", Set.of("client_credentials"), Set.of(),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, jwks, null, List.of(), null, "open", null, null,
                new JarmAlgorithms("ES256", "RSA-OAEP-256", null)));
        assertEquals(new JarmAlgorithms("ES256", "RSA-OAEP-256", "A128CBC-HS256"), rows.get(c.client().clientId()).jarm(),
                "the content encryption JARM section 5 implies is stored");
        Client kept = service.update(c.client().clientId(), ClientUpdate.profile("open")).orElseThrow();
        assertEquals(c.client().jarm(), kept.jarm());
        Client plain = service.update(c.client().clientId(), new ClientUpdate(null, null, null, null, null, null, null,
                null, null, null, new JarmAlgorithms("", "", null))).orElseThrow();
        assertEquals(JarmAlgorithms.DEFAULT, plain.jarm(), "removing the algorithm removes its content encryption");
    }

    @Test
    void anUpdateKeepsWhatItDoesNotNameAndInvalidatesEveryNode() {
        Client c = service.create(secretClient("open")).client();
        invalidated.clear();
        Client updated = service.update(c.clientId(), new ClientUpdate("Renamed", null, null, null, null, null,
                null, null, null, true)).orElseThrow();
        assertEquals("Renamed", updated.name());
        assertEquals(c.scopes(), updated.scopes());
        assertEquals(c.secretHash(), updated.secretHash());
        assertTrue(updated.policy().senderConstrained());
        assertEquals("open", updated.policy().profile());
        assertEquals(List.of("clients:" + c.clientId()), invalidated);
        assertEquals(updated, rows.get(c.clientId()));
    }

    @Test
    void anUpdateToAProfileTheClientDoesNotMeetIsRefusedAndChangesNothing() {
        Client c = service.create(secretClient("open")).client();
        assertThrows(IllegalArgumentException.class, () -> service.update(c.clientId(), ClientUpdate.profile("strict")));
        assertEquals("open", rows.get(c.clientId()).policy().profile());
    }

    @Test
    void anUpdateOfAnUnknownClientIsEmpty() {
        assertEquals(Optional.empty(), service.update("nobody", ClientUpdate.profile("open")));
    }

    @Test
    void invalidUpdatedMetadataIsRefusedLikeARegistration() {
        Client c = service.create(secretClient("open")).client();
        assertThrows(IllegalArgumentException.class, () -> service.update(c.clientId(), new ClientUpdate(null,
                Set.of("implicit"), null, null, null, null, null, null, null, null)));
    }

    @Test
    void lookupsAreCachedUntilAnInvalidation() {
        Client c = service.create(secretClient("open")).client();
        service.invalidate(c.clientId());
        int before = reads;
        service.find(c.clientId());
        service.find(c.clientId());
        assertEquals(before + 1, reads, "the second lookup came from the cache");
        service.invalidate(c.clientId());
        service.find(c.clientId());
        assertEquals(before + 2, reads);
    }
}
