package org.obkm.oauth.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientPolicy;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.oauth.internal.TestSettings;

/** The profile.client.&lt;id&gt; keys move into the records once; a client its profile refuses stays refused. */
public class ClientProfileMigrationTest {

    /** Clients whose updates are held to the profiles, as the client service's are. */
    private static final class Records implements ClientService {
        final Map<String, Client> byId = new LinkedHashMap<>();
        final ClientProfiles profiles;

        Records(ClientProfiles profiles) {
            this.profiles = profiles;
        }

        @Override
        public Optional<Client> update(String clientId, ClientUpdate u) {
            Client c = byId.get(clientId);
            Client updated = c.withPolicy(profiles.resolve(c, u.profile(), u.parRequired(), u.senderConstrained()));
            byId.put(clientId, updated);
            return Optional.of(updated);
        }

        @Override
        public CreatedClient create(ClientRegistration registration) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Client> find(String clientId) {
            return Optional.ofNullable(byId.get(clientId));
        }

        @Override
        public List<Client> list() {
            return List.copyOf(byId.values());
        }

        @Override
        public boolean delete(String clientId) {
            return byId.remove(clientId) != null;
        }

        @Override
        public boolean verifySecret(Client client, String presentedSecret) {
            return false;
        }
    }

    private static Client legacy(String id, TokenEndpointAuthMethod method) {
        return new Client(id, id, Set.of("client_credentials"), Set.of("accounts"), method,
                method.usesSecret() ? "sha256:x" : null, method.usesSecret() ? null : "{\"keys\":[]}", null, List.of(),
                null, java.time.Instant.now());
    }

    @Test
    public void movesConfiguredAndDefaultProfilesIntoTheRecordsAndLeavesRefusedClientsUnassigned() {
        ClientProfiles profiles = new ClientProfiles(new TestSettings(), Map.of("profile.client.legacy-none", "none"));
        Records records = new Records(profiles);
        records.byId.put("legacy-none", legacy("legacy-none", TokenEndpointAuthMethod.CLIENT_SECRET_BASIC));
        records.byId.put("legacy-fapi", legacy("legacy-fapi", TokenEndpointAuthMethod.PRIVATE_KEY_JWT));
        records.byId.put("legacy-secret", legacy("legacy-secret", TokenEndpointAuthMethod.CLIENT_SECRET_POST));

        assertEquals(2, ClientProfileMigration.migrate(records, profiles));

        assertEquals("none", records.byId.get("legacy-none").policy().profile());
        assertEquals(new ClientPolicy("fapi2-message-signing", true, true, ClientChecks.FAPI_AUTH_METHODS),
                records.byId.get("legacy-fapi").policy());
        // A fapi2 (default) client with a secret does not meet its profile: no profile stored, still fapi2.
        assertFalse(records.byId.get("legacy-secret").policy().assigned());
        assertEquals(0, ClientProfileMigration.migrate(records, profiles), "a second start moves nothing more");
    }

    private static Client stored(String id, String profile) {
        return legacy(id, TokenEndpointAuthMethod.PRIVATE_KEY_JWT)
                .withPolicy(new ClientPolicy(profile, true, true, ClientChecks.FAPI_AUTH_METHODS));
    }

    /** Issue 10 item 10: a stored fapi2 becomes fapi2-message-signing, which keeps its behaviour, once. */
    @Test
    public void renamesStoredFapi2ToFapi2MessageSigningOnce() {
        ClientProfiles profiles = new ClientProfiles(new TestSettings(), Map.of());
        Records records = new Records(profiles);
        records.byId.put("old-fapi2", stored("old-fapi2", "fapi2"));
        records.byId.put("sp", stored("sp", ClientProfiles.FAPI2_SECURITY_PROFILE));

        assertEquals(1, ClientProfileMigration.rename(records, profiles));

        assertEquals(new ClientPolicy("fapi2-message-signing", true, true, ClientChecks.FAPI_AUTH_METHODS),
                records.byId.get("old-fapi2").policy());
        assertEquals("fapi2-security-profile", records.byId.get("sp").policy().profile());
        assertEquals(0, ClientProfileMigration.rename(records, profiles), "a second start renames nothing");
    }

    /** Before the rename (a node of the earlier version wrote it), the record is held to message signing. */
    @Test
    public void aStoredFapi2IsHeldToFapi2MessageSigningUntilRenamed() throws Exception {
        ClientProfiles profiles = new ClientProfiles(new TestSettings(), Map.of());
        assertEquals("fapi2-message-signing", profiles.profileOf(stored("old-fapi2", "fapi2")).name());
    }

    /** A configuration that defines a profile fapi2 of its own keeps its clients on it. */
    @Test
    public void keepsStoredFapi2WhenTheConfigurationDefinesIt() throws Exception {
        ClientProfiles profiles = new ClientProfiles(new TestSettings(), Map.of("profile.fapi2",
                "client-auth-fapi,par-required,client-grant-authorization-code,redirect-uri-registered,"
                        + "response-type-code,sender-constrained-tokens"));
        Records records = new Records(profiles);
        records.byId.put("old-fapi2", stored("old-fapi2", "fapi2"));
        assertEquals(0, ClientProfileMigration.rename(records, profiles));
        assertEquals("fapi2", profiles.profileOf(records.byId.get("old-fapi2")).name());
    }
}
