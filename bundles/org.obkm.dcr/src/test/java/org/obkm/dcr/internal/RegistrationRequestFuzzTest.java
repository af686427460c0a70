package org.obkm.dcr.internal;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Coverage-guided fuzzing of registration bodies (issue 16): the validator may refuse a body with a
 * {@link DcrException} only (the servlet answers it 400/401); any other exception would reach the
 * servlet's catch-all and be answered 503. Half the inputs are the fuzzer's claims under a valid TPP
 * signature with a valid software statement, so the metadata rules behind the signatures are reached.
 * {@code JAZZER_FUZZ=1} fuzzes (README, "Fuzzing"); the build replays the committed inputs.
 */
class RegistrationRequestFuzzTest {

    private static DcrFixture f;
    private static RegistrationRequestValidator validator;
    private static String ssa;

    @BeforeAll
    static void directory() throws Exception {
        f = new DcrFixture();
        Map<String, Object> config = f.config();
        DcrSettings s = DcrSettings.parse(config);
        Set<String> used = ConcurrentHashMap.newKeySet();
        validator = new RegistrationRequestValidator(s, new JwksFetcher(s, Clock.systemUTC()),
                new TransportCertificates(s.transportCaFile()), (jti, until) -> used.add(jti), Clock.systemUTC());
        ssa = f.signSsa(f.ssa("softAISP1", "AISP").build());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @FuzzTest(maxDuration = "30s")
    void registrationRequests(FuzzedDataProvider data) {
        String body;
        if (data.consumeBoolean()) {
            JWTClaimsSet.Builder b = f.request("softAISP1", ssa);
            try {
                // the fuzzer's members over a valid request, so each member is tried alone and together
                JWTClaimsSet.parse(data.consumeRemainingAsString()).getClaims().forEach(b::claim);
            } catch (java.text.ParseException | RuntimeException e) {
                return; // not a claims set (Nimbus throws a NullPointerException for the JSON null)
            }
            body = f.sign(b.build());
        } else {
            body = data.consumeRemainingAsString();
        }
        try {
            validator.validate(body, f.transport("softAISP1", "org1"));
        } catch (DcrException e) {
            // the refusal the endpoint renders as an RFC 7591 error: a code and a description
            assertTrue(e.error() != null && !e.error().isBlank(), "a refusal without an error code");
            assertNotNull(e.getMessage(), "a refusal without a description");
        }
    }
}
