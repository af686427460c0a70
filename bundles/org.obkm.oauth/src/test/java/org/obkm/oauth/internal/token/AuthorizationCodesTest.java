package org.obkm.oauth.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.obkm.api.token.Grant;
import org.obkm.oauth.internal.InMemoryGrantStore;
import org.obkm.oauth.internal.InMemorySharedState;
import org.obkm.oauth.internal.OAuthException;
import org.obkm.oauth.internal.ParFixture;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.request.PushedRequest;

/** One-time use of authorization codes, and what a second use does to the grant. */
public class AuthorizationCodesTest {

    private static final PushedRequest REQUEST = new PushedRequest("tpp-1", "https://tpp.example/cb", "code",
            "openid accounts", "st", "n", ParFixture.CHALLENGE, "S256", null, "fapi2-message-signing", null);

    private final InMemorySharedState state = new InMemorySharedState();
    private final InMemoryGrantStore grants = new InMemoryGrantStore();
    private Instant now = Instant.parse("2026-11-25T10:00:00Z");
    private AuthorizationCodes codes;

    @BeforeEach
    public void setUp() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        codes = new AuthorizationCodes(state, grants, TestSettings.defaults(), clock);
        grants.createGrant(new Grant("g1", "tpp-1", "user-1", "openid accounts", "{}", now, now.plusSeconds(3600), null));
    }

    @Test
    public void codeRedeemsOnce() throws OAuthException {
        String code = codes.issue("g1", REQUEST, "user-1", now.getEpochSecond(), "acr");
        IssuedCode issued = codes.redeem(code, "tpp-1");
        assertEquals("g1", issued.grantId());
        assertEquals(REQUEST, issued.request());
        assertFalse(grants.isGrantRevoked("g1"));
    }

    @Test
    public void reusedCodeRevokesGrant() throws OAuthException {
        String code = codes.issue("g1", REQUEST, "user-1", now.getEpochSecond(), "acr");
        codes.redeem(code, "tpp-1");
        OAuthException e = assertThrows(OAuthException.class, () -> codes.redeem(code, "tpp-1"));
        assertEquals("invalid_grant", e.error().getCode());
        assertTrue(grants.isGrantRevoked("g1"));
    }

    @Test
    public void codeOfAnotherClientIsRefusedAndBurnt() {
        String code = codes.issue("g1", REQUEST, "user-1", now.getEpochSecond(), "acr");
        assertEquals("invalid_grant", assertThrows(OAuthException.class, () -> codes.redeem(code, "tpp-2")).error().getCode());
        assertEquals("invalid_grant", assertThrows(OAuthException.class, () -> codes.redeem(code, "tpp-1")).error().getCode());
    }

    @Test
    public void expiredCodeIsRefused() {
        String code = codes.issue("g1", REQUEST, "user-1", now.getEpochSecond(), "acr");
        now = now.plus(Duration.ofSeconds(61));
        assertEquals("invalid_grant", assertThrows(OAuthException.class, () -> codes.redeem(code, "tpp-1")).error().getCode());
        assertFalse(grants.isGrantRevoked("g1"));
    }

    @Test
    public void unknownAndMalformedCodesAreRefused() {
        assertEquals("invalid_grant", assertThrows(OAuthException.class,
                () -> codes.redeem(Randoms.token(), "tpp-1")).error().getCode());
        assertEquals("invalid_grant", assertThrows(OAuthException.class,
                () -> codes.redeem("x'; DROP TABLE", "tpp-1")).error().getCode());
    }

    @Test
    public void codeLostFromSharedStateButUsedInDatabaseIsRefused() throws OAuthException {
        String code = codes.issue("g1", REQUEST, "user-1", now.getEpochSecond(), "acr");
        // the other side of a split redeemed it: the database row says used, shared state still holds it
        grants.useCode(Randoms.hash(code), now);
        assertThrows(OAuthException.class, () -> codes.redeem(code, "tpp-1"));
        assertTrue(grants.isGrantRevoked("g1"), "a double redemption across a split revokes the grant");
    }
}
