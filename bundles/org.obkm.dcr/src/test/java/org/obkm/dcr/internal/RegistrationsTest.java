package org.obkm.dcr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.ClientRegistration;
import org.obkm.api.client.ClientService;
import org.obkm.api.client.ClientUpdate;
import org.obkm.api.client.CreatedClient;
import org.obkm.api.cluster.SharedState;
import org.obkm.api.keys.KeyService;
import org.obkm.api.token.RevocationStore;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Issue 13 point 4: registration management (RFC 7592) authorised by the client's own tokens. */
class RegistrationsTest {

    private static DcrFixture f;
    private static final ECKey SERVER_KEY = DcrFixture.generate(() -> new ECKeyGenerator(Curve.P_256).keyID("srv-1")
            .algorithm(JWSAlgorithm.ES256).generate());
    private final Map<String, Client> stored = new ConcurrentHashMap<>();
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final X509Certificate[] cert = f.transport("softAISP1", "org1");
    private final MemoryState cluster = new MemoryState();
    private final Registrations registrations = node();

    @BeforeAll
    static void directory() throws Exception {
        f = new DcrFixture();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    /** A node of a cluster whose shared state is {@link #cluster} (the jti replay map lives there). */
    private Registrations node() {
        return new Registrations(new MemoryClients(), cluster, new ManagementAuthorizer(new ServerKeys(),
                new Revocations()), Clock.systemUTC(), f.config());
    }

    @Test
    void theAuditLineNamesWhoAndWhichSoftwareButNoToken() {
        Map<String, Object> r = register();
        String id = (String) r.get("client_id");
        String token = (String) r.get("registration_access_token");
        String line = Registrations.auditLine("registered", stored.get(id), cert, "scopes openid accounts");
        assertTrue(line.startsWith("dcr event=registered client_id=" + id + " software_id=softAISP1 org_id=org1"
                + " ssa_iss=\"OpenBanking Ltd\" software_environment=sandbox roles=AISP"), line);
        assertTrue(line.contains(" cert_subject=\"CN=softAISP1,OU=org1,O=OpenBanking,C=GB\""), line);
        assertTrue(line.contains(" cert_sha256=" + ManagementAuthorizer.thumbprint(cert[0])), line);
        assertTrue(line.endsWith(" changes=\"scopes openid accounts\""), line);
        assertFalse(line.contains(token), line);
        assertFalse(line.contains(Registrations.hash(token).substring(7)), line);
    }

    @Test
    void aJtiUsedOnOneNodeIsRefusedOnAnother() {
        String body = request();
        registrations.register(body, cert, "https://obkm.example");
        DcrException e = assertThrows(DcrException.class, () -> node().register(body, cert, "https://obkm.example"));
        assertEquals("invalid_client_metadata", e.error());
        assertTrue(e.getMessage().contains("jti"), e.getMessage());
    }

    private String request() {
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        return f.sign(f.request("softAISP1", ssa).build());
    }

    private Map<String, Object> register() {
        return registrations.register(request(), cert, "https://obkm.example");
    }

    /** A client_credentials access token of this server for the client, bound to this certificate. */
    private static String accessToken(String clientId, X509Certificate boundTo) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID("srv-1").build(), new JWTClaimsSet.Builder().issuer("https://obkm.example")
                .jwtID(java.util.UUID.randomUUID().toString()).claim("client_id", clientId)
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("cnf", Map.of("x5t#S256", ManagementAuthorizer.thumbprint(boundTo))).build());
        jwt.sign(new ECDSASigner(SERVER_KEY));
        return jwt.serialize();
    }

    private void unauthorized(org.junit.jupiter.api.function.Executable call) {
        DcrException e = assertThrows(DcrException.class, call);
        assertEquals(401, e.status(), e.getMessage());
    }

    @Test
    void registrationAnswersTheMetadataAndARegistrationAccessTokenStoredHashedOnly() {
        Map<String, Object> r = register();
        String id = (String) r.get("client_id");
        assertEquals("https://obkm.example/register/" + id, r.get("registration_client_uri"));
        assertTrue(r.get("client_id_issued_at") instanceof Long);
        assertEquals("softAISP1", r.get("software_id"));
        assertEquals(List.of("code id_token"), r.get("response_types"));
        String token = (String) r.get("registration_access_token");
        assertEquals(Registrations.hash(token), stored.get(id).software().registrationTokenHash());
        assertNotEquals(token, stored.get(id).software().registrationTokenHash());
    }

    @Test
    void getWithTheRegistrationAccessToken() {
        Map<String, Object> r = register();
        String id = (String) r.get("client_id");
        Map<String, Object> read = registrations.read(id, (String) r.get("registration_access_token"), cert, "https://obkm.example");
        assertEquals(id, read.get("client_id"));
        assertFalse(read.containsKey("registration_access_token"), "shown once, at registration");
    }

    @Test
    void getWithACertificateBoundClientCredentialsToken() throws Exception {
        String id = (String) register().get("client_id");
        assertEquals(id, registrations.read(id, accessToken(id, cert[0]), cert, "https://obkm.example").get("client_id"));
    }

    @Test
    void aTokenBoundToAnotherCertificateIsRefused() throws Exception {
        String id = (String) register().get("client_id");
        String token = accessToken(id, f.transport("softAISP1", "org1")[0]);
        unauthorized(() -> registrations.read(id, token, cert, "https://obkm.example"));
    }

    @Test
    void anotherClientsTokenIsRefused() throws Exception {
        String id = (String) register().get("client_id");
        String other = (String) register().get("client_id");
        unauthorized(() -> registrations.read(id, accessToken(other, cert[0]), cert, "https://obkm.example"));
    }

    @Test
    void anInvalidTokenIsRefused() {
        String id = (String) register().get("client_id");
        unauthorized(() -> registrations.read(id, "not-a-token", cert, "https://obkm.example"));
        unauthorized(() -> registrations.read(id, null, cert, "https://obkm.example"));
    }

    @Test
    void anUnknownClientIs401AndThePresentedTokenIsRevoked() throws Exception {
        String token = accessToken("gone", cert[0]);
        unauthorized(() -> registrations.read("gone", token, cert, "https://obkm.example"));
        assertEquals(1, revoked.size(), "DCR 3.3: the ASPSP immediately revokes the access token");
    }

    @Test
    void putValidatesLikePostAndKeepsTheRegistrationToken() throws Exception {
        Map<String, Object> r = register();
        String id = (String) r.get("client_id");
        String hash = stored.get(id).software().registrationTokenHash();
        String ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
        String body = f.sign(f.request("softAISP1", ssa).claim("redirect_uris", List.of("https://tpp.example/cb2")).build());
        Map<String, Object> u = registrations.update(id, accessToken(id, cert[0]), body, cert, "https://obkm.example");
        assertEquals(List.of("https://tpp.example/cb2"), u.get("redirect_uris"));
        assertEquals(hash, stored.get(id).software().registrationTokenHash());
        DcrException bad = assertThrows(DcrException.class, () -> registrations.update(id, accessToken(id, cert[0]),
                f.sign(f.request("softAISP1", ssa).claim("response_types", List.of("id_token token")).build()), cert,
                "https://obkm.example"));
        assertEquals("invalid_client_metadata", bad.error());
    }

    @Test
    void deleteRemovesTheClientThenGetAndPutAre401() throws Exception {
        Map<String, Object> r = register();
        String id = (String) r.get("client_id");
        String token = (String) r.get("registration_access_token");
        registrations.delete(id, token, cert);
        assertFalse(stored.containsKey(id));
        unauthorized(() -> registrations.read(id, token, cert, "https://obkm.example"));
        unauthorized(() -> registrations.update(id, accessToken(id, cert[0]), request(), cert, "https://obkm.example"));
    }

    private final class MemoryClients implements ClientService {
        @Override
        public CreatedClient create(ClientRegistration r) {
            String id = "c" + stored.size() + System.nanoTime();
            Client c = new Client(id, r.name(), r.grantTypes(), r.scopes(), r.authMethod(), null, r.jwks(), r.jwksUri(),
                    r.redirectUris(), r.tlsSubjectDn(), Instant.now()).withSoftware(r.software());
            stored.put(id, c);
            return new CreatedClient(c, null);
        }

        @Override
        public Optional<Client> update(String clientId, ClientUpdate u) {
            Client c = stored.get(clientId);
            if (c == null) {
                return Optional.empty();
            }
            Client n = new Client(clientId, u.name(), u.grantTypes(), u.scopes(), c.authMethod(), null, null, u.jwksUri(),
                    u.redirectUris(), c.tlsSubjectDn(), c.createdAt()).withSoftware(u.software());
            stored.put(clientId, n);
            return Optional.of(n);
        }

        @Override
        public Optional<Client> find(String clientId) {
            return Optional.ofNullable(stored.get(clientId));
        }

        @Override
        public List<Client> list() {
            return List.copyOf(stored.values());
        }

        @Override
        public boolean delete(String clientId) {
            return stored.remove(clientId) != null;
        }

        @Override
        public boolean verifySecret(Client client, String presentedSecret) {
            return false;
        }
    }

    private static final class MemoryState implements SharedState {
        private final Set<String> keys = ConcurrentHashMap.newKeySet();

        @Override
        public boolean putIfAbsent(String map, String key, byte[] value, Duration ttl) {
            return keys.add(map + "/" + key);
        }

        @Override
        public Optional<byte[]> get(String map, String key) {
            return Optional.empty();
        }

        @Override
        public Optional<byte[]> consume(String map, String key) {
            return Optional.empty();
        }

        @Override
        public boolean replace(String map, String key, byte[] expectedValue, byte[] newValue, Duration ttl) {
            return false;
        }

        @Override
        public boolean remove(String map, String key, byte[] expectedValue) {
            return false;
        }
    }

    private static final class ServerKeys implements KeyService {
        @Override
        public Optional<JWK> verificationKey(String kid) {
            return "srv-1".equals(kid) ? Optional.of(SERVER_KEY.toPublicJWK()) : Optional.empty();
        }

        @Override
        public JWKSet publicJwkSet() {
            return new JWKSet(SERVER_KEY.toPublicJWK());
        }

        @Override
        public void rotate() {
        }
    }

    private final class Revocations implements RevocationStore {
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
    }
}
