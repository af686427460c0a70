package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.user.User;

import com.nimbusds.oauth2.sdk.Scope;

/** OpenID Connect Core §5.4: which claims each granted scope releases. */
class ScopeClaimsTest {

    private static final User ALICE = new User("u-1", "PRIMARY", "alice", "Alice Example", false,
            Map.of("email", List.of("alice@bank.example", "a@old.example")));
    private static final User BOB = new User("u-2", "PARTNERS", "bob", "", false, Map.of());

    @Test
    void openidAloneReleasesSubOnly() {
        assertEquals(Map.of("sub", "u-1"), ScopeClaims.of("u-1", Scope.parse("openid accounts"), ALICE));
    }

    @Test
    void profileAndEmailReleaseTheirClaims() {
        assertEquals(Map.of("sub", "u-1", "name", "Alice Example", "preferred_username", "alice",
                "email", "alice@bank.example"), ScopeClaims.of("u-1", Scope.parse("openid profile email"), ALICE));
    }

    @Test
    void aSecondaryStoreUserSignsInWithTheDomainAndHasNoEmptyClaims() {
        assertEquals(Map.of("sub", "u-2", "preferred_username", "PARTNERS/bob"),
                ScopeClaims.of("u-2", Scope.parse("openid profile email"), BOB));
    }
}
