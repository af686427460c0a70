package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code run-node.sh} of the repository root, on the built distribution ({@code OBKM_DISTRIBUTION}, so it
 * never builds): it fails with the reason when its node cannot have its ports, instead of reporting
 * another node's health as its own, and a node directory keeps the offset it was made with. Fast: no
 * node needs to come up (ports 233 offset: 9999, 9679, 4233, 8334).
 */
class RunNodeScriptIT {

    private static final int OFFSET = 233;
    private static Path script;
    private static Path work;

    @BeforeAll
    static void locate() throws IOException {
        script = Path.of(System.getProperty("obkm.it.repository", "../..")).toAbsolutePath().normalize().resolve("run-node.sh");
        assertTrue(Files.isExecutable(script), "no run-node.sh at " + script);
        work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath().resolve("run-node-it");
        if (Files.exists(work)) {
            new ProcessBuilder("rm", "-rf", work.toString()).inheritIO().start().onExit().join();
        }
        Files.createDirectories(work);
    }

    @Test
    void failsWithTheReasonWhenItsSshPortIsTakenAndRemembersTheOffset() throws Exception {
        Path dir = work.resolve("node" + OFFSET);
        try (ServerSocket taken = new ServerSocket(8101 + OFFSET, 1, InetAddress.getLoopbackAddress())) {
            Result r = run(dir, Integer.toString(OFFSET));
            assertNotEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("port " + (8101 + OFFSET)) && r.output.contains("taken"), r.output);
            assertTrue(!r.output.contains("OBKM node up"), r.output);
        }
        assertEquals(Integer.toString(OFFSET), Files.readString(dir.resolve("etc/obkm-port-offset")).strip());
        // The directory's own scripts find the offset without OBKM_PORT_OFFSET.
        Process p = new ProcessBuilder("env", "-u", "OBKM_PORT_OFFSET", "sh", "-c", ". bin/setenv && echo $OBKM_SSH_PORT",
                dir.resolve("bin/client").toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        scrub(p);
        String ssh = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(Integer.toString(8101 + OFFSET), ssh);
    }

    @Test
    void refusesAnotherOffsetForADirectoryThatHasOne() throws Exception {
        Path dir = work.resolve("node-moved");
        Files.createDirectories(dir.resolve("etc"));
        try (ServerSocket taken = new ServerSocket(8101 + OFFSET + 1, 1, InetAddress.getLoopbackAddress())) {
            run(dir, Integer.toString(OFFSET + 1)); // unpacks and records offset 234, then fails on the port
        }
        Result r = run(dir, "0");
        assertNotEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("has port offset " + (OFFSET + 1)), r.output);
    }

    @Test
    void reUnpacksANewerBuildKeepingTheEtcFilesChangedInEtcAndItsFolders() throws Exception {
        Path dir = work.resolve("node-upgraded");
        int offset = OFFSET + 3;
        try (ServerSocket taken = new ServerSocket(8101 + offset, 1, InetAddress.getLoopbackAddress())) {
            run(dir, Integer.toString(offset)); // unpacks, then fails on the port: no node runs
            Path cfg = dir.resolve("etc/org.obkm.oauth.cfg");
            Files.writeString(cfg, Files.readString(cfg) + "\n# changed by the operator\n");
            Path script = dir.resolve("etc/scripts/operator.script");
            Files.createDirectories(script.getParent());
            Files.writeString(script, "echo kept\n");
            Path system = dir.resolve("system/left-over.jar");
            Files.writeString(system, "old build");
            // the distribution is now newer than the unpacked directory
            Files.setLastModifiedTime(dir.resolve(".obkm-unpacked"), java.nio.file.attribute.FileTime.fromMillis(0));
            Result r = run(dir, Integer.toString(offset));
            assertTrue(r.output.contains("Re-unpacked"), r.output);
            assertTrue(r.output.contains("org.obkm.oauth.cfg") && r.output.contains("scripts/operator.script"), r.output);
            assertTrue(Files.readString(cfg).contains("# changed by the operator"), "changed etc file kept");
            assertEquals("echo kept\n", Files.readString(script), "file in an etc folder kept");
            assertTrue(Files.notExists(system), "system/ replaced");
            assertEquals(Integer.toString(offset), Files.readString(dir.resolve("etc/obkm-port-offset")).strip());
            assertTrue(r.output.contains("port " + (8101 + offset)) && r.output.contains("taken"), r.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path dir, String offset) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "--background").redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KARAF_") || k.startsWith("OBKM_")
                || k.equals("EXTRA_JAVA_OPTS") || k.equals("JAVA_OPTS"));
        pb.environment().put("OBKM_DISTRIBUTION", KarafNode.distribution().toAbsolutePath().toString());
        pb.environment().put("OBKM_NODE_DIR", dir.toString());
        pb.environment().put("OBKM_PORT_OFFSET", offset);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("run-node.sh did not finish in 120 s:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static void scrub(Process p) throws IOException {
        p.getOutputStream().close();
    }

}
