package org.obkm.shell.internal;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;
import org.obkm.api.cluster.ClusterUnavailableException;

/**
 * The base of every {@code obkm:*} command: what the operator got wrong (a bad option, a missing file,
 * a store that is down) becomes a {@link CommandException}, which Karaf prints as the one line given
 * here and logs at DEBUG only, and which makes {@code bin/obkm-shell} and an SSH exec exit non-zero.
 * Only a defect (any other exception) still reaches karaf.log with its stack trace.
 */
abstract class OperatorCommand implements Action {

    /** Printed first on the line of a failed command; {@code bin/obkm-shell} exits 1 when it sees it. */
    static final String ERROR_PREFIX = "Error: ";

    @Override
    public final Object execute() throws Exception {
        // Karaf names the thread after the whole command line and every log line prints it: a password
        // or secret given as an option (user-add --password, config-set, encrypt) would reach karaf.log.
        HiddenArguments.hide();
        try {
            return run();
        } catch (CommandException e) {
            throw e;
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw failure("file not found: " + e.getMessage());
        } catch (AccessDeniedException e) {
            throw failure("file not readable: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException | ClusterUnavailableException e) {
            throw failure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The command's work; throw {@link #failure} (or an IllegalArgumentException) for a user error. */
    protected abstract Object run() throws Exception;

    /** A user error: one line to the operator, non-zero exit, no stack trace in the log. */
    static CommandException failure(String message) {
        return new CommandException(ERROR_PREFIX + message, message); // the help is what Karaf prints, as is
    }
}
