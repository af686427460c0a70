package org.obkm.settings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SettingScopesTest {

    private static final Path ETC = Path.of("../../etc");
    private static final Pattern PER_NODE_KEYS = Pattern.compile("except the per-node keys: ([A-Za-z0-9, .]+?) \\(");

    @Test
    void refusesPerNodePidsAndKeysWithTheReason() {
        assertTrue(SettingScopes.refusal("org.obkm.cluster", "members").contains("per node"));
        assertTrue(SettingScopes.refusal("org.ops4j.pax.web", "org.osgi.service.http.port.secure").contains("per node"));
        assertTrue(SettingScopes.refusal("org.ops4j.datasource-obkm", "url").contains("per node"));
        assertTrue(SettingScopes.refusal("org.obkm.http.cpugate", "permits").contains("per node"));
        assertTrue(SettingScopes.refusal("org.obkm.nosuch", "x").startsWith("unknown PID"));
        assertTrue(SettingScopes.refusal("org.obkm.oauth", "felix.fileinstall.filename").startsWith("not a setting"));
        assertTrue(SettingScopes.refusal("org.obkm.oauth", "a b").startsWith("not a setting"));
        assertNull(SettingScopes.refusal("org.obkm.oauth", "accessTokenLifetimeSeconds"));
        assertNull(SettingScopes.refusal("org.obkm.oauth", "profile.fapi1-advanced.refresh-rotation"));
        assertNull(SettingScopes.refusal("org.obkm.http.cpugate", "queueTimeoutMillis"));
    }

    @Test
    void secretNamesAreRecognised() {
        assertTrue(SettingScopes.secretName("ConnectionPassword"));
        assertTrue(SettingScopes.secretName("clientSecret"));
        assertTrue(!SettingScopes.secretName("accessTokenLifetimeSeconds"));
    }

    /** Each etc/ file says in its "# Scope:" line what the code enforces. */
    @Test
    void everyEtcFileStatesTheScopeTheCodeEnforces() throws IOException {
        Set<String> files = new TreeSet<>();
        try (var list = Files.list(ETC)) {
            list.map(p -> p.getFileName().toString()).filter(n -> (n.startsWith("org.obkm.") || n.startsWith("org.ops4j.datasource") || n.startsWith("org.ops4j.pax.web"))
                    && n.endsWith(".cfg"))
                    .forEach(files::add);
        }
        assertTrue(files.size() >= 15, "etc files: " + files);
        for (String file : files) {
            String pid = file.substring(0, file.length() - ".cfg".length());
            Optional<String> scope = Files.readAllLines(ETC.resolve(file)).stream()
                    .filter(l -> l.startsWith("# Scope: ")).findFirst();
            assertTrue(scope.isPresent(), file + " has no '# Scope:' line");
            String line = scope.get();
            if (SettingScopes.CLUSTER_PIDS.containsKey(pid)) {
                assertTrue(line.startsWith("# Scope: per cluster"), file + ": " + line);
                Matcher m = PER_NODE_KEYS.matcher(line);
                Set<String> stated = m.find() ? new TreeSet<>(Set.of(m.group(1).split(",\\s*"))) : Set.of();
                assertEquals(new TreeSet<>(SettingScopes.CLUSTER_PIDS.get(pid)), stated, file + ": " + line);
            } else {
                assertNotNull(SettingScopes.refusal(pid, "anything"), pid);
                assertTrue(line.startsWith("# Scope: per node"), file + ": " + line);
            }
        }
    }
}
