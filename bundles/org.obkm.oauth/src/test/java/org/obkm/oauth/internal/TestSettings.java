package org.obkm.oauth.internal;

import java.lang.annotation.Annotation;

import org.obkm.oauth.internal.policy.ClientProfiles;

/** An {@link OAuthConfig} with the shipped defaults, for building components in unit tests. */
public class TestSettings implements OAuthConfig {

    public static final String ISSUER = "https://as.bank.example/oauth2/token";

    String[] assertionAlgorithms = {"PS256,ES256"};
    public String issuer = ISSUER;
    public String defaultProfile = ClientProfiles.FAPI2_MESSAGE_SIGNING;

    public static ServerSettings defaults() {
        return new ServerSettings(new TestSettings());
    }

    /** The shipped profiles, clients without a stored profile having {@code defaultProfile}. */
    public static ClientProfiles profiles(String defaultProfile) {
        TestSettings s = new TestSettings();
        s.defaultProfile = defaultProfile;
        return new ClientProfiles(s, java.util.Map.of());
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return OAuthConfig.class;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public String baseUrl() {
        return "";
    }

    @Override
    public int accessTokenLifetimeSeconds() {
        return 3600;
    }

    @Override
    public String accessTokenSigningAlgorithm() {
        return "PS256";
    }

    @Override
    public String accessTokenAudience() {
        return "";
    }

    @Override
    public String[] clientAssertionAlgorithms() {
        return assertionAlgorithms;
    }

    @Override
    public int clientAssertionMaxLifetimeSeconds() {
        return 300;
    }

    @Override
    public int clockSkewSeconds() {
        return 10;
    }

    @Override
    public int maxRequestBytes() {
        return 65536;
    }

    @Override
    public String defaultProfile() {
        return defaultProfile;
    }

    @Override
    public int authorizationCodeLifetimeSeconds() {
        return 60;
    }

    @Override
    public int loginFlowLifetimeSeconds() {
        return 600;
    }

    @Override
    public int maxSignInAttemptsPerFlow() {
        return 5;
    }

    @Override
    public int refreshTokenLifetimeSeconds() {
        return 7776000;
    }

    @Override
    public int idTokenLifetimeSeconds() {
        return 300;
    }

    @Override
    public String idTokenSigningAlgorithm() {
        return "PS256";
    }

    @Override
    public String introspectionSigningAlgorithm() {
        return "PS256";
    }

    @Override
    public String acr() {
        return "urn:openbanking:psd2:sca";
    }

    @Override
    public String authorizationDetailsTypes() {
        return "account_information,payment_initiation,funds_confirmation";
    }
}
