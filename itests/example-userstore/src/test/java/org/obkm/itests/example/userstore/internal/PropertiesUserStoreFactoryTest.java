package org.obkm.itests.example.userstore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.AuthenticationResult.Outcome;
import org.obkm.api.user.CredentialCheck;
import org.obkm.api.user.UserAdmin;
import org.obkm.api.user.UserLookup;
import org.obkm.api.user.UserQuery;
import org.obkm.api.user.UserStore;
import org.obkm.api.user.spi.UserStoreFactory;

class PropertiesUserStoreFactoryTest {

    private final PropertiesUserStoreFactory factory = new PropertiesUserStoreFactory();

    @Test
    void registersAsAFactoryOfTypeExampleAndItsManagerClass() throws IOException {
        // The DS descriptor bnd wrote from the annotations: what the deployer's service lookup sees.
        String name = "/OSGI-INF/" + PropertiesUserStoreFactory.class.getName() + ".xml";
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, name + " missing: bnd-process did not run");
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(xml.contains("interface=\"" + UserStoreFactory.class.getName() + "\""), xml);
            assertTrue(xml.contains("name=\"obkm.userstore.type\"") && xml.contains("value=\"example\""), xml);
            assertTrue(xml.contains("name=\"obkm.userstore.class\"")
                    && xml.contains("value=\"org.example.userstore.PropertiesUserStoreManager\""), xml);
        }
    }

    @Test
    void makesAClosableStoreOfTheDomainWithLookupCheckAndQuery() throws Exception {
        UserStore store = factory.create("EXAMPLE.ORG", Map.of("User.alice", "Alice",
                "Password.alice", PropertiesUserStoreFactory.hash("alice's secret".toCharArray(), 1_000)));
        assertEquals("EXAMPLE.ORG", store.domain());
        assertTrue(store.as(UserLookup.class).orElseThrow().findByUsername("alice").isPresent());
        assertEquals(Outcome.OK, store.as(CredentialCheck.class).orElseThrow()
                .authenticate("alice", "alice's secret".toCharArray()).outcome());
        assertEquals(1, store.as(UserQuery.class).orElseThrow().search("ali", 5).size());
        assertTrue(store.as(UserAdmin.class).isEmpty(), "read-only");
        assertInstanceOf(AutoCloseable.class, store).close();
    }

    @Test
    void refusesMissingDomainOrProperties() {
        assertThrows(IllegalArgumentException.class, () -> factory.create(" ", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> factory.create(null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> factory.create("EXAMPLE.ORG", null));
    }

    @Test
    void hashesWithAFreshSaltInTheStoredForm() {
        String a = PropertiesUserStoreFactory.hash("pw".toCharArray(), 1_234);
        String b = PropertiesUserStoreFactory.hash("pw".toCharArray(), 1_234);
        assertTrue(a.startsWith("pbkdf2-sha256$1234$"), a);
        assertNotEquals(a, b);
        assertTrue(Pbkdf2.parse("Password.x", a).matches("pw".toCharArray()));
    }

    @Test
    void refusesToHashAnEmptyPasswordOrWithAnIterationCountOutOfBounds() {
        assertThrows(IllegalArgumentException.class, () -> PropertiesUserStoreFactory.hash(new char[0], 1_000));
        assertThrows(IllegalArgumentException.class, () -> PropertiesUserStoreFactory.hash(null, 1_000));
        assertThrows(IllegalArgumentException.class, () -> PropertiesUserStoreFactory.hash("x".toCharArray(), 999));
        assertThrows(IllegalArgumentException.class, () -> PropertiesUserStoreFactory.hash("x".toCharArray(), 10_000_001));
    }

    @Test
    void verifiesThePublishedPbkdf2TestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "Password", S = "NaCl", c = 80000, dkLen = 64.
        String stored = "pbkdf2-sha256$80000$TmFDbA$TdzY9guYviGDDO5e8icB+WQaRBjQTAQUrv8Ih2s0q1ah1CWhIlgzVJrbhBtRybMXaicr3ruh0HhHj2Kzl/M8jQ";
        UserStore store = factory.create("EXAMPLE.ORG", Map.of("User.nacl", "", "Password.nacl", stored));
        CredentialCheck check = store.as(CredentialCheck.class).orElseThrow();
        assertEquals(Outcome.OK, check.authenticate("nacl", "Password".toCharArray()).outcome());
        assertEquals(Outcome.BAD_CREDENTIALS, check.authenticate("nacl", "password".toCharArray()).outcome());
    }

    @Test
    void acceptsTheSampleHashThatIntegrationTestsMayPaste() {
        // The sample line of this module's hand-over: password "Example-Pa55word", 10,000 iterations.
        String stored = "pbkdf2-sha256$10000$QKRky842H7w2A0aE6VJkFA$U1xGsIWL4p8lhIuiZG8G2AkAFjzIEjP/ucvbJhS3NVc";
        CredentialCheck check = factory.create("EXAMPLE.ORG", Map.of("User.alice", "Alice", "Password.alice", stored))
                .as(CredentialCheck.class).orElseThrow();
        assertEquals(Outcome.OK, check.authenticate("alice", "Example-Pa55word".toCharArray()).outcome());
    }
}
