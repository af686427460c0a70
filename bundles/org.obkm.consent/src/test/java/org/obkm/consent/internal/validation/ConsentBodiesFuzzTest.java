package org.obkm.consent.internal.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Coverage-guided fuzzing of the consent bodies (issue 16): a body the JSON parser takes may be refused
 * with a {@link ValidationException} only (answered 400 with a UK error); any other exception would be
 * a 500. {@code JAZZER_FUZZ=1} fuzzes (README, "Fuzzing"); the build replays the committed inputs.
 */
class ConsentBodiesFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @FuzzTest(maxDuration = "30s")
    void consentBodies(FuzzedDataProvider data) {
        int type = data.consumeInt(0, 2);
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(data.consumeRemainingAsString());
        } catch (java.text.ParseException e) {
            return; // the servlet answers 400 "not a JSON object"
        }
        try {
            switch (type) {
                case 0 -> AccountAccessConsents.validate(json, NOW);
                case 1 -> DomesticPaymentConsents.validate(json);
                default -> FundsConfirmationConsents.validate(json, NOW);
            }
        } catch (ValidationException e) {
            // the refusal the endpoint renders as a UK Open Banking error: at least one, each with a code
            assertFalse(e.errors().isEmpty(), "a refusal without errors");
            e.errors().forEach(err -> assertTrue(err.errorCode() != null && err.errorCode().startsWith("UK.OBIE."),
                    "error code " + err.errorCode()));
        }
    }
}
