package org.obkm.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.SoftwareRegistration;
import org.obkm.api.client.TokenEndpointAuthMethod;

class ClientEntityTest {

    private static Client client() {
        return new Client("c1", "TPP", Set.of("client_credentials"), Set.of("accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, null, "https://keystore.example/tpp.jwks", List.of(),
                null, Instant.ofEpochMilli(1_000));
    }

    @Test
    void keepsTheSoftwareRegistrationThroughTheRow() {
        SoftwareRegistration s = new SoftwareRegistration("soft-1", "org-1", Set.of("AISP", "PISP"), "OpenBanking Ltd",
                "sandbox", "PS256", "PS256", "PS256", Set.of("code", "code id_token"), "web", "sha256:abc", true);
        Client stored = ClientEntity.of(client().withSoftware(s)).toClient();
        assertEquals(s, stored.software());
        assertEquals(true, stored.disabled());
    }

    @Test
    void aShellMadeClientHasNoSoftwareStatement() {
        Client stored = ClientEntity.of(client()).toClient();
        assertEquals(SoftwareRegistration.NONE, stored.software());
        assertFalse(stored.software().hasSoftwareStatement());
    }
}
