package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.obkm.api.cluster.ClusterUnavailableException;

/**
 * A member of three left alone (the other two gone, or cut off from it) is the minority side of a split:
 * it reports itself down and serves no shared state, so that a code or request URI is never handed out
 * on both sides. (Before the quorum it answered /health 200 with "1 members" and kept serving from its
 * own copies: ClusterFaultsIT saw a node resumed after SIGSTOP back in the balancer before it had merged,
 * refusing the request URIs pushed to the others.)
 */
class QuorumTest {

    private static final byte[] VALUE = "code".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMemberAloneOfThreeIsDownAndServesNoSharedState() throws Exception {
        try (TestMembers members = new TestMembers(TestMembers.sharedSecrets((byte) 7), 3)) {
            List<TestMembers.Obkm> all = members.startObkm(400);
            TestMembers.Obkm survivor = all.get(0);
            assertTrue(survivor.node.check().up(), "three of three: " + survivor.node.check());
            assertTrue(survivor.state.putIfAbsent("q", "before", VALUE, Duration.ofMinutes(1)));

            all.get(1).node.deactivate();
            TestMembers.await(() -> survivor.node.members().size() == 2, "the first member gone");
            assertTrue(survivor.node.check().up(), "two of three are a majority: " + survivor.node.check());
            assertTrue(survivor.state.get("q", "before").isPresent(), "the majority serves");

            all.get(2).node.deactivate();
            TestMembers.await(() -> survivor.node.members().size() == 1, "the second member gone");
            assertFalse(survivor.node.check().up(), "one of three is no quorum");
            assertTrue(survivor.node.check().detail().contains("quorum"), survivor.node.check().detail());
            assertThrows(ClusterUnavailableException.class, () -> survivor.state.consume("q", "before"));
            assertThrows(ClusterUnavailableException.class,
                    () -> survivor.state.putIfAbsent("q", "after", VALUE, Duration.ofMinutes(1)));
        }
    }

    @Test
    void theQuorumIsAMajorityOfThreeOrMoreConfiguredMembersElseOne() {
        assertEquals(2, HazelcastNode.quorum(config("127.0.0.1:4000,127.0.0.1:4001,127.0.0.1:4002", 0), 4000));
        assertEquals(2, HazelcastNode.quorum(config("127.0.0.1:4001 127.0.0.1:4002", 0), 4000), "itself counted");
        assertEquals(3, HazelcastNode.quorum(config("h1:1,h2:1,h3:1,h4:1,127.0.0.1:4000", 0), 4000));
        assertEquals(1, HazelcastNode.quorum(config("127.0.0.1:4000,127.0.0.1:4001", 0), 4000), "two nodes");
        assertEquals(1, HazelcastNode.quorum(config("", 0), 4000), "alone");
        assertEquals(2, HazelcastNode.quorum(config("127.0.0.1:4000,127.0.0.1:4001", 2), 4000), "as configured");
    }

    private static ClusterConfig config(String members, int minimum) {
        return TestMembers.config("obkm", members, 0, 2000, minimum);
    }
}
