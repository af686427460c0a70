package org.obkm.itests.node;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;

/**
 * Runs Karaf shell commands in-process, as an operator's console would (the approach of Karaf's own
 * KarafTestSupport.executeCommand): what a command prints is captured, and a failing command
 * yields the exception whose message the console would show as "Error executing command: ...".
 */
final class Shell {

    /** What a command printed, and what it failed with, if it failed. */
    record Result(String output, Exception failure) {

        String errorMessage() {
            return failure == null ? null : String.valueOf(failure.getMessage());
        }
    }

    private final SessionFactory sessions;

    Shell(SessionFactory sessions) {
        this.sessions = sessions;
    }

    Result execute(String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), out, out);
        Exception failure = null;
        try {
            Object result = session.execute(command);
            if (result != null) {
                out.println(result);
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            out.flush();
            session.close();
        }
        return new Result(bytes.toString(StandardCharsets.UTF_8), failure);
    }
}
