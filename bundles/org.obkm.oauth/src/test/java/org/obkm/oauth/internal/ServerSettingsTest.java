package org.obkm.oauth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;

public class ServerSettingsTest {

    @Test
    public void readsACommaSeparatedAlgorithmList() {
        assertEquals(Set.of(JWSAlgorithm.PS256, JWSAlgorithm.ES256), TestSettings.defaults().assertionAlgorithms());
    }

    @Test
    public void derivesEndpointsFromTheIssuerOrigin() {
        assertEquals("https://as.bank.example/oauth2/jwks", TestSettings.defaults().endpoint("/oauth2/jwks"));
    }

    @Test
    public void rejectsHmacForClientAssertions() {
        TestSettings c = new TestSettings();
        c.assertionAlgorithms = new String[] {"PS256", "HS256"};
        assertThrows(IllegalArgumentException.class, () -> new ServerSettings(c));
    }

    @Test
    public void rejectsAlgNoneForClientAssertions() {
        TestSettings c = new TestSettings();
        c.assertionAlgorithms = new String[] {"none"};
        assertThrows(IllegalArgumentException.class, () -> new ServerSettings(c));
    }

    @Test
    public void changeAppliesInPlace() {
        ServerSettings settings = TestSettings.defaults();
        TestSettings changed = new TestSettings();
        changed.issuer = "https://as2.bank.example/oauth2/token";
        settings.modified(changed);
        assertEquals("https://as2.bank.example/oauth2/token", settings.issuer());
        assertEquals("https://as2.bank.example/oauth2/jwks", settings.endpoint("/oauth2/jwks"));
    }

    @Test
    public void invalidChangeKeepsThePreviousSettings() {
        ServerSettings settings = TestSettings.defaults();
        TestSettings changed = new TestSettings();
        changed.issuer = "http://as2.bank.example/oauth2/token";
        settings.modified(changed);
        assertEquals(TestSettings.ISSUER, settings.issuer());
    }
}
