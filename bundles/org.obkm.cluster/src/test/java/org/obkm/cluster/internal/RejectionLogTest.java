package org.obkm.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.hazelcast.nio.serialization.HazelcastSerializationException;

class RejectionLogTest {

    private final List<String> lines = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final RejectionLog log = new RejectionLog(lines::add, clock::get);

    @Test
    void logsOneLinePerRefusalUpToTheBurstThenCountsTheRest() {
        for (int i = 0; i < RejectionLog.BURST + 5; i++) {
            log.refused("invalidation executor", "bad MAC");
        }
        assertEquals(RejectionLog.BURST, lines.size());
        assertEquals(RejectionLog.BURST + 5, log.count());
        assertEquals("Refused cluster traffic on invalidation executor: bad MAC", lines.get(0));

        clock.addAndGet(61_000_000_000L);
        log.refused("member port", "payload this node cannot decode");
        assertEquals(RejectionLog.BURST + 1, lines.size());
        assertTrue(lines.get(RejectionLog.BURST).endsWith("(5 more refusals not logged)"), lines.get(RejectionLog.BURST));
        assertEquals(RejectionLog.BURST + 1, log.logged());
    }

    @Test
    void recognisesHazelcastRefusalsAndNothingElse() {
        String java = HazelcastLog.refusal(new HazelcastSerializationException(
                new SecurityException("Resolving class evil.Gadget\nFAKE LINE is not allowed.")));
        assertEquals("object of class evil.Gadget?FAKE?LINE, outside the serialization allow-list; not decoded", java);
        assertEquals("payload this node cannot decode",
                HazelcastLog.refusal(new HazelcastSerializationException("No DataSerializerFactory registered")));
        assertEquals(null, HazelcastLog.refusal(new IllegalStateException("a real failure")));
        assertEquals(null, HazelcastLog.refusal(null));
    }
}
