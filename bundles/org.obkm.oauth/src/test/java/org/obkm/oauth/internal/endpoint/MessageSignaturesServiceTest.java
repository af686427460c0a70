package org.obkm.oauth.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.client.Client;
import org.obkm.api.client.TokenEndpointAuthMethod;
import org.obkm.api.resource.MessageSignatureException;
import org.obkm.api.resource.MessageSignatureException.Kind;
import org.obkm.api.resource.MessageSignatures;
import org.obkm.oauth.internal.TestClients;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** The UK detached request signature checks (Read/Write Data API profile, "Process for Verifying a Signature"). */
class MessageSignaturesServiceTest {

    static final RSAKey KEY = generate("tpp-signing");
    static final Set<String> ANCHORS = Set.of("openbanking.org.uk");
    static final byte[] BODY = "{\"Data\":{\"Initiation\":{}},\"Risk\":{}}".getBytes(StandardCharsets.UTF_8);
    static final Client CLIENT = new Client("tpp-1", "TPP", Set.of("client_credentials"), Set.of("payments"),
            TokenEndpointAuthMethod.PRIVATE_KEY_JWT, null, new JWKSet(KEY.toPublicJWK()).toString(), null, List.of(),
            null, Instant.now());

    private final MessageSignaturesService signatures = new MessageSignaturesService(TestClients.of(CLIENT));

    static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.PS256).keyID(KEY.getKeyID()).type(JOSEObjectType.JOSE)
                .contentType("application/json")
                .customParam(MessageSignatures.IAT, Instant.now().getEpochSecond() - 5)
                .customParam(MessageSignatures.ISS, "0015800001041RbAAI/Qeyb9TC0IzLympA9mKoSQ0")
                .customParam(MessageSignatures.TAN, "openbanking.org.uk")
                .criticalParams(Set.of(MessageSignatures.IAT, MessageSignatures.ISS, MessageSignatures.TAN));
    }

    static String sign(JWSHeader header, RSAKey key, byte[] body) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(body));
        jws.sign(new RSASSASigner(key));
        return jws.serialize(true);
    }

    Kind refused(String jws, byte[] body) {
        return assertThrows(MessageSignatureException.class, () -> signatures.verify("tpp-1", jws, body, ANCHORS))
                .kind();
    }

    @Test
    void acceptsTheSignatureOfVersion314AndLater() throws Exception {
        signatures.verify("tpp-1", sign(header().build(), KEY, BODY), BODY, ANCHORS);
    }

    @Test
    void acceptsTheUnencodedPayloadOfVersion313() throws Exception {
        JWSHeader h = header().base64URLEncodePayload(false).criticalParams(Set.of("b64", MessageSignatures.IAT,
                MessageSignatures.ISS, MessageSignatures.TAN)).build();
        signatures.verify("tpp-1", sign(h, KEY, BODY), BODY, ANCHORS);
    }

    @Test
    void refusesAChangedBody() throws Exception {
        assertEquals(Kind.INVALID, refused(sign(header().build(), KEY, BODY), "{\"Data\":{}}".getBytes()));
    }

    @Test
    void refusesAKeyTheClientDidNotRegister() throws Exception {
        RSAKey other = generate(KEY.getKeyID());
        assertEquals(Kind.INVALID, refused(sign(header().build(), other, BODY), BODY));
    }

    @Test
    void refusesAnUnknownKid() throws Exception {
        assertEquals(Kind.INVALID, refused(sign(header().keyID("nope").build(), KEY, BODY), BODY));
    }

    @Test
    void refusesAnotherAlgorithmThanPs256() throws Exception {
        JWSHeader h = new JWSHeader.Builder(header().build()).build();
        JWSHeader rs256 = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID())
                .customParams(h.getCustomParams()).criticalParams(h.getCriticalParams()).build();
        assertEquals(Kind.INVALID_CLAIM, refused(sign(rs256, KEY, BODY), BODY));
    }

    @Test
    void refusesAMissingTrustAnchor() throws Exception {
        JWSHeader h = header().customParam(MessageSignatures.TAN, null).build();
        assertEquals(Kind.MISSING_CLAIM, refused(sign(h, KEY, BODY), BODY));
    }

    @Test
    void refusesAnUntrustedTrustAnchor() throws Exception {
        JWSHeader h = header().customParam(MessageSignatures.TAN, "evil.example").build();
        assertEquals(Kind.INVALID_CLAIM, refused(sign(h, KEY, BODY), BODY));
    }

    @Test
    void refusesAnIatInTheFuture() throws Exception {
        JWSHeader h = header().customParam(MessageSignatures.IAT, Instant.now().getEpochSecond() + 600).build();
        assertEquals(Kind.INVALID_CLAIM, refused(sign(h, KEY, BODY), BODY));
    }

    @Test
    void refusesAnExtraCriticalParameter() throws Exception {
        JWSHeader h = header().customParam("x", "y").criticalParams(Set.of("x", MessageSignatures.IAT,
                MessageSignatures.ISS, MessageSignatures.TAN)).build();
        assertEquals(Kind.INVALID_CLAIM, refused(sign(h, KEY, BODY), BODY));
    }

    @Test
    void refusesANonDetachedOrMalformedValue() throws Exception {
        JWSObject attached = new JWSObject(header().build(), new Payload(BODY));
        attached.sign(new RSASSASigner(KEY));
        assertEquals(Kind.MALFORMED, refused(attached.serialize(), BODY));
        assertEquals(Kind.MALFORMED, refused("not a jws", BODY));
        assertEquals(Kind.MALFORMED, refused("e30..", BODY));
    }
}
