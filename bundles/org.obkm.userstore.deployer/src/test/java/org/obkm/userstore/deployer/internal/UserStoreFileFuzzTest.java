package org.obkm.userstore.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the WSO2 user store files (issue 16), XML and .cfg: a file may be refused
 * with an {@link InvalidUserStoreFileException} only (the deployer logs it and keeps the previous
 * store); any other exception, or an XML entity expansion, is a finding. {@code JAZZER_FUZZ=1} fuzzes
 * (README, "Fuzzing"); the build replays the committed inputs.
 */
class UserStoreFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void userStoreFiles(FuzzedDataProvider data) {
        String name = data.consumeBoolean() ? "EXAMPLE_COM.xml" : "EXAMPLE_COM.cfg";
        try {
            UserStoreFileParser.parse(name, data.consumeRemainingAsBytes());
        } catch (InvalidUserStoreFileException e) {
            // refused: logged in one line that says why, the previous store stays
            assertNotNull(e.getMessage(), "a refusal without a reason");
        }
    }
}
