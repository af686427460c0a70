package org.obkm.oauth.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.obkm.api.cluster.ClusterUnavailableException;

/**
 * The one place that decides what an unexpected failure of a request means. When a part this node
 * depends on cannot answer now (this node has not joined its cluster, the database cannot be reached,
 * the CPU gate's queue is full) the answer is {@code 503 temporarily_unavailable} (RFC 6749 §4.1.2.1,
 * §5.2 as the OAuth 2.0 error registry extends it), which clients retry; anything else is a
 * {@code 500 server_error}, logged with its stack, never shown ({@code HttpIO.writeFailure}).
 */
public final class Failures {

    private static final int MAX_CAUSES = 16;

    private Failures() {
    }

    /** Why the failure is a passing unavailability (a safe description for the client), else empty. */
    public static Optional<String> unavailability(Throwable failure) {
        Throwable t = failure;
        for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
            if (t instanceof ClusterUnavailableException) {
                return Optional.of("the node is joining its cluster; retry shortly");
            }
            if (t instanceof CpuGate.Overloaded) {
                return Optional.of("the server is overloaded; retry shortly");
            }
            if (t instanceof SQLException s && databaseUnreachable(s)) {
                return Optional.of("the database cannot be reached; retry shortly");
            }
        }
        return Optional.empty();
    }

    /**
     * Connection failures (SQLState class 08, PostgreSQL's 57P01-57P03 while a server shuts down or
     * starts), transient and recoverable failures, and a connection pool that gave up waiting (DBCP2
     * reports it without a SQLState, caused by its pool's NoSuchElementException). Not a constraint
     * violation or a bad statement: those are defects, answered 500.
     */
    private static boolean databaseUnreachable(SQLException s) {
        String state = s.getSQLState();
        return s instanceof SQLTransientException || s instanceof SQLRecoverableException
                || s instanceof SQLNonTransientConnectionException
                || state != null && (state.startsWith("08") || state.startsWith("57P0"))
                || state == null && s.getCause() instanceof NoSuchElementException;
    }
}
