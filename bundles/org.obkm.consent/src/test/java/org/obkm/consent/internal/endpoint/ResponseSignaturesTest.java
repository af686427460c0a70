package org.obkm.consent.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.obkm.api.keys.SigningService;
import org.obkm.api.resource.MessageSignatures;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.Payload;
import com.nimbusds.jwt.JWTClaimsSet;

/** The header of the bank's response signature, as the profile's signing process step 2 lists it. */
class ResponseSignaturesTest {

    /** Records what it was asked to sign; signs nothing (the real one is the keys bundle's). */
    static class Recording implements SigningService {
        JWSHeader header;
        String payload;

        @Override
        public String signJwt(JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String sign(JWSHeader h, Payload p) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String signDetached(JWSHeader h, Payload p) {
            header = h;
            payload = p.toString();
            if (h.getAlgorithm() == null) {
                throw new IllegalArgumentException("no key");
            }
            return "h..s";
        }

        @Override
        public Set<JWSAlgorithm> algorithms() {
            return Set.of(JWSAlgorithm.PS256);
        }
    }

    @Test
    void signsWithPs256AndTheCriticalOpenBankingParameters() {
        Recording keys = new Recording();
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
        String jws = new ResponseSignatures(keys, "0015800001041RbAAI", "openbanking.org.uk", clock)
                .sign("{\"Data\":{}}".getBytes());
        assertEquals("h..s", jws);
        assertEquals(JWSAlgorithm.PS256, keys.header.getAlgorithm());
        assertEquals(JOSEObjectType.JOSE, keys.header.getType());
        assertEquals("application/json", keys.header.getContentType());
        assertEquals(1780272000L, ((Number) keys.header.getCustomParam(MessageSignatures.IAT)).longValue());
        assertEquals("0015800001041RbAAI", keys.header.getCustomParam(MessageSignatures.ISS));
        assertEquals("openbanking.org.uk", keys.header.getCustomParam(MessageSignatures.TAN));
        assertEquals(Set.of(MessageSignatures.IAT, MessageSignatures.ISS, MessageSignatures.TAN),
                keys.header.getCriticalParams());
        assertEquals(true, keys.header.isBase64URLEncodePayload(), "the v3.1.4+ form: no b64=false");
        assertEquals("{\"Data\":{}}", keys.payload);
    }

    @Test
    void aSigningFailureLeavesTheAnswerUnsignedRatherThanFailingIt() {
        SigningService broken = new Recording() {
            @Override
            public String signDetached(JWSHeader h, Payload p) {
                throw new IllegalStateException("the keys are not loaded yet");
            }
        };
        assertNull(new ResponseSignatures(broken, "org", "openbanking.org.uk").sign(new byte[0]));
    }
}
