package org.obkm.settings.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.obkm.api.settings.ClusterSettings.Difference;

class SnapshotTest {

    private static final String LIFETIME = "org.obkm.oauth accessTokenLifetimeSeconds";

    @Test
    void sameValuesEverywhereIsNoDifference() {
        List<Snapshot> members = List.of(new Snapshot("a", 3, Map.of(LIFETIME, "600")),
                new Snapshot("b", 3, Map.of(LIFETIME, "600")));
        assertTrue(Snapshot.differences(Map.of(LIFETIME, "600"), members).isEmpty());
    }

    @Test
    void localOverrideNamesTheMember() {
        List<Snapshot> members = List.of(new Snapshot("a", 3, Map.of(LIFETIME, "600")),
                new Snapshot("b", 3, Map.of(LIFETIME, "30")));
        List<Difference> d = Snapshot.differences(Map.of(LIFETIME, "600"), members);
        assertEquals(1, d.size());
        assertEquals("org.obkm.oauth", d.get(0).pid());
        assertEquals("accessTokenLifetimeSeconds", d.get(0).key());
        assertEquals(List.of("b"), Snapshot.outliers(d.get(0)));
    }

    @Test
    void fileValuesTheClusterDoesNotHoldStillShowWhenTheyDiffer() {
        String sep = "org.obkm.userstore.registry domainSeparator";
        List<Snapshot> members = List.of(new Snapshot("a", 0, Map.of(sep, "/")), new Snapshot("b", 0, Map.of(sep, "/")),
                new Snapshot("c", 0, Map.of()));
        List<Difference> d = Snapshot.differences(Map.of(), members);
        assertEquals(1, d.size());
        assertNull(d.get(0).clusterValue());
        assertEquals(List.of("c"), Snapshot.outliers(d.get(0)));
    }

    @Test
    void roundTripsAsJsonAndRefusesGarbage() {
        Snapshot s = new Snapshot("127.0.0.1:4200", 7, Map.of(LIFETIME, "600"));
        assertEquals(s, Snapshot.decode(s.encode()));
        assertNull(Snapshot.decode("not json".getBytes(StandardCharsets.UTF_8)));
        assertNull(Snapshot.decode(new byte[] {(byte) 0xac, (byte) 0xed, 0, 5}));
    }

    @Test
    void secretsShowAsKeyedDigestsOnly() {
        Shown shown = new Shown(new byte[32]);
        String v = shown.value("ConnectionPassword", "hunter2-hunter2", false);
        assertTrue(v.startsWith("secret:") && !v.contains("hunter2"), v);
        assertEquals(v, shown.value("ConnectionPassword", "hunter2-hunter2", false));
        assertFalse(v.equals(new Shown(new byte[] {1}).value("ConnectionPassword", "hunter2-hunter2", false)));
        assertTrue(shown.value("signingIssuer", "ENC(abc)", false).startsWith("secret:"));
        assertEquals("600", shown.value("accessTokenLifetimeSeconds", "600", false));
    }
}
