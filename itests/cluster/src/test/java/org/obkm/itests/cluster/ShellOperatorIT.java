package org.obkm.itests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.obkm.itests.support.Await;
import org.obkm.itests.support.Https;

/**
 * What an operator sees of a mistake, through {@code bin/obkm-shell} (SSH, no terminal) of one node
 * (offset 235, its default H2 database) whose directory records its offset: one clear line, a
 * non-zero exit, no ANSI codes, and at most one line (no stack trace) in karaf.log.
 */
class ShellOperatorIT {

    private static KarafNode node;
    private static Thread killOnExit;

    @BeforeAll
    static void start() throws Exception {
        Path work = Path.of(System.getProperty("obkm.it.workdir", "target/cluster-it")).toAbsolutePath();
        Files.createDirectories(work);
        node = new KarafNode("S", work.resolve("nodeS"), 235);
        killOnExit = new Thread(node::kill, "kill-obkm-node");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        node.unpack(KarafNode.distribution());
        Files.writeString(node.home.resolve("etc/obkm-port-offset"), "235\n");
        node.configure("org.obkm.cluster.cfg", java.util.Map.of("members", "", "bindAddress", "127.0.0.1"));
        Https https = new Https(node::tlsCertificates);
        node.start();
        Await.until("HTTPS /health 200 on " + node.baseUrl(), Duration.ofSeconds(150), Duration.ofMillis(200), () -> {
            if (!node.running()) {
                throw new AssertionError("node exited while starting\n" + node.logTail(60));
            }
            return https.get(node.baseUrl() + "/health").status() == 200 ? Optional.of(true) : Optional.empty();
        }, () -> node.logTail(60));
    }

    @AfterAll
    static void stop() {
        try {
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
    void userstoreTestOfAStoreThatIsDownExitsNonZeroInOneLine() {
        assertUserError("obkm:userstore-test NO.SUCH.DOMAIN", "user store NO.SUCH.DOMAIN is not up");
    }

    @Test
    void unknownScopeIsRefused() {
        assertUserError("obkm:client-create --name typo --scopes nosuchscope", "unknown scope nosuchscope");
        KarafNode.ShellResult ok = node.shellResult("obkm:client-create --name fine --profile none --scopes openid,accounts,payments");
        assertEquals(0, ok.exitCode(), ok.output());
    }

    @Test
    void missingJwksFileIsNamed() {
        assertUserError("obkm:client-create --name k --auth-method private_key_jwt --jwks-file /nonexistent",
                "file not found: /nonexistent");
    }

    @Test
    void outputWithoutATerminalHasNoAnsiAndNoEpochSince() {
        KarafNode.ShellResult r = node.shellResult("obkm:userstore-list");
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("\u001b"), "ANSI codes in: " + r.output());
        assertFalse(r.output().contains("1970-01-01"), r.output());
        assertTrue(r.output().contains("PRIMARY"), r.output());
    }

    @Test
    void aPasswordGivenOnTheCommandLineNeverReachesTheLog() {
        String secret = "Pw-" + java.util.UUID.randomUUID();
        KarafNode.ShellResult add = node.shellResult("obkm:user-add --password " + secret + " leaky-user");
        assertEquals(0, add.exitCode(), add.output());
        KarafNode.ShellResult passwd = node.shellResult("obkm:user-passwd --password " + secret + "-2 leaky-user");
        assertEquals(0, passwd.exitCode(), passwd.output());
        // the store logs the addition on the command's thread, whose name Karaf makes from the command line
        assertTrue(node.logHasLine(l -> l.contains("leaky-user")), node.logTail(20));
        assertFalse(node.logHasLine(l -> l.contains(secret)), "the password is in karaf.log:\n" + node.logTail(20));
    }

    @Test
    void noJavaScriptEngineWarningAtStart() {
        assertFalse(node.logHasLine(l -> l.contains("ScriptEngineFactory")), node.logTail(40));
    }

    private static void assertUserError(String command, String expected) {
        int before = node.logLines().size();
        KarafNode.ShellResult r = node.shellResult(command);
        assertTrue(r.exitCode() != 0, "exit 0 for '" + command + "':\n" + r.output());
        List<String> lines = r.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "not one line:\n" + r.output());
        assertTrue(lines.get(0).startsWith("Error: ") && lines.get(0).contains(expected), r.output());
        assertFalse(r.output().contains("\u001b"), "ANSI codes in: " + r.output());
        List<String> after = node.logLines();
        List<String> added = after.subList(Math.min(before, after.size()), after.size()).stream()
                .filter(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.startsWith("\tat ")
                        || l.matches("^\\s+at .*") || l.contains("Exception"))
                .toList();
        assertTrue(added.size() <= 1, "more than one log line for '" + command + "':\n" + String.join("\n", added));
    }
}
