package org.obkm.oauth.internal.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.request.PushedRequest;

/** Profiles as configuration of named checks: defaults, overrides, per-client choice, fail-closed validation. */
public class ClientProfilesTest {

    private static ClientProfiles profiles(Map<String, Object> config) {
        return new ClientProfiles(new TestSettings(), config);
    }

    private static void invalid(Map<String, Object> config, String messagePart) {
        invalid(profiles(config), messagePart);
    }

    /** An invalid configuration refuses every request of every client and says why. */
    private static void invalid(ClientProfiles p, String messagePart) {
        assertTrue(p.error().orElseThrow().contains(messagePart), p.error().orElseThrow());
        OAuthException e = assertThrows(OAuthException.class, () -> p.profileOf(ParFixture.CLIENT));
        assertEquals("server_error", e.error().getCode());
        assertEquals(Optional.empty(), p.named("fapi2"));
    }

    @Test
    public void fapi2IsTheDefaultProfile() throws Exception {
        assertEquals("fapi2", profiles(Map.of()).profileOf(ParFixture.CLIENT).name());
    }

    @Test
    public void defaultProfilesNameOnlyKnownChecks() throws Exception {
        for (List<String> checks : ClientProfiles.DEFAULTS.values()) {
            assertTrue(PolicyChecks.BY_NAME.keySet().containsAll(checks), checks.toString());
        }
        assertEquals(Set.of("fapi2", "fapi1-advanced", "none"), ClientProfiles.DEFAULTS.keySet());
    }

    @Test
    public void onlyTheNoneProfileAllowsPlainParameters() throws Exception {
        ClientProfiles p = profiles(Map.of());
        assertTrue(p.named("fapi2").orElseThrow().checkNames().contains("request-object-required"));
        assertTrue(p.named("fapi1-advanced").orElseThrow().checkNames().contains("request-object-required"));
        assertTrue(!p.named("none").orElseThrow().checkNames().contains("request-object-required"));
    }

    @Test
    public void assignsAProfilePerClient() throws Exception {
        ClientProfiles p = profiles(Map.of("profile.client.tpp-1", "fapi1-advanced"));
        assertEquals("fapi1-advanced", p.profileOf(ParFixture.CLIENT).name());
        assertEquals("fapi2", p.profileOf(ParFixture.client("tpp-2", Set.of("authorization_code"))).name());
    }

    @Test
    public void changesTheDefaultProfile() throws Exception {
        TestSettings c = new TestSettings();
        c.defaultProfile = "none";
        assertEquals("none", new ClientProfiles(c, Map.of()).profileOf(ParFixture.CLIENT).name());
    }

    @Test
    public void replacesAProfileFromConfiguration() throws Exception {
        String checks = "client-grant-authorization-code, redirect-uri-registered,response-type-code";
        ClientProfiles p = profiles(Map.of("profile.fapi2", checks));
        // The protocol checks every profile has come after the configured ones.
        assertEquals(List.of("client-grant-authorization-code", "redirect-uri-registered", "response-type-code",
                "client-auth-methods", "dpop-jkt"), p.named("fapi2").orElseThrow().checkNames());
        // Without pkce-s256 in the list a request without a code challenge now passes.
        PushedRequest r = ParFixture.validator(Map.of("profile.fapi2", checks)).validate(ParFixture.CLIENT,
                ParFixture.request(ParFixture.ps256(ParFixture.claims(b -> b.claim("code_challenge", null)))));
        assertEquals(null, r.codeChallenge());
    }

    @Test
    public void definesANewProfileAndAssignsIt() throws Exception {
        ClientProfiles p = profiles(Map.of("profile.uk-ob", new String[] {"client-grant-authorization-code",
            "redirect-uri-registered", "response-type-code-or-code-id-token"}, "profile.client.tpp-1", "uk-ob"));
        assertEquals("uk-ob", p.profileOf(ParFixture.CLIENT).name());
    }

    @Test
    public void rejectsUnknownCheckName() {
        invalid(Map.of("profile.fapi2", "client-grant-authorization-code,redirect-uri-registered,response-type-code,"
                + "pkce-s265"), "unknown check 'pkce-s265'");
    }

    @Test
    public void rejectsUnknownProfileForAClient() {
        invalid(Map.of("profile.client.tpp-1", "fapi3"), "profile.client.tpp-1 names unknown profile 'fapi3'");
    }

    @Test
    public void rejectsUnknownDefaultProfile() {
        TestSettings c = new TestSettings();
        c.defaultProfile = "fapi3";
        invalid(new ClientProfiles(c, Map.of()), "defaultProfile names unknown profile 'fapi3'");
    }

    @Test
    public void rejectsProfileWithoutTheRedirectUriCheck() {
        invalid(Map.of("profile.fapi2", "client-grant-authorization-code,response-type-code"), "redirect-uri-registered");
    }

    @Test
    public void rejectsProfileWithoutAResponseTypeCheck() {
        invalid(Map.of("profile.lax", "client-grant-authorization-code,redirect-uri-registered"), "response-type");
    }

    @Test
    public void rejectsBadProfileName() {
        invalid(Map.of("profile.Bad_Name", "client-grant-authorization-code,redirect-uri-registered,response-type-code"),
                "profile name");
    }

    @Test
    public void aValidConfigurationHasNoError() {
        assertEquals(Optional.empty(), profiles(Map.of("profile.client.tpp-1", "none")).error());
    }

    @Test
    public void ignoresOtherConfigurationProperties() throws Exception {
        assertEquals("fapi2", profiles(Map.of("issuer", "https://x.example", "service.pid", "org.obkm.oauth"))
                .profileOf(ParFixture.CLIENT).name());
    }
}
