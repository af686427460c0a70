package org.obkm.oauth.internal.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.token.Grant;
import org.obkm.api.token.RevocationStore;
import org.obkm.oauth.internal.CpuGate;
import org.obkm.oauth.internal.InMemoryGrantStore;
import org.obkm.oauth.internal.TestKeys;
import org.obkm.oauth.internal.TestSettings;
import org.obkm.oauth.internal.sender.Confirmation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.Scope;

/** The access token path: issued (RFC 9068), recognised, active until revoked or its grant is. */
class TokenIssuanceTest {

    private static final Client CLIENT = new Client("tpp-1", "TPP", Set.of("client_credentials"), Set.of("accounts"),
            TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(), null, Instant.now());

    private final AccessTokenIssuer issuer = new AccessTokenIssuer(TestKeys.signing(), TestSettings.defaults());
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(TestKeys.keys(), TestSettings.defaults());
    private final InMemoryGrantStore grants = new InMemoryGrantStore();
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final RevocationStore revocations = new RevocationStore() {
        @Override
        public void revoke(String tokenId, String clientId, Instant expiresAt) {
            revoked.put(tokenId, expiresAt);
        }

        @Override
        public boolean isRevoked(String tokenId) {
            return revoked.containsKey(tokenId);
        }

        @Override
        public int purgeExpired(Instant now) {
            return 0;
        }
    };
    private final Map<String, Client> registered = new java.util.concurrent.ConcurrentHashMap<>(
            Map.of(CLIENT.clientId(), CLIENT));
    private final TokenState state = new TokenState(verifier, revocations, grants,
            new org.obkm.oauth.internal.TestClients(registered));

    @Test
    void everyTokenOfADeletedClientIsInactive() {
        String token = issuer.issue(CLIENT, "tpp-1", new Scope("accounts")).value();
        assertTrue(state.active(token).isPresent());
        registered.put(CLIENT.clientId(), CLIENT.withSoftware(CLIENT.software().withDisabled(true)));
        assertFalse(state.active(token).isPresent(), "a disabled client's tokens are inactive");
        registered.remove(CLIENT.clientId());
        assertFalse(state.active(token).isPresent(), "RFC 7592 §2.3: a deleted client's tokens are invalidated");
    }

    @Test
    void anAccessTokenIsAnAtJwtWithTheClientItsScopeAndItsBinding() throws Exception {
        AccessTokenIssuer.Issued t = issuer.issue(CLIENT, "tpp-1", new Scope("accounts"),
                Confirmation.dpop("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"), null);
        SignedJWT jwt = SignedJWT.parse(t.value());
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertEquals(TestKeys.KEY.getKeyID(), jwt.getHeader().getKeyID());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals(TestSettings.ISSUER, c.getIssuer());
        assertEquals("tpp-1", c.getClaim("client_id"));
        assertEquals("accounts", c.getClaim("scope"));
        assertEquals(Map.of("jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"), c.getJSONObjectClaim("cnf"));
        assertEquals(t.jti(), c.getJWTID());
        assertEquals(TestSettings.defaults().accessTokenLifetimeSeconds(),
                (c.getExpirationTime().getTime() - c.getIssueTime().getTime()) / 1000);
    }

    @Test
    void theSignatureCheckWaitsForAPermitOfTheNodesCpuGate() throws Exception {
        String token = issuer.issue(CLIENT, "tpp-1", new Scope("accounts")).value();
        CpuGate gate = new CpuGate(1, 50);
        AccessTokenVerifier gated = new AccessTokenVerifier(TestKeys.keys(), TestSettings.defaults(), gate);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> gate.run(() -> {
            held.countDown();
            try {
                return release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }));
        holder.start();
        try {
            assertTrue(held.await(5, TimeUnit.SECONDS));
            assertThrows(CpuGate.Overloaded.class, () -> gated.recognise(token),
                    "with every permit taken, the check waits and then ends as overload (a 503), not as a bad token");
        } finally {
            release.countDown();
            holder.join(5_000);
        }
        assertTrue(gated.recognise(token).isPresent());
        assertEquals(1, gate.available(), "the permit is given back");
    }

    @Test
    void aTokenIsRecognisedOnlyAsIssued() {
        String token = issuer.issue(CLIENT, "tpp-1", new Scope("accounts")).value();
        assertTrue(verifier.recognise(token).isPresent());
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(Optional.empty(), verifier.recognise(tampered));
        assertEquals(Optional.empty(), verifier.recognise("not-a-jwt"));
        assertEquals(Optional.empty(), verifier.recognise(null));
    }

    @Test
    void aRevokedTokenIsInactiveAndOnlyItsOwnClientRevokesIt() {
        String token = issuer.issue(CLIENT, "tpp-1", new Scope("accounts")).value();
        assertTrue(state.active(token).isPresent());
        Client other = new Client("tpp-2", "Other", Set.of("client_credentials"), Set.of("accounts"),
                TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, "{\"keys\":[]}", null, List.of(), null, Instant.now());
        state.revoke(other, token);
        assertTrue(state.active(token).isPresent(), "another client's revocation is ignored (RFC 7009 §2.1)");
        state.revoke(CLIENT, token);
        assertFalse(state.active(token).isPresent());
    }

    @Test
    void aTokenOfARevokedGrantIsInactive() {
        Instant now = Instant.now();
        grants.createGrant(new Grant("g1", "tpp-1", "user-1", "accounts", "{}", now, now.plusSeconds(3600), null));
        String token = issuer.issue(CLIENT, "user-1", new Scope("accounts"), Confirmation.NONE, "g1").value();
        assertTrue(state.active(token).isPresent());
        grants.revokeGrant("g1", now);
        assertFalse(state.active(token).isPresent());
    }
}
