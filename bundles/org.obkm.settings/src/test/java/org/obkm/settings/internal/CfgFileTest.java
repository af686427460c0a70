package org.obkm.settings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheKeysLineKeepingCommentsAndOtherKeys() throws Exception {
        Path f = dir.resolve("org.obkm.oauth.cfg");
        Files.write(f, List.of("# Scope: per cluster", "#accessTokenLifetimeSeconds = 1", "issuer = https://x",
                "accessTokenLifetimeSeconds = 3600", "scopes = a, \\", "  b"));
        CfgFile.put(f, "accessTokenLifetimeSeconds", "600");
        assertEquals(List.of("# Scope: per cluster", "#accessTokenLifetimeSeconds = 1", "issuer = https://x",
                "accessTokenLifetimeSeconds = 600", "scopes = a, \\", "  b"), Files.readAllLines(f));
        CfgFile.put(f, "scopes", "c");
        CfgFile.put(f, "webhookSecret", "ENC(abc)");
        CfgFile.put(f, "issuer", null);
        assertEquals(List.of("# Scope: per cluster", "#accessTokenLifetimeSeconds = 1",
                "accessTokenLifetimeSeconds = 600", "scopes = c", "webhookSecret = ENC(abc)"), Files.readAllLines(f));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left");
        }
    }

    @Test
    void readsKeysAsPropertiesDo() {
        assertEquals("a.b", CfgFile.keyOf("  a.b=1"));
        assertEquals("a", CfgFile.keyOf("a : 1"));
        assertEquals(null, CfgFile.keyOf("# a = 1"));
        assertEquals(null, CfgFile.keyOf("   "));
    }
}
