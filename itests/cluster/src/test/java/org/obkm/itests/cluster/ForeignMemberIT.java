package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

/**
 * DESIGN rule 8 on a real node: a foreign Hazelcast member (this JVM, no key, none of the node's
 * classes) joins the cluster port of a running OBKM node (the distribution, its own JVM) and sends
 * Java-serialized objects of a class only it has, as executor tasks, an entry processor and a topic
 * message, and forged, garbage and replayed invalidations. The node must refuse each one by name
 * before loading any class, confirm no forged invalidation, log each attempt in exactly one WARN line
 * with no stack trace, and keep serving.
 */
class ForeignMemberIT {

    private static final String REFUSED = "Refused cluster traffic";
    private static KarafNode node;
    private static HazelcastInstance foreign;
    private static Https https;
    private static Thread killOnExit;

    @BeforeAll
    static void start() throws Exception {
        Path dist = KarafNode.distribution();
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath();
        Files.createDirectories(work);
        node = new KarafNode("F", work.resolve("nodeF"), 210);
        killOnExit = new Thread(node::kill, "kill-obkm-node");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        node.unpack(dist);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        node.configure("org.obkm.keys.cfg", Map.of("encryptionSecret",
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret)));
        node.configure("org.obkm.cluster.cfg", Map.of("members", "", "bindAddress", "127.0.0.1"));
        https = new Https(node::tlsCertificates);
        node.start();
        Await.until("HTTPS /health 200 on " + node.baseUrl(), Duration.ofSeconds(150), Duration.ofMillis(200), () -> {
            if (!node.running()) {
                throw new AssertionError("node exited while starting\n" + node.logTail(60));
            }
            return https.get(node.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
        }, () -> node.logTail(60));

        Config c = new Config();
        c.setClusterName("obkm");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.getSerializationConfig().addDataSerializableFactory(ForgedInvalidation.FACTORY_ID, ForgedInvalidation.FACTORY);
        c.getNetworkConfig().setPort(freePort()).setPortAutoIncrement(false);
        c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(List.of(node.clusterAddress()));
        foreign = Hazelcast.newHazelcastInstance(c);
        Await.until("the foreign member joined " + node.clusterAddress(), Duration.ofSeconds(60), Duration.ofMillis(100),
                () -> foreign.getCluster().getMembers().size() == 2 ? Optional.of(true) : Optional.empty(),
                () -> node.logTail(40));
    }

    @AfterAll
    static void stop() {
        try {
            if (foreign != null) {
                foreign.shutdown();
            }
            if (node != null) {
                node.requestStop();
                node.awaitStopped(20);
            }
        } finally {
            if (killOnExit != null) {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
        }
    }

    @Test
    void refusesObjectsOfAClassItDoesNotKnowByNameInOneLineEach() throws Exception {
        Member target = nodeMember();
        long before = lines(l -> l.contains(REFUSED));
        for (String executor : List.of("obkm-invalidation", "default")) {
            assertThrows(ExecutionException.class, () -> foreign.getExecutorService(executor)
                    .submitToMember(new ForeignGadget(), target).get(20, TimeUnit.SECONDS));
        }
        String key = keyOwnedBy(target);
        assertThrows(RuntimeException.class, () -> foreign.getMap("obkm-codes").executeOnKey(key, new ForeignGadget()));
        // Nobody on the node listens on topics, so nobody decodes this; it must stay so.
        foreign.getTopic("obkm-invalidation").publish(new ForeignGadget());

        awaitRefusals(before, 3);
        assertEquals(3, lines(l -> l.contains(REFUSED) && l.contains("org.obkm.itests.cluster.ForeignGadget, outside the"
                + " serialization allow-list")), node.logTail(60));
        // Nothing but those lines names the class or the refusal: no stack trace, no second report.
        assertEquals(3, lines(l -> l.contains("ForeignGadget")), node.logTail(60));
        assertNoExceptionLogged();
        assertEquals(0, ForeignGadget.DESERIALIZED.get(), "the gadget came back deserialized");
        assertEquals(200, https.get(node.baseUrl() + "/health").status());
    }

    @Test
    void confirmsNoForgedGarbageOrReplayedInvalidationInOneLineEach() throws Exception {
        Member target = nodeMember();
        byte[] overheard = overhearRealInvalidation();
        long before = lines(l -> l.contains(REFUSED));
        long badMacBefore = lines(l -> l.contains(REFUSED) && l.endsWith("bad MAC"));
        byte[] garbage = new byte[120];
        new SecureRandom().nextBytes(garbage);
        List<ForgedInvalidation> forged = List.of(new ForgedInvalidation(garbage.length, garbage),
                new ForgedInvalidation(0, new byte[0]), new ForgedInvalidation(Integer.MAX_VALUE, new byte[8]),
                new ForgedInvalidation(overheard.length, overheard));
        for (ForgedInvalidation f : forged) {
            assertFalse(foreign.getExecutorService("obkm-invalidation").submitToMember(f, target)
                    .get(20, TimeUnit.SECONDS), "the node confirmed a forged invalidation");
        }
        awaitRefusals(before, forged.size());
        assertEquals(3, lines(l -> l.contains(REFUSED) && l.endsWith("bad MAC")) - badMacBefore, node.logTail(60));
        assertEquals(1, lines(l -> l.contains(REFUSED) && l.endsWith("replayed invalidation")), node.logTail(60));
        assertNoExceptionLogged();
        assertEquals(200, https.get(node.baseUrl() + "/health").status());
    }

    private static Member nodeMember() {
        return foreign.getCluster().getMembers().stream().filter(m -> !m.localMember()).findFirst().orElseThrow();
    }

    /** Exactly {@code expected} more refusal lines, once they are all written. */
    private static void awaitRefusals(long before, long expected) {
        Await.until(expected + " refusal lines in the node's log", Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> lines(l -> l.contains(REFUSED)) - before >= expected ? Optional.of(true) : Optional.empty(),
                () -> node.logTail(60));
        assertEquals(expected, lines(l -> l.contains(REFUSED)) - before, node.logTail(60));
    }

    private static void assertNoExceptionLogged() {
        assertEquals(0, lines(l -> l.contains("SerializationException") || l.contains("SecurityException")
                || l.contains("ClassNotFoundException")), node.logTail(60));
    }

    /** Deletes a client through the shell: the node asks every member, the foreign one too, to confirm. */
    private static byte[] overhearRealInvalidation() {
        ForgedInvalidation.OVERHEARD.clear();
        String out = node.shell("obkm:client-create --name it-foreign --scopes accounts --auth-method client_secret_basic --profile none --json");
        String id = out.lines().map(String::trim).filter(l -> l.startsWith("{")).findFirst()
                .map(j -> j.replaceFirst(".*\"client_id\"\\s*:\\s*\"([^\"]+)\".*", "$1"))
                .orElseThrow(() -> new AssertionError("no client JSON:\n" + out));
        node.shell("obkm:client-delete " + id);
        return Await.until("the foreign member overheard an invalidation", Duration.ofSeconds(20), Duration.ofMillis(50),
                () -> Optional.ofNullable(ForgedInvalidation.OVERHEARD.poll()), () -> node.logTail(30)).value();
    }

    private static String keyOwnedBy(Member owner) {
        for (int i = 0;; i++) {
            String k = "k" + i;
            if (owner.equals(foreign.getPartitionService().getPartition(k).getOwner())) {
                return k;
            }
        }
    }

    private static long lines(Predicate<String> test) {
        try (Stream<String> s = Files.lines(node.home.resolve("data/log/karaf.log"), StandardCharsets.ISO_8859_1)) {
            return s.filter(test).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
