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
        assertEquals(Optional.empty(), p.named("fapi2-message-signing"));
    }

    /** Issue 10 item 10: the suite's FAPI 2.0 SP plan sends plain PAR parameters; the shipped default takes them. */
    @Test
    public void fapi2SecurityProfileIsTheShippedDefaultProfile() throws Exception {
        Object shipped = org.obkm.oauth.internal.OAuthConfig.class.getMethod("defaultProfile").getDefaultValue();
        assertEquals(ClientProfiles.FAPI2_SECURITY_PROFILE, shipped);
        TestSettings c = new TestSettings();
        c.defaultProfile = (String) shipped;
        assertEquals("fapi2-security-profile", new ClientProfiles(c, Map.of()).profileOf(ParFixture.CLIENT).name());
    }

    @Test
    public void theProfilesAreNamedAfterWhatTheyCertify() {
        assertEquals(Set.of("fapi2-security-profile", "fapi2-message-signing", "fapi1-advanced", "none"),
                Set.copyOf(profiles(Map.of()).profileNames()));
    }

    /** FAPI 2.0 SP §5.3.2.2 allows plain PAR parameters; Message Signing §5.3.1 needs a request object. */
    @Test
    public void fapi2SecurityProfileAllowsPlainParametersAndMessageSigningDoesNot() throws Exception {
        ClientProfiles p = profiles(Map.of());
        List<String> sp = p.named(ClientProfiles.FAPI2_SECURITY_PROFILE).orElseThrow().checkNames();
        List<String> ms = p.named(ClientProfiles.FAPI2_MESSAGE_SIGNING).orElseThrow().checkNames();
        assertTrue(!sp.contains("request-object-required"));
        assertTrue(ms.contains("request-object-required"));
        assertEquals(sp, ms.stream().filter(c -> !c.equals("request-object-required")).toList(),
                "otherwise the same checks");
        assertTrue(sp.containsAll(List.of("par-required", "pkce-s256", "sender-constrained-tokens", "client-auth-fapi")));
    }

    /** The name of earlier versions keeps its meaning where it was configured, and is refused for new clients. */
    @Test
    public void theLegacyFapi2NameMeansMessageSigningInConfigurationAndIsRefusedAtRegistration() throws Exception {
        TestSettings c = new TestSettings();
        c.defaultProfile = "fapi2";
        ClientProfiles p = new ClientProfiles(c, Map.of("profile.client.tpp-2", "fapi2"));
        assertEquals(Optional.empty(), p.error());
        assertEquals("fapi2-message-signing", p.profileOf(ParFixture.CLIENT).name());
        assertEquals("fapi2-message-signing", p.profileOf(ParFixture.client("tpp-2", Set.of("authorization_code"))).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.resolve(ParFixture.CLIENT, "fapi2", null, null));
        assertTrue(e.getMessage().contains("fapi2-message-signing") && e.getMessage().contains("fapi2-security-profile"),
                e.getMessage());
    }

    @Test
    public void rejectsUnknownProfileSetting() {
        invalid(Map.of("profile.none.refresh-rotate", "true"), "unknown profile setting 'refresh-rotate'");
        invalid(Map.of("profile.none.refresh-rotation", "yes"), "true or false");
        invalid(Map.of("profile.fapi3.refresh-rotation", "true"), "not defined");
        invalid(Map.of("profile.none.client-assertion-aud", "issuer,audience"), "unknown client assertion audience");
    }

    @Test
    public void defaultProfilesNameOnlyKnownChecks() throws Exception {
        for (List<String> checks : ClientProfiles.DEFAULTS.values()) {
            assertTrue(PolicyChecks.BY_NAME.keySet().containsAll(checks), checks.toString());
        }
        assertEquals(Set.of("fapi2-security-profile", "fapi2-message-signing", "fapi1-advanced", "none"),
                ClientProfiles.DEFAULTS.keySet());
    }

    @Test
    public void onlyNoneAndFapi2SecurityProfileAllowPlainParameters() throws Exception {
        ClientProfiles p = profiles(Map.of());
        assertTrue(p.named("fapi2-message-signing").orElseThrow().checkNames().contains("request-object-required"));
        assertTrue(p.named("fapi1-advanced").orElseThrow().checkNames().contains("request-object-required"));
        assertTrue(!p.named("none").orElseThrow().checkNames().contains("request-object-required"));
    }

    @Test
    public void assignsAProfilePerClient() throws Exception {
        ClientProfiles p = profiles(Map.of("profile.client.tpp-1", "fapi1-advanced"));
        assertEquals("fapi1-advanced", p.profileOf(ParFixture.CLIENT).name());
        assertEquals("fapi2-message-signing", p.profileOf(ParFixture.client("tpp-2", Set.of("authorization_code"))).name());
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
        ClientProfiles p = profiles(Map.of("profile.fapi2-message-signing", checks));
        // The protocol checks every profile has come after the configured ones.
        assertEquals(List.of("client-grant-authorization-code", "redirect-uri-registered", "response-type-code",
                "client-auth-methods", "dpop-jkt"), p.named("fapi2-message-signing").orElseThrow().checkNames());
        // Without pkce-s256 in the list a request without a code challenge now passes.
        PushedRequest r = ParFixture.validator(Map.of("profile.fapi2-message-signing", checks)).validate(ParFixture.CLIENT,
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
        invalid(Map.of("profile.fapi2-message-signing", "client-grant-authorization-code,redirect-uri-registered,response-type-code,"
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
        invalid(Map.of("profile.fapi2-message-signing", "client-grant-authorization-code,response-type-code"), "redirect-uri-registered");
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
        assertEquals("fapi2-message-signing", profiles(Map.of("issuer", "https://x.example", "service.pid", "org.obkm.oauth"))
                .profileOf(ParFixture.CLIENT).name());
    }
}
